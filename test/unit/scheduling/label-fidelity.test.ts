import { describe, expect, it } from 'vitest';
import { Labels } from '../../../lib/apis/labels.ts';
import { Requirement } from '../../../lib/scheduling/requirement.ts';
import { node, nodePool, pod, requirementValues, run, asExisting } from './fixtures.ts';
import { instanceType } from '../../fixtures/instance-type.ts';

const GPU = instanceType('gpu', 8, 32, {
  price: 3,
  labels: {
    [Labels.instanceGpuCount]: '1',
    [Labels.instanceGpuName]: 't4',
    [Labels.instanceGpuManufacturer]: 'nvidia',
  },
});
const PLAIN = instanceType('plain', 8, 32, { price: 1 });

function optionNames(result: ReturnType<typeof run>): string[] {
  return (result.newNodeClaims[0]?.instanceTypes ?? []).map(({ instanceType: type }) => type.name);
}

describe('labels an instance type does not have', () => {
  it.each([
    ['Gt', ['0']],
    ['Exists', undefined],
    ['In', ['1']],
    ['Gte', ['1']],
  ] as const)(
    'a NodePool requiring GPU count %s %j never gets a type without GPUs',
    (operator, values) => {
      // Prepare
      const pool = nodePool({
        instanceTypes: [PLAIN, GPU],
        requirements: [
          { key: Labels.instanceGpuCount, operator, ...(values ? { values: [...values] } : {}) },
        ],
      });
      // Act
      const result = run({ pendingPods: [pod('a')], nodePools: [pool] });
      // Assess
      expect(optionNames(result)).toEqual(['gpu']);
    },
  );

  it('a pod requiring a GPU name gets only the types that have it', () => {
    // Prepare
    const selector = { nodeSelector: { [Labels.instanceGpuName]: 't4' } };
    // Act
    const result = run({
      pendingPods: [pod('a', undefined, selector)],
      nodePools: [nodePool({ instanceTypes: [PLAIN, GPU] })],
    });
    // Assess
    expect(optionNames(result)).toEqual(['gpu']);
  });

  it('DoesNotExist and NotIn on a missing label match the types without it', () => {
    // Prepare
    const affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            {
              matchExpressions: [
                { key: Labels.instanceGpuCount, operator: 'DoesNotExist' as const },
                { key: Labels.instanceLocalNvme, operator: 'NotIn' as const, values: ['100'] },
              ],
            },
          ],
        },
      },
    };
    // Act
    const result = run({
      pendingPods: [pod('a', undefined, { affinity })],
      nodePools: [nodePool({ instanceTypes: [PLAIN, GPU] })],
    });
    // Assess
    expect(optionNames(result)).toEqual(['plain']);
  });

  it('labels the NodeClaim carries itself (NodePool, custom template labels) are not instance labels', () => {
    // Prepare
    const pool = nodePool({ instanceTypes: [PLAIN], labels: { team: 'a' } });
    const selector = { nodeSelector: { team: 'a', [Labels.nodePool]: 'default' } };
    // Act
    const result = run({ pendingPods: [pod('a', undefined, selector)], nodePools: [pool] });
    // Assess
    expect(optionNames(result)).toEqual(['plain']);
  });
});

describe('deprecated and alias labels', () => {
  it.each([
    ['beta.kubernetes.io/arch', Labels.arch],
    ['beta.kubernetes.io/os', Labels.os],
    ['beta.kubernetes.io/instance-type', Labels.instanceType],
    ['failure-domain.beta.kubernetes.io/zone', Labels.zone],
    ['failure-domain.beta.kubernetes.io/region', Labels.region],
    ['topology.ebs.csi.aws.com/zone', Labels.zone],
  ])('%s in a requirement is read as %s', (deprecated, current) => {
    // Act
    const requirement = Requirement.single(deprecated, 'x');
    // Assess
    expect(requirement.key).toBe(current);
  });

  it('a pod selecting a zone by its deprecated label gets a NodeClaim in that zone', () => {
    // Prepare
    const selector = { nodeSelector: { 'failure-domain.beta.kubernetes.io/zone': 'zone-b' } };
    // Act
    const result = run({ pendingPods: [pod('a', undefined, selector)] });
    // Assess
    expect(result.newNodeClaims[0]?.zones).toEqual(['zone-b']);
    expect(requirementValues(result, 0, Labels.zone)).toEqual(['zone-b']);
  });

  it('a pod selecting arm64 by the beta label does not land on an amd64 node', () => {
    // Prepare
    const amd = node('amd', { cpu: '8', memory: '32Gi', pods: '110' }, { [Labels.arch]: 'amd64' });
    const selector = { nodeSelector: { 'beta.kubernetes.io/arch': 'arm64' } };
    // Act
    const result = run({
      pendingPods: [pod('a', undefined, selector)],
      existingNodes: [{ ...asExisting(amd), pods: [] }],
    });
    // Assess
    expect(result.existingNodes).toEqual([]);
  });

  it('the EBS CSI zone label pins the pod to that zone', () => {
    // Prepare
    const selector = { nodeSelector: { 'topology.ebs.csi.aws.com/zone': 'zone-c' } };
    // Act
    const result = run({ pendingPods: [pod('a', undefined, selector)] });
    // Assess
    expect(result.newNodeClaims[0]?.zones).toEqual(['zone-c']);
  });

  it('instance-capability-flex and instance-tenancy are labels users may require', async () => {
    // Prepare
    const { restrictedLabelReason } = await import('../../../lib/apis/labels.ts');
    // Act / Assess
    expect(restrictedLabelReason(Labels.instanceCapabilityFlex)).toBeUndefined();
    expect(restrictedLabelReason(Labels.instanceTenancy)).toBeUndefined();
    expect(restrictedLabelReason('karpenter.k8s.aws/instance-made-up')).toMatch(/restricted/);
  });
});

describe('Gte and Lte requirement operators', () => {
  const cpuTypes = ['2', '4', '8'].map((cpu) =>
    instanceType(`c${cpu}`, Number(cpu), 16, { labels: { [Labels.instanceCpu]: cpu } }),
  );

  it('Gte and Lte are inclusive bounds on integer labels', () => {
    // Prepare
    const pool = nodePool({
      instanceTypes: cpuTypes,
      requirements: [
        { key: Labels.instanceCpu, operator: 'Gte', values: ['4'] },
        { key: Labels.instanceCpu, operator: 'Lte', values: ['8'] },
      ],
    });
    // Act
    const result = run({ pendingPods: [pod('a')], nodePools: [pool] });
    // Assess
    expect(optionNames(result)).toEqual(['c4', 'c8']);
  });

  it('Gt N equals Gte N+1 and Lt N equals Lte N-1', () => {
    // Prepare
    const gt = Requirement.from({ key: 'k', operator: 'Gt', values: ['3'] });
    const lte = Requirement.from({ key: 'k', operator: 'Lte', values: ['4'] });
    // Act
    const both = gt.intersection(lte);
    // Assess
    expect(['3', '4', '5'].map((value) => both.has(value))).toEqual([false, true, false]);
    expect(both.toNodeRequirements()).toEqual([
      { key: 'k', operator: 'Gte', values: ['4'] },
      { key: 'k', operator: 'Lte', values: ['4'] },
    ]);
    expect(
      Requirement.from({ key: 'k', operator: 'Gte', values: ['5'] })
        .intersection(Requirement.from({ key: 'k', operator: 'Lt', values: ['5'] }))
        .isSatisfiable(),
    ).toBe(false);
  });
});
