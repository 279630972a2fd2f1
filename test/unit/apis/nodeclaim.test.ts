import { describe, expect, it } from 'vitest';
import { NodeClaimSchema } from '../../../lib/apis/nodeclaim.ts';

const CLAIM = {
  apiVersion: 'karpenter.sh/v1',
  kind: 'NodeClaim',
  metadata: { name: 'default-abcde', labels: { 'karpenter.sh/nodepool': 'default' } },
  spec: {
    requirements: [
      {
        key: 'node.kubernetes.io/instance-type',
        operator: 'In',
        values: ['m5.large', 'm5.xlarge'],
        minValues: 2,
      },
    ],
    resources: { requests: { cpu: '1500m', memory: '2Gi', pods: 3 } },
    nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
  },
  status: {
    providerID: 'aws:///us-east-1a/i-0123456789abcdef0',
    nodeName: 'ip-10-0-0-1.ec2.internal',
    imageID: 'ami-0123456789abcdef0',
    capacity: { cpu: '2', memory: '7910Mi', pods: '29' },
    allocatable: { cpu: '1930m', memory: '7220Mi', pods: '29' },
    lastPodEventTime: '2026-11-27T10:00:00Z',
    conditions: [
      {
        type: 'Launched',
        status: 'True',
        reason: 'Launched',
        lastTransitionTime: '2026-11-27T09:58:00Z',
      },
      {
        type: 'Drifted',
        status: 'True',
        reason: 'NodePoolDrifted',
        message: 'hash changed',
        lastTransitionTime: '2026-11-27T10:05:00Z',
      },
    ],
  },
};

describe('NodeClaimSchema', () => {
  it('parses spec and status, defaulting expireAfter', () => {
    // Prepare / Act
    const claim = NodeClaimSchema.parse(CLAIM);

    // Assess
    expect(claim.spec.expireAfter).toBe('720h');
    expect(claim.status?.conditions?.map((condition) => condition.type)).toEqual([
      'Launched',
      'Drifted',
    ]);
  });

  it('rejects a condition with an unknown status, naming the field', () => {
    // Prepare
    const condition = {
      type: 'Registered',
      status: 'Maybe',
      reason: 'x',
      lastTransitionTime: '2026-11-27T10:00:00Z',
    };

    // Act
    const result = NodeClaimSchema.safeParse({ ...CLAIM, status: { conditions: [condition] } });

    // Assess
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual([
      'status.conditions.0.status',
    ]);
  });

  it('rejects minValues larger than the number of values', () => {
    // Prepare
    const requirement = {
      key: 'node.kubernetes.io/instance-type',
      operator: 'In',
      values: ['m5.large'],
      minValues: 2,
    };

    // Act
    const result = NodeClaimSchema.safeParse({
      ...CLAIM,
      spec: { ...CLAIM.spec, requirements: [requirement] },
    });

    // Assess
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      [
        'spec.requirements.0.values',
        "requirements with 'minValues' must have at least that many values specified in the 'values' field",
      ],
    ]);
  });
});
