import { beforeEach, describe, expect, it } from 'vitest';
import {
  findCondition,
  Labels,
  NodeClaimConditionTypes,
  NodePoolConditionTypes,
  Taints,
  TERMINATION_FINALIZER,
} from '../../../lib/apis/index.ts';
import { ResourceTypes } from '../../../lib/kube/index.ts';
import {
  DEFAULT_REGISTRATION_TTL_MS,
  loadLifecycleView,
  runLifecycle,
  type LifecycleOptions,
} from '../../../lib/lifecycle/index.ts';
import { LifecycleEnvironment, NODE_POOL } from './lifecycle-environment.ts';

const STARTUP = { key: 'example.com/agent-not-ready', effect: 'NoSchedule' as const };
const DEDICATED = { key: 'example.com/dedicated', value: 'ml', effect: 'NoSchedule' as const };

describe('the lifecycle run', () => {
  let env: LifecycleEnvironment;
  beforeEach(async () => {
    env = new LifecycleEnvironment();
    await env.setUp();
  });

  async function pass(options: LifecycleOptions = {}) {
    return runLifecycle(env.lifecycleDeps(), await loadLifecycleView(env.kube.kube), options);
  }

  it('registers a claim with its Node: labels, annotations, taints, finalizer, owner and the unregistered taint lifted', async () => {
    // Prepare
    const claim = await env.launchClaim({ taints: [DEDICATED], startupTaints: [STARTUP] });
    const node = await env.registerNode(claim);

    // Act
    const result = await pass();

    // Assess
    expect(result.registered).toEqual([claim.metadata.name]);
    const registered = await env.node(node.metadata.name);
    expect(registered?.metadata.labels).toMatchObject({
      [Labels.registered]: 'true',
      [Labels.nodePool]: NODE_POOL,
      team: 'platform',
    });
    expect(registered?.metadata.annotations).toMatchObject({ 'example.com/owner': 'platform' });
    expect(registered?.metadata.finalizers).toEqual([TERMINATION_FINALIZER]);
    expect(registered?.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'NodeClaim', name: claim.metadata.name }),
    ]);
    expect(registered?.spec?.taints?.map(({ key }) => key).sort()).toEqual(
      [DEDICATED.key, STARTUP.key].sort(),
    );
    const updated = await env.claim(claim.metadata.name ?? '');
    expect(updated.status?.nodeName).toBe(node.metadata.name);
    expect(findCondition(updated.status?.conditions, 'Registered')?.status).toBe('True');
  });

  it('initializes only once the node is Ready and its startup taint is gone', async () => {
    // Prepare
    const claim = await env.launchClaim({ startupTaints: [STARTUP] });
    const node = await env.registerNode(claim, { ready: false });
    await pass();

    // Act
    const notReady = await pass();
    await env.patchObject(
      ResourceTypes.node,
      { name: node.metadata.name },
      { status: { conditions: [{ type: 'Ready', status: 'True' }] } },
      'status',
    );
    await env.setNodeTaints(node.metadata.name, (taints) =>
      taints.filter(({ key }) => key !== 'node.kubernetes.io/not-ready'),
    );
    const startupTaintLeft = await pass();
    await env.setNodeTaints(node.metadata.name, (taints) =>
      taints.filter(({ key }) => key !== STARTUP.key),
    );
    const initialized = await pass();

    // Assess
    expect(notReady.initialized).toEqual([]);
    expect(startupTaintLeft.initialized).toEqual([]);
    expect(initialized.initialized).toEqual([claim.metadata.name]);
    expect((await env.node(node.metadata.name))?.metadata.labels?.[Labels.initialized]).toBe(
      'true',
    );
    const updated = await env.claim(claim.metadata.name ?? '');
    expect(findCondition(updated.status?.conditions, 'Initialized')?.status).toBe('True');
  });

  it('registers and initializes in the same pass a claim whose Node is already Ready and untainted', async () => {
    // Prepare
    const ready = await env.launchClaim();
    const readyNode = await env.registerNode(ready);
    const tainted = await env.launchClaim({ startupTaints: [STARTUP] });
    await env.registerNode(tainted);

    // Act
    const result = await pass();

    // Assess
    expect([...result.registered].sort()).toEqual(
      [ready.metadata.name, tainted.metadata.name].sort(),
    );
    expect(result.initialized).toEqual([ready.metadata.name]);
    expect((await env.node(readyNode.metadata.name))?.metadata.labels).toMatchObject({
      [Labels.registered]: 'true',
      [Labels.initialized]: 'true',
    });
    const conditions = (await env.claim(ready.metadata.name ?? '')).status?.conditions;
    expect(findCondition(conditions, 'Registered')?.status).toBe('True');
    expect(findCondition(conditions, 'Initialized')?.status).toBe('True');
    const waiting = (await env.claim(tainted.metadata.name ?? '')).status?.conditions;
    expect(findCondition(waiting, 'Initialized')?.status).not.toBe('True');
  });

  it('waits for every extended resource the claim requested to appear in allocatable', async () => {
    // Prepare
    const claim = await env.launchClaim({ requests: { 'example.com/fpga': '1' } });
    const node = await env.registerNode(claim);
    await pass();

    // Act
    const without = await pass();
    await env.patchObject(
      ResourceTypes.node,
      { name: node.metadata.name },
      { status: { allocatable: { 'example.com/fpga': '1' } } },
      'status',
    );
    const withResource = await pass();

    // Assess
    expect(without.initialized).toEqual([]);
    expect(withResource.initialized).toEqual([claim.metadata.name]);
  });

  it('deletes a claim whose node has not registered within the TTL, and not a moment before', async () => {
    // Prepare
    const claim = await env.launchClaim();
    await env.clock.advance(DEFAULT_REGISTRATION_TTL_MS - 1_000);

    // Act
    const early = await pass();
    await env.clock.advance(1_000);
    const due = await pass();

    // Assess
    expect(early.registrationTimedOut).toEqual([]);
    expect(due.registrationTimedOut).toEqual([claim.metadata.name]);
    expect((await env.claim(claim.metadata.name ?? '')).metadata.deletionTimestamp).toBeDefined();
  });

  it('takes a shorter registration TTL from its options', async () => {
    // Prepare
    const claim = await env.launchClaim();
    await env.clock.advance(30_000);

    // Act
    const result = await pass({ registrationTtlMs: 30_000 });

    // Assess
    expect(result.registrationTimedOut).toEqual([claim.metadata.name]);
  });

  it('writes each NodePool’s resources and node count, leaving out claims being deleted', async () => {
    // Prepare
    const kept = await env.launchClaim();
    await env.registerNode(kept);
    const deleted = await env.launchClaim();
    await env.kube.kube.deleteNodeClaim(deleted.metadata.name ?? '');

    // Act
    await pass();

    // Assess
    const [pool] = (await env.kube.kube.listNodePools()).items;
    expect(pool?.status?.nodes).toBe(1);
    expect(pool?.status?.resources).toMatchObject({ cpu: '2', nodes: '1' });
  });

  it('marks the NodePool NodeRegistrationHealthy Unknown, False after failed registrations, True after registrations', async () => {
    // Prepare
    await env.launchClaim();
    await env.launchClaim();
    const healthOf = async () =>
      findCondition(
        (await env.kube.kube.listNodePools()).items[0]?.status?.conditions,
        NodePoolConditionTypes.nodeRegistrationHealthy,
      );

    // Act
    await pass();
    const initially = await healthOf();
    await env.clock.advance(DEFAULT_REGISTRATION_TTL_MS);
    await pass();
    const afterFailures = await healthOf();
    for (let index = 0; index < 3; index++) await env.registerNode(await env.launchClaim());
    await pass();
    const afterRegistrations = await healthOf();

    // Assess
    expect(initially?.status).toBe('Unknown');
    expect(afterFailures).toMatchObject({ status: 'False', reason: 'RegistrationFailed' });
    expect(afterRegistrations?.status).toBe('True');
  });

  it('resets NodeRegistrationHealthy to Unknown when the NodePool’s spec changes', async () => {
    // Prepare
    const claim = await env.launchClaim();
    await env.registerNode(claim);
    await pass();
    await env.patchObject(ResourceTypes.nodePool, { name: NODE_POOL }, { spec: { weight: 5 } });

    // Act
    await pass();

    // Assess
    const [pool] = (await env.kube.kube.listNodePools()).items;
    expect(
      findCondition(pool?.status?.conditions, NodePoolConditionTypes.nodeRegistrationHealthy)
        ?.status,
    ).toBe('Unknown');
  });

  it('leaves a claim being deleted to the termination run', async () => {
    // Prepare
    const claim = await env.launchClaim();
    const node = await env.registerNode(claim);
    await env.kube.kube.deleteNodeClaim(claim.metadata.name ?? '');

    // Act
    const result = await pass();

    // Assess
    expect(result.registered).toEqual([]);
    expect(
      findCondition(
        (await env.claim(claim.metadata.name ?? '')).status?.conditions,
        NodeClaimConditionTypes.registered,
      ),
    ).toBeUndefined();
    expect((await env.node(node.metadata.name))?.spec?.taints).toContainEqual(Taints.unregistered);
  });
});
