import { describe, expect, it } from 'vitest';
import { Labels } from '../../../lib/apis/labels.ts';
import { node, nodePool, pod, run, asExisting } from './fixtures.ts';

describe('NodePool order with equal weights', () => {
  it('among equal weights the NodePool whose name is later in the alphabet is tried first', () => {
    // Prepare
    const pools = ['alpha', 'charlie', 'bravo'].map((name) => nodePool({ name, weight: 10 }));
    // Act
    const result = run({ pendingPods: [pod('a')], nodePools: pools });
    // Assess
    expect(result.newNodeClaims[0]?.nodePool).toBe('charlie');
  });

  it('weight still comes before the name', () => {
    // Prepare
    const pools = [nodePool({ name: 'zulu' }), nodePool({ name: 'alpha', weight: 1 })];
    // Act
    const result = run({ pendingPods: [pod('a')], nodePools: pools });
    // Assess
    expect(result.newNodeClaims[0]?.nodePool).toBe('alpha');
  });
});

describe('preferences on retry', () => {
  it('a pod requeued after a failed pass is tried again with its original preferences', () => {
    // Prepare: "follower" needs a "leader" pod on its node, which only exists after the first
    // pass (followers sort first by CPU); it also prefers the large type.
    const follower = pod(
      'follower',
      { cpu: '1', memory: '512Mi' },
      {
        affinity: {
          podAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [
              { topologyKey: Labels.hostname, labelSelector: { matchLabels: { app: 'leader' } } },
            ],
          },
          nodeAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              {
                weight: 1,
                preference: {
                  matchExpressions: [
                    { key: Labels.instanceType, operator: 'In', values: ['large'] },
                  ],
                },
              },
            ],
          },
        },
      },
    );
    const leader = pod('leader', { cpu: '500m', memory: '512Mi' }, {}, { app: 'leader' });
    // Act
    const result = run({ pendingPods: [follower, leader] });
    // Assess
    expect(result.unschedulable).toEqual([]);
    expect(result.newNodeClaims).toHaveLength(1);
    expect(
      result.newNodeClaims[0]?.instanceTypes.map(({ instanceType }) => instanceType.name),
    ).toEqual(['large']);
  });
});

describe('PreferNoSchedule relaxation', () => {
  const soft = { key: 'soft', effect: 'PreferNoSchedule' as const };
  const tainted = node(
    'tainted',
    { cpu: '8', memory: '32Gi', pods: '110' },
    { [Labels.nodePool]: 'default' },
    { taints: [soft] },
  );

  it('with no NodePool tainting PreferNoSchedule, a node with such a taint is not relaxed onto', () => {
    // Act
    const result = run({
      pendingPods: [pod('a')],
      existingNodes: [{ ...asExisting(tainted), pods: [] }],
    });
    // Assess
    expect(result.existingNodes).toEqual([]);
    expect(result.newNodeClaims).toHaveLength(1);
  });

  it('when some NodePool taints PreferNoSchedule, pods tolerate such taints as the last relaxation', () => {
    // Act
    const result = run({
      pendingPods: [pod('a')],
      existingNodes: [{ ...asExisting(tainted), pods: [] }],
      nodePools: [nodePool({ taints: [soft] })],
    });
    // Assess
    expect(result.existingNodes.map(({ name }) => name)).toEqual(['tainted']);
    expect(result.newNodeClaims).toEqual([]);
  });
});
