import { describe, expect, it } from 'vitest';
import {
  Annotations,
  Labels,
  NodeClaimSchema,
  nodePoolHash,
  Taints,
  TERMINATION_FINALIZER,
  type NodeClaim,
} from '../../../lib/apis/index.ts';
import {
  DEFAULT_LEASE_DURATION_SECONDS,
  DEFAULT_LEASE_NAMESPACE,
  leaseName,
  ResourceTypes,
} from '../../../lib/kube/index.ts';
import {
  EventRecorder,
  runProvisioning,
  type CompletedProvisioning,
  type ProvisioningResult,
} from '../../../lib/provisioning/index.ts';
import { CrashAfterLaunchCloud, DelegatingCloud } from '../../fixtures/crashing-cloud.ts';
import { CLUSTER_NAME, MemoryEnvironment, podObject } from './memory-environment.ts';

function completed(result: ProvisioningResult): CompletedProvisioning {
  if (result.status !== 'completed')
    throw new Error(`the run was ${result.status}: ${result.reason}`);
  return result;
}

async function nodeClaims(env: MemoryEnvironment): Promise<NodeClaim[]> {
  return [...(await env.kube.kube.listNodeClaims()).items];
}

async function arrange(pods: number): Promise<MemoryEnvironment> {
  const env = new MemoryEnvironment();
  await env.createNodeClass();
  await env.createNodePool('general');
  for (let index = 0; index < pods; index++) await env.createPendingPod(`web-${index}`);
  return env;
}

describe('runProvisioning', () => {
  it('creates NodeClaims stamped from the NodePool and launches them', async () => {
    // Prepare
    const env = await arrange(10);
    const nodePool = (await env.kube.kube.listNodePools()).items[0];

    // Act
    const result = completed(await runProvisioning(env.deps()));

    // Assess
    const claims = await nodeClaims(env);
    expect(claims.length).toBeGreaterThan(0);
    expect(result.nodeClaimsCreated.toSorted()).toEqual(
      claims.map(({ metadata }) => metadata.name).toSorted(),
    );
    expect(result.nodeClaimsLaunched.toSorted()).toEqual(result.nodeClaimsCreated.toSorted());
    expect(result.podsNominated).toBe(10);
    expect(result.unschedulablePods).toEqual([]);
    for (const claim of claims) {
      expect(claim.metadata.name).toMatch(/^general-/);
      expect(claim.metadata.labels).toMatchObject({
        team: 'platform',
        [Labels.nodePool]: 'general',
        [Labels.instanceFamily]: 'm5',
      });
      expect(claim.metadata.annotations?.[Annotations.nodePoolHash]).toBe(nodePoolHash(nodePool!));
      expect(claim.metadata.ownerReferences).toEqual([
        {
          apiVersion: 'karpenter.sh/v1',
          kind: 'NodePool',
          name: 'general',
          uid: nodePool?.metadata.uid,
          blockOwnerDeletion: true,
        },
      ]);
      expect(claim.metadata.finalizers).toEqual([TERMINATION_FINALIZER]);
      expect(claim.spec.requirements).toContainEqual({
        key: Labels.instanceFamily,
        operator: 'In',
        values: ['m5'],
      });
      const instanceTypes =
        claim.spec.requirements.find(({ key }) => key === Labels.instanceType)?.values ?? [];
      expect(instanceTypes.length).toBeGreaterThan(0);
      expect(instanceTypes.every((type) => type.startsWith('m5.'))).toBe(true);
      expect(claim.spec.resources?.requests?.['pods']).toBeDefined();
      expect(claim.status?.providerID).toMatch(/^aws:\/\/\/us-east-1[a-f]\/i-/);
      expect(claim.status?.conditions).toContainEqual(
        expect.objectContaining({ type: 'Launched', status: 'True' }),
      );
      expect(NodeClaimSchema.safeParse(claim).success).toBe(true);
    }
    expect(env.cloud.running()).toHaveLength(claims.length);
  });

  it('records Nominated events on pods and Launched events on NodeClaims', async () => {
    // Prepare
    const env = await arrange(3);

    // Act
    const result = completed(await runProvisioning(env.deps()));

    // Assess
    const events = await env.events();
    const nominated = events.filter(({ reason }) => reason === 'Nominated');
    expect(nominated.map(({ involvedObject }) => involvedObject.name).toSorted()).toEqual([
      'web-0',
      'web-1',
      'web-2',
    ]);
    expect(nominated[0]?.message).toMatch(/^Pod should schedule on: nodeclaim\/general-/);
    const launched = events.filter(({ reason }) => reason === 'Launched');
    expect(launched.map(({ involvedObject }) => involvedObject.name).toSorted()).toEqual(
      result.nodeClaimsLaunched.toSorted(),
    );
  });

  it('records Nominated events as Karpenter does: a burst of 10 across pods, once per pod across runs', async () => {
    // Prepare: 30 pods; two runs share a recorder, as runs in one Lambda container do.
    const env = await arrange(30);
    const recorder = new EventRecorder(env.clock);
    const nominatedPods = async () =>
      (await env.events())
        .filter(({ reason }) => reason === 'Nominated')
        .map(({ involvedObject }) => involvedObject.name);

    // Act
    const first = completed(await runProvisioning(env.deps({ recorder })));
    const afterFirst = await nominatedPods();
    const second = completed(await runProvisioning(env.deps({ recorder })));

    // Assess: every pod is nominated, only the burst is told; the second run repeats nothing.
    expect([first.podsNominated, second.podsNominated]).toEqual([30, 30]);
    expect(afterFirst).toHaveLength(10);
    expect(new Set(afterFirst).size).toBe(10);
    expect(await nominatedPods()).toHaveLength(10);
  });

  it('creates nothing on a second run for the same pods: in-flight claims count as capacity', async () => {
    // Prepare
    const env = await arrange(20);
    const first = completed(await runProvisioning(env.deps()));

    // Act
    const second = completed(await runProvisioning(env.deps()));

    // Assess
    expect(first.nodeClaimsCreated.length).toBeGreaterThan(0);
    expect(second.nodeClaimsCreated).toEqual([]);
    expect(second.nodeClaimsLaunched).toEqual([]);
    expect(second.podsNominated).toBe(20);
    expect(await nodeClaims(env)).toHaveLength(first.nodeClaimsCreated.length);
  });

  it('skips when another run holds the lock, and runs once it is released', async () => {
    // Prepare
    const env = await arrange(1);
    const other = env.kube.runLock('another-run');
    await other.lock.tryAcquire();

    // Act
    const skipped = await runProvisioning(env.deps());
    await other.lock.release();
    const after = await runProvisioning(env.deps());

    // Assess
    expect(skipped).toEqual({ status: 'skipped', reason: 'locked' });
    expect(completed(after).nodeClaimsCreated).toHaveLength(1);
  });

  it('releases the lock at the end so the next run need not wait for expiry', async () => {
    // Prepare
    const env = await arrange(1);
    await runProvisioning(env.deps());

    // Act
    const acquired = await env.kube.runLock('next-run').lock.tryAcquire();

    // Assess
    expect(acquired).toBe(true);
  });

  it('launches NodeClaims an earlier run created but never launched, without creating more', async () => {
    // Prepare: the first run dies after each launch, before recording it on the NodeClaim.
    const env = await arrange(8);
    const dying = new CrashAfterLaunchCloud(env.cloud);
    const first = completed(await runProvisioning(env.deps({ cloud: dying })));

    // Act
    const second = completed(await runProvisioning(env.deps()));

    // Assess
    expect(first.launchFailures.map(({ name }) => name).toSorted()).toEqual(
      first.nodeClaimsCreated.toSorted(),
    );
    expect(env.logger.entries.filter(({ level }) => level === 'error')).toHaveLength(
      first.nodeClaimsCreated.length,
    );
    expect(dying.launched).toHaveLength(first.nodeClaimsCreated.length);
    expect(second.nodeClaimsCreated).toEqual([]);
    expect(second.nodeClaimsLaunched.toSorted()).toEqual(first.nodeClaimsCreated.toSorted());
    expect(
      env.cloud
        .running()
        .map(({ providerID }) => providerID)
        .toSorted(),
    ).toEqual(dying.launched.map(({ providerID }) => providerID).toSorted());
    for (const claim of await nodeClaims(env))
      expect(claim.status?.conditions).toContainEqual(
        expect.objectContaining({ type: 'Launched', status: 'True' }),
      );
  });

  it('deletes a NodeClaim no offering can launch, releasing its finalizer, so its pods are planned again', async () => {
    // Prepare
    const env = await arrange(1);
    const [nodePool] = (await env.kube.kube.listNodePools()).items;
    const m5 = (await env.cloud.getInstanceTypes(nodePool!)).filter(
      ({ labels }) => labels[Labels.instanceFamily] === 'm5',
    );
    for (const { name } of m5) env.cloud.faults.exhaust({ instanceType: name });

    // Act
    const result = completed(await runProvisioning(env.deps()));

    // Assess
    expect(result.nodeClaimsDeleted).toEqual([
      expect.objectContaining({
        name: result.nodeClaimsCreated[0],
        reason: 'InsufficientCapacity',
      }),
    ]);
    expect(await nodeClaims(env)).toEqual([]);
    const events = await env.events();
    expect(events).toContainEqual(
      expect.objectContaining({ reason: 'InsufficientCapacity', type: 'Warning' }),
    );
  });

  it('reports pods no NodePool can take, with a FailedScheduling event naming the reason', async () => {
    // Prepare
    const env = await arrange(0);
    await env.createPendingPod('huge', { cpu: '1000' });

    // Act
    const result = completed(await runProvisioning(env.deps()));

    // Assess
    expect(result.nodeClaimsCreated).toEqual([]);
    expect(result.unschedulablePods).toEqual([
      { pod: 'default/huge', reason: expect.stringContaining('general') },
    ]);
    const failed = (await env.events()).filter(({ reason }) => reason === 'FailedScheduling');
    expect(failed).toEqual([
      expect.objectContaining({
        type: 'Warning',
        involvedObject: expect.objectContaining({ name: 'huge' }),
      }),
    ]);
    expect(failed[0]?.message).toContain(result.unschedulablePods[0]?.reason);
  });

  it('leaves everything to the next run when the deadline leaves the scheduler no time', async () => {
    // Prepare
    const env = await arrange(5);

    // Act
    const result = completed(
      await runProvisioning(env.deps({ deadline: env.clock.now() + 1_000 }), {
        safetyMarginMs: 5_000,
      }),
    );

    // Assess
    expect(result.schedulerTimedOut).toBe(true);
    expect(result.podsNotAttempted).toBe(5);
    expect(result.nodeClaimsCreated).toEqual([]);
  });

  it('ignores pods that are not provisionable: DaemonSet-owned, bound, or not marked Unschedulable', async () => {
    // Prepare
    const env = await arrange(0);
    await env.createPendingPod('daemon', {
      metadata: {
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ds', uid: 'u1' }],
      },
    });
    await env.create(ResourceTypes.pod, {
      metadata: { name: 'fresh', namespace: 'default' },
      spec: { containers: [{ name: 'app' }] },
    });

    // Act
    const result = completed(await runProvisioning(env.deps()));

    // Assess
    expect(result.nodeClaimsCreated).toEqual([]);
    expect(result.podsNominated).toBe(0);
    expect(result.unschedulablePods).toEqual([]);
  });

  it('launches replacement capacity for the movable pods of a disrupted node only', async () => {
    // Prepare
    const env = await arrange(0);
    await env.create(ResourceTypes.node, {
      metadata: { name: 'old', labels: { [Labels.nodePool]: 'general' } },
      spec: { taints: [Taints.disrupted] },
      status: {
        capacity: { cpu: '4', memory: '16Gi', pods: '58' },
        allocatable: { cpu: '4', memory: '16Gi', pods: '58' },
      },
    });
    await env.create(ResourceTypes.pod, podObject('movable', { spec: { nodeName: 'old' } }));
    await env.create(
      ResourceTypes.pod,
      podObject('pinned', {
        metadata: { annotations: { [Annotations.doNotDisrupt]: 'true' } },
        spec: { nodeName: 'old' },
      }),
    );

    // Act
    const result = completed(await runProvisioning(env.deps()));

    // Assess
    expect(result.nodeClaimsCreated).toHaveLength(1);
    expect(result.podsNominated).toBe(1);
    const nominated = (await env.events()).filter(({ reason }) => reason === 'Nominated');
    expect(nominated.map(({ involvedObject }) => involvedObject.name)).toEqual(['movable']);
  });

  it('stops creating NodeClaims once another run has taken the lock, leaving the rest to the next run', async () => {
    // Prepare: three pods that refuse to share a node; during the first launch another holder takes the Lease.
    const env = await arrange(0);
    const antiAffinity = {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { labelSelector: { matchLabels: { app: 'solo' } }, topologyKey: Labels.hostname },
        ],
      },
    };
    for (const name of ['solo-a', 'solo-b', 'solo-c'])
      await env.createPendingPod(name, {
        metadata: { labels: { app: 'solo' } },
        spec: { affinity: antiAffinity },
      });
    class LeaseTakenDuringLaunch extends DelegatingCloud {
      override async create(nodeClaim: NodeClaim) {
        await env.cluster.patch(
          ResourceTypes.lease,
          { name: leaseName(CLUSTER_NAME), namespace: DEFAULT_LEASE_NAMESPACE },
          { spec: { holderIdentity: 'another-run' } },
        );
        await env.clock.advance(DEFAULT_LEASE_DURATION_SECONDS * 1000);
        for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
        return super.create(nodeClaim);
      }
    }

    // Act
    const result = completed(
      await runProvisioning(env.deps({ cloud: new LeaseTakenDuringLaunch(env.cloud) }), {
        launchConcurrency: 1,
      }),
    );

    // Assess
    expect(result.lockLost).toBe(true);
    expect(result.nodeClaimsCreated).toHaveLength(1);
    expect(result.podsNotAttempted).toBe(2);
    expect(await nodeClaims(env)).toHaveLength(1);
  });
});
