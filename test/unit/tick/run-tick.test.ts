import { beforeEach, describe, expect, it } from 'vitest';
import { isConditionTrue } from '../../../lib/apis/index.ts';
import { runTick, type TickResult } from '../../../lib/tick/index.ts';
import { LifecycleEnvironment, untilIdle } from '../lifecycle/lifecycle-environment.ts';

describe('the tick', () => {
  let env: LifecycleEnvironment;
  beforeEach(async () => {
    env = new LifecycleEnvironment();
    await env.setUp();
  });

  /** Starts a tick with `seconds` to go and returns a driver that moves time forward while it runs. */
  function startTick(seconds: number) {
    let result: TickResult | undefined;
    const running = runTick(env.deps({ deadline: env.clock.now() + seconds * 1000 })).then(
      (value) => {
        result = value;
        return value;
      },
    );
    return {
      running,
      async advance(milliseconds: number) {
        await untilIdle(env, () => result !== undefined);
        await env.clock.advance(milliseconds);
        await untilIdle(env, () => result !== undefined);
      },
    };
  }

  it('registers claims, collects leaked instances and provisions the pods a lost signal left waiting, in one invocation', async () => {
    // Prepare
    const leaked = await env.launchClaim();
    await env.kube.kube.updateNodeClaim(leaked.metadata.name ?? '', (claim) => ({
      ...claim,
      metadata: { ...claim.metadata, finalizers: [] },
    }));
    await env.kube.kube.deleteNodeClaim(leaked.metadata.name ?? '');
    await env.clock.advance(60_000);
    const registering = await env.launchClaim();
    await env.registerNode(registering);
    await env.createPendingPod('web', { cpu: '3' });

    // Act
    const tick = startTick(30);
    await tick.advance(40_000);
    const result = await tick.running;

    // Assess
    expect(result.passes[0]?.lifecycle.registered).toEqual([registering.metadata.name]);
    expect(result.garbageCollection.instancesTerminated).toEqual([env.instanceOf(leaked).id]);
    expect(result.provisioning).toMatchObject({ status: 'completed', podsNominated: 1 });
    expect(
      result.provisioning?.status === 'completed' && result.provisioning.nodeClaimsLaunched,
    ).toHaveLength(1);
  });

  it('leaves provisioning alone when no pod is waiting for a node', async () => {
    // Act
    const result = await startTick(0).running;

    // Assess
    expect(result.provisioning).toBeUndefined();
    expect(result.passes).toHaveLength(1);
  });

  it('starts evicting within seconds of a deletion mid-invocation and terminates the emptied node within 15 s', async () => {
    // Prepare
    const { claim, node } = await env.registeredClaim();
    await env.runPod('web', node.metadata.name);
    const tick = startTick(50);
    await tick.advance(5_000);
    const deletedAt = env.clock.now();
    await env.kube.kube.deleteNodeClaim(claim.metadata.name ?? '');

    // Act
    let evictedAfter: number | undefined;
    let terminatedAfter: number | undefined;
    while (env.clock.now() - deletedAt < 30_000) {
      await tick.advance(1_000);
      const [web] = (await env.kube.kube.listPods({ nodeName: node.metadata.name })).items;
      if (web?.metadata.deletionTimestamp && evictedAfter === undefined) {
        evictedAfter = env.clock.now() - deletedAt;
        await env.kubeletFinishes(node.metadata.name);
      }
      if (env.instanceOf(claim).terminatedAt !== undefined && terminatedAfter === undefined)
        terminatedAfter = env.clock.now() - deletedAt;
    }
    await env.clock.advance(60_000);
    const result = await tick.running;

    // Assess
    expect(evictedAfter).toBeLessThanOrEqual(10_000);
    expect((terminatedAfter ?? Infinity) - (evictedAfter ?? 0)).toBeLessThanOrEqual(15_000);
    expect(result.passes.length).toBeGreaterThan(10);
    expect(await env.kube.kube.getNodeClaim(claim.metadata.name ?? '')).toBeUndefined();
  });

  it('keeps initializing nodes between ticks', async () => {
    // Prepare
    const claim = await env.launchClaim();
    const tick = startTick(20);
    await tick.advance(4_000);
    await env.registerNode(claim);

    // Act
    await tick.advance(4_000);
    await env.clock.advance(30_000);
    await tick.running;

    // Assess
    const updated = await env.claim(claim.metadata.name ?? '');
    expect(isConditionTrue(updated.status?.conditions, 'Initialized')).toBe(true);
  });
});
