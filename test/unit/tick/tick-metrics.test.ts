import { beforeEach, describe, expect, it } from 'vitest';
import { Labels } from '../../../lib/apis/index.ts';
import { ResourceTypes } from '../../../lib/kube/index.ts';
import { rfc3339 } from '../../../lib/kube/rfc3339.ts';
import {
  KarpenterMetrics,
  MemoryMetrics,
  RunMetrics,
  UndeclaredDimensionsError,
} from '../../../lib/metrics/index.ts';
import { runObjectPass, runTick } from '../../../lib/tick/index.ts';
import { LifecycleEnvironment, NODE_POOL, untilIdle } from '../lifecycle/lifecycle-environment.ts';
import { podObject } from '../provisioning/memory-environment.ts';

describe('the metrics the tick records', () => {
  let env: LifecycleEnvironment;
  let metrics: MemoryMetrics;
  beforeEach(async () => {
    env = new LifecycleEnvironment();
    await env.setUp();
    metrics = new MemoryMetrics();
  });

  it('counts a NodeClaim terminated in a follow-up pass by NodePool and capacity type, and the NodePool gauges once', async () => {
    // Prepare
    const { claim } = await env.registeredClaim({ capacityType: 'spot' });
    let done = false;
    const running = runTick(env.deps({ metrics, deadline: env.clock.now() + 30_000 })).then(
      (result) => {
        done = true;
        return result;
      },
    );
    await untilIdle(env, () => done);
    await env.clock.advance(4_000);
    await untilIdle(env, () => done);

    // Act
    await env.kube.kube.deleteNodeClaim(claim.metadata.name ?? '');
    while (!done) {
      await env.clock.advance(2_000);
      await untilIdle(env, () => done);
    }
    const result = await running;

    // Assess
    const terminatedIn = result.passes.findIndex(({ termination }) =>
      termination.finished.includes(claim.metadata.name ?? ''),
    );
    expect(terminatedIn).toBeGreaterThan(0);
    expect(metrics.recordsOf(KarpenterMetrics.nodeClaimsTerminated)).toEqual([
      {
        metric: KarpenterMetrics.nodeClaimsTerminated,
        value: 1,
        dimensions: { nodepool: NODE_POOL, capacity_type: 'spot' },
      },
    ]);
    expect(metrics.recordsOf(RunMetrics.nodePoolRegistrationUnhealthy)).toHaveLength(1);
    expect(metrics.recordsOf(RunMetrics.nodePoolCost)).toHaveLength(1);
  });

  it('records each NodePool’s cost per hour as the sum of its launched claims’ offering prices', async () => {
    // Prepare
    await env.createNodePool('batch');
    const claims = [
      await env.launchClaim({ capacityType: 'spot' }),
      await env.launchClaim(),
      await env.launchClaim({ nodePool: 'batch' }),
    ];
    const [spot, onDemand, batch] = claims.map((claim) => env.instanceOf(claim).priceUSDPerHour);

    // Act
    await runObjectPass(env.deps({ metrics }));

    // Assess
    expect(spot).toBeLessThan(onDemand ?? 0);
    expect(metrics.sum(RunMetrics.nodePoolCost, { nodepool: NODE_POOL })).toBeCloseTo(
      (spot ?? NaN) + (onDemand ?? NaN),
      10,
    );
    expect(metrics.sum(RunMetrics.nodePoolCost, { nodepool: 'batch' })).toBeCloseTo(
      batch ?? NaN,
      10,
    );
    expect(claims.every(({ metadata }) => metadata.labels?.[Labels.zone])).toBe(true);
  });

  it('records the startup of the pods that turned Ready in the period before the scheduled time, once each', async () => {
    // Prepare
    const scheduledAt = env.clock.now() + 200_000;
    const createPod = (name: string) =>
      env.create(ResourceTypes.pod, podObject(name, { spec: { nodeName: 'node-a' } }));
    const becomeReady = (name: string, readyAgo: number, restartCount = 0) =>
      env.patchObject(
        ResourceTypes.pod,
        { name, namespace: 'default' },
        {
          status: {
            phase: 'Running',
            conditions: [
              {
                type: 'Ready',
                status: 'True',
                lastTransitionTime: rfc3339(scheduledAt - readyAgo),
              },
            ],
            containerStatuses: [{ name: 'app', restartCount }],
          },
        },
        'status',
      );
    await createPod('previous-period');
    await env.clock.advance(100_000);
    await createPod('fresh');
    await createPod('restarted');
    await becomeReady('previous-period', 70_000);
    await becomeReady('fresh', 30_000);
    await becomeReady('restarted', 10_000, 2);
    await env.clock.advance(105_000);

    // Act
    const result = await runTick(env.deps({ metrics, deadline: env.clock.now() }), { scheduledAt });

    // Assess
    expect(result.podsStarted).toBe(1);
    expect(metrics.recordsOf(KarpenterMetrics.podsStartupDuration)).toEqual([
      { metric: KarpenterMetrics.podsStartupDuration, value: 70, dimensions: {} },
    ]);
  });

  it('refuses a record whose dimensions are not the metric’s declared ones', () => {
    // Act
    const record = () =>
      metrics.record(KarpenterMetrics.nodeClaimsTerminated, 1, {
        nodepool: 'general',
      } as never);

    // Assess
    expect(record).toThrow(UndeclaredDimensionsError);
    expect(record).toThrow(
      'karpenter_nodeclaims_terminated_total is recorded with dimensions [capacity_type, nodepool], not [nodepool]',
    );
  });
});
