import { describe, expect, it } from 'vitest';
import { Labels } from '../../../lib/apis/index.ts';
import { ResourceTypes } from '../../../lib/kube/index.ts';
import { schedule } from '../../../lib/scheduling/index.ts';
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

  it("gives a Node with no status yet its NodeClaim's allocatable, and counts its NodeClaim's capacity toward the NodePool", async () => {
    // Prepare: the Node has registered but reports nothing yet; its NodeClaim has launched.
    const env = new MemoryEnvironment();
    await env.createNodeClass();
    await env.createNodePool('general');
    await env.create(ResourceTypes.node, {
      metadata: { name: 'registering', labels: {} },
      spec: { providerID: 'aws:///us-east-1a/i-registering' },
    });
    await env.create(ResourceTypes.nodeClaim, {
      metadata: { name: 'general-abc', labels: { [Labels.nodePool]: 'general' } },
      spec: {
        requirements: [],
        nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
      },
    });
    await env.kube.kube.updateNodeClaimStatus('general-abc', (claim) => ({
      ...claim,
      status: {
        providerID: 'aws:///us-east-1a/i-registering',
        capacity: { cpu: '4', memory: '16Gi', pods: '58' },
        allocatable: { cpu: '3920m', memory: '15Gi', pods: '58' },
      },
    }));
    const snapshot = await loadClusterSnapshot({ kube: env.kube.kube, cloud: env.cloud });

    // Act
    const input = schedulingInput(snapshot, [], { clock: clockReading(() => 0) });

    // Assess
    expect(input.existingNodes).toEqual([
      expect.objectContaining({ allocatable: { cpu: 3920, memory: 15 * 2 ** 30, pods: 58 } }),
    ]);
    expect(input.inFlightNodeClaims).toEqual([]);
    expect(input.nodePools[0]?.usage).toEqual({
      cpu: 4000,
      memory: 16 * 2 ** 30,
      pods: 58,
      nodes: 1,
    });
  });

  it('counts existing nodes of the NodePool against its node limit', async () => {
    // Prepare
    const env = new MemoryEnvironment();
    await env.createNodeClass();
    await env.createNodePool('default', { limits: { nodes: '1' } });
    await env.create(ResourceTypes.node, {
      metadata: { name: 'full', labels: { [Labels.nodePool]: 'default' } },
      spec: {},
      status: {
        capacity: { cpu: '1', memory: '1Gi', pods: '10' },
        allocatable: { cpu: '1', memory: '1Gi', pods: '10' },
      },
    });
    const snapshot = await loadClusterSnapshot({ kube: env.kube.kube, cloud: env.cloud });
    const pending = {
      metadata: { name: 'a', namespace: 'default' },
      spec: { containers: [{ name: 'app', resources: { requests: { cpu: '2' } } }] },
    };

    // Act
    const result = schedule(schedulingInput(snapshot, [pending], { clock: clockReading(() => 0) }));

    // Assess
    expect(result.unschedulable[0]?.reason).toMatch(/reached its limit of 1 nodes/);
  });
});
