import { describe, expect, it } from 'vitest';
import { Labels } from '../../../lib/apis/index.ts';
import { ResourceTypes } from '../../../lib/kube/index.ts';
import { loadClusterSnapshot, schedulingInput } from '../../../lib/state/index.ts';
import { MemoryEnvironment } from '../provisioning/memory-environment.ts';
import { clockReading } from '../../fixtures/manual-clock.ts';

describe('schedulingInput', () => {
  it('offers live nodes and in-flight NodeClaims, never those marked for deletion, and the NodePools with their instance types', async () => {
    // Prepare
    const env = new MemoryEnvironment();
    await env.createNodeClass();
    await env.createNodePool('general', { limits: { cpu: '100' }, weight: 10 });
    for (const name of ['live', 'leaving']) {
      await env.create(ResourceTypes.node, {
        metadata: { name, labels: { [Labels.nodePool]: 'general' } },
        spec: {},
        status: { capacity: { cpu: '4' } },
      });
    }
    await env.create(ResourceTypes.nodeClaim, {
      metadata: { name: 'general-inflight', labels: { [Labels.nodePool]: 'general' } },
      spec: {
        requirements: [{ key: Labels.instanceType, operator: 'In', values: ['m5.large'] }],
        nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
      },
    });
    const snapshot = await loadClusterSnapshot({ kube: env.kube.kube, cloud: env.cloud });
    snapshot.markForDeletion('leaving');

    // Act
    const input = schedulingInput(snapshot, [], {
      clock: clockReading(() => 0),
      deadlineMs: 5_000,
    });

    // Assess
    expect(input.existingNodes.map(({ node }) => node.metadata.name)).toEqual(['live']);
    expect(input.inFlightNodeClaims).toEqual([
      expect.objectContaining({
        name: 'general-inflight',
        nodePool: 'general',
        requirements: [{ key: Labels.instanceType, operator: 'In', values: ['m5.large'] }],
        pods: [],
      }),
    ]);
    expect(input.nodePools).toEqual([
      expect.objectContaining({
        name: 'general',
        weight: 10,
        limits: { cpu: 100_000 },
        labels: { team: 'platform' },
      }),
    ]);
    expect(input.nodePools[0]?.instanceTypes.length).toBeGreaterThan(0);
    expect(input.deadlineMs).toBe(5_000);
  });
});
