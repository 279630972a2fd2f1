import { describe, expect, it } from 'vitest';
import { EC2NodeClassSchema } from '../../../lib/apis/ec2nodeclass.ts';

const SPEC = {
  role: 'KarpenterNodeRole-my-cluster',
  amiSelectorTerms: [{ alias: 'al2023@latest' }],
  subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'my-cluster' } }],
  securityGroupSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'my-cluster' } }],
};

function nodeClass(spec: Record<string, unknown>): unknown {
  return {
    apiVersion: 'karpenter.k8s.aws/v1',
    kind: 'EC2NodeClass',
    metadata: { name: 'default' },
    spec: { ...SPEC, ...spec },
  };
}

function issuesOf(spec: Record<string, unknown>): string[] {
  const result = EC2NodeClassSchema.safeParse(nodeClass(spec));
  return result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('EC2NodeClassSchema', () => {
  it('applies the IMDS defaults', () => {
    // Prepare / Act
    const parsed = EC2NodeClassSchema.parse(
      nodeClass({ metadataOptions: { httpPutResponseHopLimit: 2 } }),
    );

    // Assess
    expect(parsed.spec.metadataOptions).toEqual({
      httpEndpoint: 'enabled',
      httpProtocolIPv6: 'disabled',
      httpPutResponseHopLimit: 2,
      httpTokens: 'required',
    });
  });

  it.each([
    [
      { instanceProfile: 'profile' },
      "spec.instanceProfile: must specify exactly one of ['role', 'instanceProfile']",
    ],
    [
      { role: undefined },
      "spec.instanceProfile: must specify exactly one of ['role', 'instanceProfile']",
    ],
    [
      { amiSelectorTerms: [{ alias: 'al2023@latest' }, { id: 'ami-123' }] },
      "spec.amiSelectorTerms: 'alias' is mutually exclusive, cannot be set with a combination of other amiSelectorTerms",
    ],
    [
      { amiSelectorTerms: [{ tags: { team: 'a' } }] },
      'spec.amiFamily: must specify amiFamily if amiSelectorTerms does not contain an alias',
    ],
    [
      { subnetSelectorTerms: [{ id: 'subnet-123', tags: { a: 'b' } }] },
      "spec.subnetSelectorTerms.0.id: 'id' is mutually exclusive, cannot be set with a combination of other fields",
    ],
    [
      { amiFamily: 'AL2023', amiSelectorTerms: [{ id: 'ami-123', owner: 'amazon' }] },
      "spec.amiSelectorTerms.0.id: 'id' is mutually exclusive, cannot be set with a combination of other fields",
    ],
    [
      { amiFamily: 'AL2023', amiSelectorTerms: [{ owner: 'amazon' }] },
      "spec.amiSelectorTerms.0: expected at least one, got none, ['alias', 'tags', 'id', 'name', 'ssmParameter']",
    ],
    [
      { securityGroupSelectorTerms: [{}] },
      "spec.securityGroupSelectorTerms.0: expected at least one, got none, ['tags', 'id', 'name']",
    ],
    [
      { subnetSelectorTerms: [] },
      'spec.subnetSelectorTerms: Too small: expected array to have >=1 items',
    ],
    [
      { tags: { 'eks:eks-cluster-name': 'x' } },
      'spec.tags: tags may not set a tag Karpenter reserves (eks:eks-cluster-name, kubernetes.io/cluster/*, karpenter.sh/nodepool, karpenter.sh/nodeclaim, karpenter.k8s.aws/ec2nodeclass)',
    ],
    [
      { blockDeviceMappings: [{ rootVolume: true }, { rootVolume: true }] },
      'spec.blockDeviceMappings: must have only one blockDeviceMappings with rootVolume',
    ],
    [
      { metadataOptions: { httpTokens: 'sometimes' } },
      'spec.metadataOptions.httpTokens: Invalid option: expected one of "required"|"optional"',
    ],
  ])('rejects %j', (spec, expected) => {
    // Prepare / Act
    const issues = issuesOf(spec);

    // Assess
    expect(issues).toEqual([expected]);
  });

  it('reports missing or mistyped fields without failing in the cross-field rules', () => {
    // Prepare
    const input = {
      apiVersion: 'karpenter.k8s.aws/v1',
      kind: 'EC2NodeClass',
      metadata: { name: 'broken' },
      spec: { role: 'r', amiSelectorTerms: 'al2023@latest', blockDeviceMappings: 3 },
    };

    // Act
    const result = EC2NodeClassSchema.safeParse(input);

    // Assess
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual([
      'spec.subnetSelectorTerms',
      'spec.securityGroupSelectorTerms',
      'spec.amiSelectorTerms',
      'spec.blockDeviceMappings',
    ]);
  });

  it('accepts an amiFamily with selector terms by name and owner', () => {
    // Prepare / Act
    const issues = issuesOf({
      amiFamily: 'Bottlerocket',
      amiSelectorTerms: [{ name: 'bottlerocket-*', owner: 'amazon' }],
    });

    // Assess
    expect(issues).toEqual([]);
  });

  describe('kubelet', () => {
    it('accepts Karpenter kubelet settings', () => {
      // Prepare
      const kubelet = {
        clusterDNS: ['10.0.1.100'],
        maxPods: 110,
        podsPerCore: 2,
        systemReserved: { cpu: '100m', memory: '100Mi', 'ephemeral-storage': '1Gi' },
        kubeReserved: { cpu: '200m', memory: '100Mi' },
        evictionHard: { 'memory.available': '5%', 'nodefs.available': '10%' },
        evictionSoft: { 'memory.available': '500Mi' },
        evictionSoftGracePeriod: { 'memory.available': '1m' },
        evictionMaxPodGracePeriod: 60,
        imageGCHighThresholdPercent: 85,
        imageGCLowThresholdPercent: 80,
        cpuCFSQuota: true,
      };

      // Act
      const issues = issuesOf({ kubelet });

      // Assess
      expect(issues).toEqual([]);
    });

    it.each([
      [
        { imageGCHighThresholdPercent: 50, imageGCLowThresholdPercent: 60 },
        'spec.kubelet.imageGCHighThresholdPercent',
      ],
      [{ evictionSoft: { 'memory.available': '5%' } }, 'spec.kubelet.evictionSoft'],
      [{ systemReserved: { gpu: '1' } }, 'spec.kubelet.systemReserved.gpu'],
      [
        { evictionHard: { 'memory.available': 'lots' } },
        'spec.kubelet.evictionHard.memory.available',
      ],
      [{ maxPods: -1 }, 'spec.kubelet.maxPods'],
    ])('rejects %j at %s', (kubelet, path) => {
      // Prepare / Act
      const issues = issuesOf({ kubelet });

      // Assess
      expect(issues.map((issue) => issue.split(': ')[0])).toEqual([path]);
    });
  });
});
