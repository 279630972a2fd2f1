import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  EC2NodeClassSchema,
  formatZodIssues,
  NodeClaimSchema,
  NodePoolSchema,
} from '../../../lib/apis/index.ts';

function problems(schema: z.ZodType, input: unknown): string[] {
  return formatZodIssues(schema.safeParse(input).error?.issues ?? []);
}

/** A NodePool as the v1beta1 docs wrote it. */
const v1beta1NodePool = {
  apiVersion: 'karpenter.sh/v1beta1',
  kind: 'NodePool',
  metadata: { name: 'default' },
  spec: {
    template: {
      spec: {
        nodeClassRef: {
          apiVersion: 'karpenter.k8s.aws/v1beta1',
          kind: 'EC2NodeClass',
          name: 'default',
        },
        requirements: [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] }],
        kubelet: { maxPods: 110 },
      },
    },
    disruption: { consolidationPolicy: 'WhenUnderutilized', expireAfter: '720h' },
  },
};

describe('manifests still written for v1beta1', () => {
  it('name each v1beta1 NodePool field and what v1 wants instead', () => {
    // Act
    const found = problems(NodePoolSchema, v1beta1NodePool);
    // Assess
    expect(found).toEqual([
      "apiVersion: karpenter.sh/v1beta1 is Karpenter's old API: write apiVersion: karpenter.sh/v1 (the CRDs serve only v1)",
      expect.stringMatching(/^spec\.template\.spec\.nodeClassRef\.group: /),
      'spec.template.spec.nodeClassRef: nodeClassRef.apiVersion is v1beta1: write group: karpenter.k8s.aws (the group without a version) beside kind and name',
      'spec.template.spec: kubelet moved to the EC2NodeClass in v1: write it as spec.kubelet of the karpenter.k8s.aws/v1 EC2NodeClass',
      'spec.disruption.consolidationPolicy: WhenUnderutilized is the v1beta1 name: write WhenEmptyOrUnderutilized, with consolidateAfter (e.g. 0s) for how long a node must be underutilized first',
      'spec.disruption: expireAfter is no longer under disruption in v1: move it to spec.template.spec.expireAfter',
    ]);
  });

  it('still name unknown keys that v1beta1 never had beside one it had', () => {
    // Prepare
    const pool = structuredClone(v1beta1NodePool);
    Object.assign(pool.spec.disruption, { consolidateEvery: '1m' });
    // Act
    const found = problems(NodePoolSchema, pool);
    // Assess
    expect(found).toContain(
      'spec.disruption: expireAfter is no longer under disruption in v1: move it to spec.template.spec.expireAfter; "consolidateEvery" is not a field here',
    );
  });

  it('leave the messages for other invalid values as they were', () => {
    // Prepare
    const pool = structuredClone(v1beta1NodePool);
    pool.apiVersion = 'karpenter.sh/v2';
    pool.spec.disruption = { consolidationPolicy: 'Sometimes' } as never;
    // Act
    const found = problems(NodePoolSchema, pool);
    // Assess
    expect(found).toContain('apiVersion: Invalid input: expected "karpenter.sh/v1"');
    expect(found.find((line) => line.startsWith('spec.disruption.consolidationPolicy'))).toMatch(
      /Invalid option: expected one of "WhenEmpty"\|"WhenEmptyOrUnderutilized"/,
    );
  });

  it('tell an EC2NodeClass with only an amiFamily to add amiSelectorTerms with an alias', () => {
    // Act
    const found = problems(EC2NodeClassSchema, {
      apiVersion: 'karpenter.k8s.aws/v1beta1',
      kind: 'EC2NodeClass',
      metadata: { name: 'default' },
      spec: {
        amiFamily: 'AL2023',
        role: 'KarpenterNodeRole',
        subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'prod' } }],
        securityGroupSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'prod' } }],
      },
    });
    // Assess
    expect(found).toEqual([
      "apiVersion: karpenter.k8s.aws/v1beta1 is Karpenter's old API: write apiVersion: karpenter.k8s.aws/v1 (the CRDs serve only v1)",
      expect.stringContaining(
        'spec.amiSelectorTerms: v1 requires amiSelectorTerms (v1beta1 could pick AMIs from amiFamily alone): for the latest EKS-optimized AMI write amiSelectorTerms: [{alias: al2023@latest}]',
      ),
    ]);
  });

  it('name kubelet in a NodeClaim spec as moved', () => {
    // Act
    const found = problems(NodeClaimSchema, {
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodeClaim',
      metadata: { name: 'a' },
      spec: {
        nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
        requirements: [],
        kubelet: { maxPods: 110 },
      },
    });
    // Assess
    expect(found).toEqual([
      expect.stringMatching(/^spec: kubelet moved to the EC2NodeClass in v1/),
    ]);
  });
});

describe('v1beta1 hints on hostile input', () => {
  it('treat names of Object members as plain unknown values', () => {
    // Prepare
    const pool = structuredClone(v1beta1NodePool);
    pool.spec.disruption = { consolidationPolicy: 'toString', constructor: '1m' } as never;
    // Act
    const found = problems(NodePoolSchema, pool);
    // Assess
    expect(found).toContain('spec.disruption: Unrecognized key: "constructor"');
    expect(found.find((line) => line.startsWith('spec.disruption.consolidationPolicy'))).toMatch(
      /Invalid option/,
    );
  });
});
