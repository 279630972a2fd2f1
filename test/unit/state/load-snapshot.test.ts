import { describe, expect, it } from 'vitest';
import { Annotations, Labels, Taints } from '../../../lib/apis/index.ts';
import { allocatable, type InstanceType } from '../../../lib/cloudprovider/index.ts';
import { ResourceTypes, type KubeClient } from '../../../lib/kube/index.ts';
import { loadClusterSnapshot } from '../../../lib/state/index.ts';
import { MemoryEnvironment, podObject } from '../provisioning/memory-environment.ts';

async function createNode(
  env: MemoryEnvironment,
  name: string,
  options: { taints?: object[]; nodePool?: string } = {},
): Promise<void> {
  await env.create(ResourceTypes.node, {
    metadata: { name, labels: { [Labels.nodePool]: options.nodePool ?? 'general' } },
    spec: { providerID: `aws:///us-east-1a/i-${name}`, taints: options.taints ?? [] },
    status: {
      capacity: { cpu: '4', memory: '16Gi', pods: '58' },
      allocatable: { cpu: '3920m', memory: '15Gi', pods: '58' },
    },
  });
}

async function bindPod(
  env: MemoryEnvironment,
  name: string,
  nodeName: string,
  metadata: Record<string, unknown> = {},
): Promise<void> {
  await env.create(ResourceTypes.pod, podObject(name, { metadata, spec: { nodeName } }));
}

async function load(env: MemoryEnvironment, kube: KubeClient = env.kube.kube) {
  return loadClusterSnapshot({ kube, cloud: env.cloud });
}

describe('loadClusterSnapshot', () => {
  it('reads nodes and NodeClaims before pods', async () => {
    // Prepare
    const env = new MemoryEnvironment();
    const calls: string[] = [];
    const recording = new Proxy(env.kube.kube, {
      get(target, property: keyof KubeClient) {
        const methods = target as unknown as Record<
          string,
          (...args: unknown[]) => Promise<unknown>
        >;
        return async (...args: unknown[]) => {
          calls.push(`start ${property}`);
          const result = await methods[property]?.(...args);
          calls.push(`end ${property}`);
          return result;
        };
      },
    });

    // Act
    await load(env, recording);

    // Assess
    expect(calls.indexOf('start listPods')).toBeGreaterThan(calls.indexOf('end listNodes'));
    expect(calls.indexOf('start listPods')).toBeGreaterThan(calls.indexOf('end listNodeClaims'));
  });

  it('counts an in-flight NodeClaim as capacity: launched at its reported figures, unlaunched at what its options guarantee', async () => {
    // Prepare
    const env = new MemoryEnvironment();
    await env.createNodeClass();
    const types = await env.cloud.getInstanceTypes(await env.createNodePool('general'));
    const [large, xlarge] = ['m5.large', 'm5.xlarge'].map((name) =>
      types.find((type) => type.name === name),
    );
    const claim = (requirementTypes: string[]) => ({
      metadata: { generateName: 'general-', labels: { [Labels.nodePool]: 'general' } },
      spec: {
        requirements: [{ key: Labels.instanceType, operator: 'In', values: requirementTypes }],
        nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
      },
    });
    const unlaunched = await env.create(ResourceTypes.nodeClaim, claim(['m5.large', 'm5.xlarge']));
    const launched = await env.create(ResourceTypes.nodeClaim, claim(['m5.2xlarge']));
    const launchedName = (launched['metadata'] as { name: string }).name;
    await env.cluster.patch(
      ResourceTypes.nodeClaim,
      { name: launchedName },
      {
        status: {
          capacity: { cpu: '8', memory: '32Gi' },
          allocatable: { cpu: '7910m', memory: '30Gi' },
        },
      },
      'status',
    );

    // Act
    const snapshot = await load(env);

    // Assess
    const byName = new Map(snapshot.nodes.map((node) => [node.name, node]));
    const estimated = byName.get((unlaunched['metadata'] as { name: string }).name);
    expect(estimated?.node).toBeUndefined();
    // The larger option's capacity (what limits must reserve), the smaller option's allocatable (what any launch offers).
    expect(estimated?.capacity).toEqual(xlarge?.capacity);
    expect(estimated?.allocatable).toEqual(allocatable(large as InstanceType));
    expect(byName.get(launchedName)?.allocatable).toEqual({ cpu: 7910, memory: 30 * 2 ** 30 });
    expect(snapshot.inFlightNodeClaims).toHaveLength(2);
    expect(snapshot.nodePoolResources('general')).toMatchObject({
      cpu: 4000 + 8000,
      memory: (xlarge?.capacity['memory'] ?? 0) + 32 * 2 ** 30,
      nodes: 2,
    });
  });

  it('pairs a Node with its NodeClaim by providerID, so the pair counts once', async () => {
    // Prepare
    const env = new MemoryEnvironment();
    await createNode(env, 'n1');
    const created = await env.create(ResourceTypes.nodeClaim, {
      metadata: { name: 'general-abc', labels: { [Labels.nodePool]: 'general' } },
      spec: {
        requirements: [],
        nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
      },
    });
    await env.cluster.patch(
      ResourceTypes.nodeClaim,
      { name: 'general-abc' },
      { status: { providerID: 'aws:///us-east-1a/i-n1', capacity: { cpu: '4' } } },
      'status',
    );

    // Act
    const snapshot = await load(env);

    // Assess
    expect(created).toBeDefined();
    expect(snapshot.nodes).toHaveLength(1);
    expect(snapshot.nodes[0]?.nodeClaim?.metadata.name).toBe('general-abc');
    expect(snapshot.inFlightNodeClaims).toEqual([]);
    expect(snapshot.nodePoolResources('general')).toEqual({
      cpu: 4000,
      memory: 16 * 2 ** 30,
      pods: 58,
      nodes: 1,
    });
  });

  it('gives nodes being deleted or disrupted zero capacity, and reschedules only the pods that can move now', async () => {
    // Prepare
    const env = new MemoryEnvironment();
    await createNode(env, 'live');
    await createNode(env, 'disrupted', { taints: [Taints.disrupted] });
    await bindPod(env, 'movable', 'disrupted', { labels: { app: 'web' } });
    await bindPod(env, 'pinned', 'disrupted', {
      annotations: { [Annotations.doNotDisrupt]: 'true' },
    });
    await bindPod(env, 'guarded', 'disrupted', { labels: { app: 'db' } });
    await bindPod(env, 'momentarily-guarded', 'disrupted', { labels: { app: 'cache' } });
    await bindPod(env, 'daemon', 'disrupted', {
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ds', uid: 'u' }],
    });
    await bindPod(env, 'staying', 'live');
    await env.create(ResourceTypes.podDisruptionBudget, {
      metadata: { name: 'db', namespace: 'default' },
      spec: { maxUnavailable: 0, selector: { matchLabels: { app: 'db' } } },
    });
    // Blocking right now (no disruption allowed) but not permanently: its pods still get capacity.
    await env.create(ResourceTypes.podDisruptionBudget, {
      metadata: { name: 'cache', namespace: 'default' },
      spec: { minAvailable: 1, selector: { matchLabels: { app: 'cache' } } },
    });
    await env.cluster.patch(
      ResourceTypes.podDisruptionBudget,
      { name: 'cache', namespace: 'default' },
      { status: { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 } },
      'status',
    );

    // Act
    const snapshot = await load(env);

    // Assess
    expect(snapshot.nodes.find(({ name }) => name === 'disrupted')?.markedForDeletion).toBe(true);
    expect(snapshot.nodePoolResources('general')).toEqual({
      cpu: 4000,
      memory: 16 * 2 ** 30,
      pods: 58,
      nodes: 1,
    });
    expect(
      snapshot
        .podsToReschedule(Date.parse('2026-01-01T00:00:00Z'))
        .map(({ metadata }) => metadata.name)
        .toSorted(),
    ).toEqual(['momentarily-guarded', 'movable']);
  });

  it('treats a node with a deletionTimestamp as marked for deletion', async () => {
    // Prepare
    const env = new MemoryEnvironment();
    await env.create(ResourceTypes.node, {
      metadata: { name: 'going', finalizers: ['example.com/hold'] },
      spec: {},
      status: {},
    });
    await env.cluster.delete(ResourceTypes.node, { name: 'going' });

    // Act
    const snapshot = await load(env);

    // Assess
    expect(
      snapshot.nodes.map(({ name, markedForDeletion }) => ({ name, markedForDeletion })),
    ).toEqual([{ name: 'going', markedForDeletion: true }]);
  });

  it('leaves out NodePools whose node class is missing, saying why', async () => {
    // Prepare
    const env = new MemoryEnvironment();
    await env.createNodePool('orphan');

    // Act
    const snapshot = await load(env);

    // Assess
    expect(snapshot.nodePools).toEqual([]);
    expect(snapshot.unavailableNodePools).toEqual([
      {
        name: 'orphan',
        reason: 'its node class EC2NodeClass.karpenter.k8s.aws "default" does not exist',
      },
    ]);
  });
});
