import { describe, expect, it } from 'vitest';
import { NodeClaimSchema, type NodeClaim } from '../../../lib/apis/index.ts';
import { nodePoolCosts } from '../../../lib/lifecycle/nodepool-cost.ts';
import { instanceType } from '../../fixtures/instance-type.ts';

function claim(
  name: string,
  nodePool: string,
  offering: { type: string; zone: string; capacityType: string },
  launched = true,
): NodeClaim {
  return NodeClaimSchema.parse({
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodeClaim',
    metadata: {
      name,
      labels: {
        'karpenter.sh/nodepool': nodePool,
        'node.kubernetes.io/instance-type': offering.type,
        'topology.kubernetes.io/zone': offering.zone,
        'karpenter.sh/capacity-type': offering.capacityType,
      },
    },
    spec: {
      requirements: [],
      nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
    },
    status: {
      conditions: launched
        ? [
            {
              type: 'Launched',
              status: 'True',
              reason: 'Launched',
              lastTransitionTime: '2026-01-01T00:00:00Z',
            },
          ]
        : [],
    },
  });
}

describe('the cost per hour of each NodePool', () => {
  it('sums its launched claims’ offering prices by instance type, zone and capacity type', () => {
    // Prepare
    const general = [
      instanceType('m5.large', 2, 8, {
        offerings: [
          { zone: 'zone-a', capacityType: 'on-demand', price: 0.096, available: true },
          { zone: 'zone-a', capacityType: 'spot', price: 0.035, available: false },
          { zone: 'zone-b', capacityType: 'spot', price: 0.041, available: true },
        ],
      }),
    ];
    const claims = [
      claim('on-demand', 'general', {
        type: 'm5.large',
        zone: 'zone-a',
        capacityType: 'on-demand',
      }),
      claim('spot-a', 'general', { type: 'm5.large', zone: 'zone-a', capacityType: 'spot' }),
      claim('spot-b', 'general', { type: 'm5.large', zone: 'zone-b', capacityType: 'spot' }),
      claim('gone-type', 'general', { type: 'c5.large', zone: 'zone-a', capacityType: 'spot' }),
      claim(
        'launching',
        'general',
        { type: 'm5.large', zone: 'zone-a', capacityType: 'on-demand' },
        false,
      ),
      claim('other-pool', 'batch', { type: 'm5.large', zone: 'zone-a', capacityType: 'on-demand' }),
    ];

    // Act
    const { costs, unpriced } = nodePoolCosts(
      ['general', 'idle'],
      claims,
      new Map([['general', general]]),
    );

    // Assess
    expect(costs.get('general')).toBeCloseTo(0.096 + 0.035 + 0.041, 10);
    expect(costs.get('idle')).toBe(0);
    expect(costs.has('batch')).toBe(false);
    expect(unpriced).toEqual(['gone-type']);
  });
});
