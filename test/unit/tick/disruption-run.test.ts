import { describe, expect, it } from 'vitest';
import { findCondition, type NodeClaim } from '../../../lib/apis/index.ts';
import { ResourceTypes } from '../../../lib/kube/index.ts';
import { loadLifecycleView, runLifecycle, runNodeClasses } from '../../../lib/lifecycle/index.ts';
import { runProvisioning } from '../../../lib/provisioning/index.ts';
import { COMMAND_VALIDATION_DELAY_MS } from '../../../lib/disruption/index.ts';
import { runDisruption, type DisruptionResult } from '../../../lib/tick/index.ts';
import { LifecycleEnvironment, NODE_POOL } from '../lifecycle/lifecycle-environment.ts';
import { NODE_CLASS_NAME } from '../provisioning/memory-environment.ts';
import { KilledAfterLaunch } from '../../fixtures/crashing-cloud.ts';
import { KarpenterMetrics, MemoryMetrics } from '../../../lib/metrics/index.ts';

/** Lets the run go on, moving time a second at a time whenever it waits (the 15 s re-check, lease renewals). */
async function settle<T>(env: LifecycleEnvironment, run: Promise<T>): Promise<T> {
  let done = false;
  const result = run.finally(() => {
    done = true;
  });
  while (!done) await env.clock.advance(1_000);
  return result;
}

function disrupt(
  env: LifecycleEnvironment,
  metrics = new MemoryMetrics(),
): Promise<DisruptionResult> {
  return settle(env, runDisruption(env.deps({ metrics })));
}

function condition(claim: NodeClaim | undefined, type: string) {
  return findCondition(claim?.status?.conditions, type);
}

/** A claim the provisioning run created (stamped with the NodePool hash), its node registered and initialized, running `pods`. */
async function provisionedNode(
  env: LifecycleEnvironment,
  pods: string[],
): Promise<{ claim: NodeClaim; nodeName: string }> {
  await env.createPendingPod('seed');
  const result = await settle(env, runProvisioning(env.deps()));
  if (result.status !== 'completed') throw new Error('provisioning was skipped');
  await env.cluster.delete(
    ResourceTypes.pod,
    { name: 'seed', namespace: 'default' },
    { gracePeriodSeconds: 0 },
  );
  const launched = await env.claim(result.nodeClaimsLaunched[0] ?? '');
  const node = await env.registerNode(launched);
  await lifecycle(env);
  for (const name of pods) await env.runPod(name, node.metadata.name);
  return { claim: await env.claim(launched.metadata.name ?? ''), nodeName: node.metadata.name };
}

/** Two lifecycle passes: the first registers claims with their nodes, the second initializes them. */
/** Changes the NodePool's template, so every node launched before is statically drifted. */
async function driftNodePool(env: LifecycleEnvironment): Promise<void> {
  await env.cluster.patch(
    ResourceTypes.nodePool,
    { name: NODE_POOL },
    { spec: { template: { metadata: { labels: { team: 'payments' } } } } },
  );
}

async function lifecycle(env: LifecycleEnvironment): Promise<void> {
  for (let pass = 0; pass < 2; pass += 1)
    await runLifecycle(env.lifecycleDeps(), await loadLifecycleView(env.kube.kube));
}

async function initializeAll(env: LifecycleEnvironment): Promise<void> {
  const registered = new Set(
    (await env.kube.kube.listNodes()).items.map(({ spec }) => spec?.providerID),
  );
  for (const claim of (await env.kube.kube.listNodeClaims()).items)
    if (claim.status?.providerID && !registered.has(claim.status.providerID))
      await env.registerNode(claim);
  await lifecycle(env);
}

describe('the disruption run on the in-memory cluster and the simulated cloud', () => {
  it('marks an empty node Consolidatable and removes it 15 s later, tainted, with DisruptionReason Empty', async () => {
    // Prepare
    const env = new LifecycleEnvironment();
    await env.setUp();
    const { claim, nodeName } = await provisionedNode(env, []);
    const metrics = new MemoryMetrics();

    // Act
    const result = await disrupt(env, metrics);

    // Assess
    const after = await env.kube.kube.getNodeClaim(claim.metadata.name ?? '');
    expect(result.commands[0]).toMatchObject({ reason: 'Empty', deleted: [claim.metadata.name] });
    expect(metrics.recordsOf(KarpenterMetrics.nodeClaimsDisrupted)).toEqual([
      {
        metric: KarpenterMetrics.nodeClaimsDisrupted,
        value: 1,
        dimensions: { nodepool: NODE_POOL, reason: 'empty' },
      },
    ]);
    expect(after?.metadata.deletionTimestamp).toBeDefined();
    expect(condition(after, 'Consolidatable')?.status).toBe('True');
    expect(condition(after, 'DisruptionReason')).toMatchObject({ status: 'True', reason: 'Empty' });
    expect((await env.node(nodeName))?.spec?.taints).toContainEqual({
      key: 'karpenter.sh/disrupted',
      effect: 'NoSchedule',
    });
  });

  it('abandons the emptiness command when a pod lands on the node before the re-check', async () => {
    // Prepare
    const env = new LifecycleEnvironment();
    await env.setUp();
    const { claim, nodeName } = await provisionedNode(env, []);
    // The pod arrives while the run waits to re-check the command it computed.
    const clock = {
      now: () => env.clock.now(),
      sleep: async (milliseconds: number) => {
        if (milliseconds === COMMAND_VALIDATION_DELAY_MS) await env.runPod('late', nodeName);
        return env.clock.sleep(milliseconds);
      },
    };

    // Act
    const result = await settle(env, runDisruption(env.deps({ clock })));

    // Assess
    expect(result.commands).toEqual([]);
    expect(result.abandoned).toBe(`node "${nodeName}" is no longer empty`);
    expect((await env.claim(claim.metadata.name ?? '')).metadata.deletionTimestamp).toBeUndefined();
  });

  it('replaces a drifted node: the replacement launches first, the old claim goes once it is initialized', async () => {
    // Prepare
    const env = new LifecycleEnvironment();
    await env.setUp();
    const { claim } = await provisionedNode(env, ['web']);
    await driftNodePool(env);

    // Act
    const started = await disrupt(env);
    const waiting = await disrupt(env);
    await initializeAll(env);
    const finished = await disrupt(env);

    // Assess
    const name = claim.metadata.name ?? '';
    expect(started.commands[0]).toMatchObject({
      reason: 'Drifted',
      candidates: [name],
      deleted: [],
    });
    expect(started.commands[0]?.replacements).toHaveLength(1);
    const replacement = await env.claim(started.commands[0]?.replacements[0] ?? '');
    expect(replacement.metadata.annotations?.['skyscale.sh/replaces']).toBe(name);
    expect(replacement.metadata.labels?.['team']).toBe('payments');
    expect(waiting.orchestration?.waiting).toEqual([name]);
    expect(finished.orchestration?.deleted).toEqual([name]);
    const old = await env.kube.kube.getNodeClaim(name);
    expect(condition(old, 'Drifted')).toMatchObject({ status: 'True', reason: 'NodePoolDrifted' });
    expect(old?.metadata.deletionTimestamp).toBeDefined();
  });

  it('marks a node Drifted with NodeClassDrift once its EC2NodeClass changes and is reconciled, and replaces it', async () => {
    // Prepare
    const env = new LifecycleEnvironment();
    await env.setUp();
    const { claim } = await provisionedNode(env, ['web']);
    await env.cluster.patch(
      ResourceTypes.ec2NodeClass,
      { name: NODE_CLASS_NAME },
      { spec: { tags: { team: 'payments' } } },
    );
    const beforeReconciliation = await disrupt(env);

    // Act
    await runNodeClasses(env.lifecycleDeps());
    const result = await disrupt(env);

    // Assess
    const name = claim.metadata.name ?? '';
    expect(beforeReconciliation.commands).toEqual([]);
    expect(condition(await env.claim(name), 'Drifted')).toMatchObject({
      status: 'True',
      reason: 'NodeClassDrift',
    });
    expect(result.commands[0]).toMatchObject({ reason: 'Drifted', candidates: [name] });
    expect(result.commands[0]?.replacements).toHaveLength(1);
  });

  it('launches a replacement whose launch a killed run left unrecorded, then deletes the old claim once it is initialized', async () => {
    // Prepare: the invocation dies once EC2 has started the replacement's instance
    const env = new LifecycleEnvironment();
    await env.setUp();
    const { claim } = await provisionedNode(env, ['web']);
    await driftNodePool(env);
    const dying = new KilledAfterLaunch(env.cloud);
    const killed = await settle(env, runDisruption(env.deps({ cloud: dying })));
    const replacementName = killed.commands[0]?.replacements[0] ?? '';
    const unrecorded = await env.claim(replacementName);

    // Act
    const resumed = await disrupt(env);
    await initializeAll(env);
    const finished = await disrupt(env);

    // Assess
    const name = claim.metadata.name ?? '';
    expect(killed.commands[0]?.failures).toHaveLength(1);
    expect(unrecorded.status?.providerID).toBeUndefined();
    expect(resumed.orchestration?.waiting).toEqual([name]);
    const launched = await env.claim(replacementName);
    expect(launched.status?.providerID).toBe(dying.launched[0]);
    expect(
      env.cloud.instances().filter(({ nodeClaimName }) => nodeClaimName === replacementName),
    ).toHaveLength(1);
    expect(finished.orchestration?.deleted).toEqual([name]);
  });

  it('rolls a drift command back when its replacement does not initialize within 10 minutes', async () => {
    // Prepare
    const env = new LifecycleEnvironment();
    await env.setUp();
    const { claim, nodeName } = await provisionedNode(env, ['web']);
    await driftNodePool(env);
    const started = await disrupt(env);
    // No new drift command may start once this one is rolled back.
    await env.cluster.patch(
      ResourceTypes.nodePool,
      { name: NODE_POOL },
      { spec: { disruption: { budgets: [{ nodes: '0', reasons: ['Drifted'] }] } } },
    );
    await env.clock.advance(10 * 60_000);

    // Act
    const later = await disrupt(env);

    // Assess
    const name = claim.metadata.name ?? '';
    expect(later.orchestration?.rolledBack).toEqual([
      { name, reason: 'its replacement(s) did not initialize within 10 minutes' },
    ]);
    const replacement = await env.kube.kube.getNodeClaim(
      started.commands[0]?.replacements[0] ?? '',
    );
    expect(replacement?.metadata.deletionTimestamp).toBeDefined();
    expect(condition(await env.claim(name), 'DisruptionReason')).toBeUndefined();
    expect((await env.node(nodeName))?.spec?.taints ?? []).not.toContainEqual({
      key: 'karpenter.sh/disrupted',
      effect: 'NoSchedule',
    });
  });

  it('deletes an expired claim whatever its budgets and pods', async () => {
    // Prepare
    const env = new LifecycleEnvironment();
    await env.setUp();
    await env.cluster.patch(
      ResourceTypes.nodePool,
      { name: NODE_POOL },
      { spec: { disruption: { budgets: [{ nodes: '0' }] } } },
    );
    const { claim } = await provisionedNode(env, ['web']);
    await env.clock.advance(721 * 3_600_000);
    const metrics = new MemoryMetrics();

    // Act
    const result = await disrupt(env, metrics);

    // Assess
    expect(result.expired).toEqual([claim.metadata.name]);
    expect(
      metrics.sum(KarpenterMetrics.nodeClaimsDisrupted, { nodepool: NODE_POOL, reason: 'expired' }),
    ).toBe(1);
    expect((await env.claim(claim.metadata.name ?? '')).metadata.deletionTimestamp).toBeDefined();
  });
});
