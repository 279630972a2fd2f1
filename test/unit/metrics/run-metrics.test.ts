import { describe, expect, it } from 'vitest';
import {
  KarpenterMetrics,
  labelValue,
  MemoryMetrics,
  RunMetrics,
} from '../../../lib/metrics/index.ts';
import { runProvisioning } from '../../../lib/provisioning/index.ts';
import { runObjectPass } from '../../../lib/tick/index.ts';
import { spotInterruptionWarning, stateChange } from '../../fixtures/interruption-events.ts';
import { InterruptionEnvironment } from '../interruption/interruption-environment.ts';
import { MemoryEnvironment } from '../provisioning/memory-environment.ts';

describe('the metrics the runs record', () => {
  it('provisioning: NodeClaims created by NodePool with Karpenter’s reason, the scheduling time and the pending pods’ age', async () => {
    // Prepare
    const env = new MemoryEnvironment();
    await env.createNodeClass();
    await env.createNodePool('general');
    for (let index = 0; index < 5; index++) await env.createPendingPod(`web-${index}`);
    await env.clock.advance(90_000);
    const metrics = new MemoryMetrics();

    // Act
    const result = await runProvisioning(env.deps({ metrics }));

    // Assess
    if (result.status !== 'completed') throw new Error('the run was skipped');
    expect(result.nodeClaimsCreated.length).toBeGreaterThan(0);
    expect(
      metrics.sum(KarpenterMetrics.nodeClaimsCreated, {
        nodepool: 'general',
        reason: 'provisioning',
      }),
    ).toBe(result.nodeClaimsCreated.length);
    expect(metrics.sum(RunMetrics.pendingPods)).toBe(5);
    expect(metrics.sum(RunMetrics.oldestPendingPodAge)).toBe(90);
    expect(metrics.recordsOf(KarpenterMetrics.schedulingDuration)).toEqual([
      {
        metric: KarpenterMetrics.schedulingDuration,
        value: result.durations.solveMs / 1000,
        dimensions: { controller: 'provisioner' },
      },
    ]);
    expect(metrics.sum(KarpenterMetrics.cloudProviderErrors)).toBe(0);
  });

  it('provisioning: nothing pending records zero pending pods and no scheduling time', async () => {
    // Prepare
    const env = new MemoryEnvironment();
    await env.createNodeClass();
    await env.createNodePool('general');
    const metrics = new MemoryMetrics();

    // Act
    await runProvisioning(env.deps({ metrics }));

    // Assess
    expect(metrics.records).toEqual([
      { metric: RunMetrics.pendingPods, value: 0, dimensions: {} },
      { metric: RunMetrics.oldestPendingPodAge, value: 0, dimensions: {} },
    ]);
  });

  it('interruption: messages received by type, and NodeClaims disrupted by the interruption’s kind', async () => {
    // Prepare
    const env = new InterruptionEnvironment();
    await env.setUp();
    const { claim } = await env.registeredClaim({ capacityType: 'spot' });
    const nodePool = claim.metadata.labels?.['karpenter.sh/nodepool'] ?? '';
    const metrics = new MemoryMetrics();

    // Act
    await env.interrupt(
      [
        spotInterruptionWarning({ instanceId: env.instanceIdOf(claim) }),
        stateChange('running', { instanceId: 'i-0000000000000000a' }),
      ],
      { metrics },
    );

    // Assess
    expect(
      metrics.sum(KarpenterMetrics.interruptionReceivedMessages, {
        message_type: 'spot_interruption',
      }),
    ).toBe(1);
    expect(metrics.sum(KarpenterMetrics.interruptionReceivedMessages)).toBe(2);
    expect(metrics.recordsOf(KarpenterMetrics.nodeClaimsDisrupted)).toEqual([
      {
        metric: KarpenterMetrics.nodeClaimsDisrupted,
        value: 1,
        dimensions: { nodepool: nodePool, reason: 'spot_interruption' },
      },
    ]);
    expect(nodePool).not.toBe('');
  });

  it('tick: each NodePool’s usage and limit by resource type, in cores for CPU, and its registration health', async () => {
    // Prepare
    const env = new MemoryEnvironment();
    await env.createNodeClass();
    await env.createNodePool('general', { limits: { cpu: '100', memory: '400Gi' } });
    await env.createPendingPod('web-0');
    await runProvisioning(env.deps());
    const metrics = new MemoryMetrics();

    // Act
    await runObjectPass(env.deps({ metrics }));

    // Assess
    const general = { nodepool: 'general' };
    expect(metrics.sum(KarpenterMetrics.nodePoolLimit, { ...general, resource_type: 'cpu' })).toBe(
      100,
    );
    expect(
      metrics.sum(KarpenterMetrics.nodePoolLimit, { ...general, resource_type: 'memory' }),
    ).toBe(400 * 1024 ** 3);
    expect(
      metrics.sum(KarpenterMetrics.nodePoolUsage, { ...general, resource_type: 'nodes' }),
    ).toBe(1);
    const cores = metrics.sum(KarpenterMetrics.nodePoolUsage, { ...general, resource_type: 'cpu' });
    expect(cores).toBeGreaterThan(0);
    expect(cores).toBeLessThan(100);
    expect(metrics.sum(RunMetrics.nodePoolRegistrationUnhealthy, general)).toBe(0);
    expect(metrics.recordsOf(RunMetrics.nodePoolRegistrationUnhealthy)).toHaveLength(1);
  });

  it('spells label values as Karpenter does', () => {
    // Act / Assess
    expect(labelValue('InsufficientCapacity')).toBe('insufficient_capacity');
    expect(labelValue('SpotInterruption')).toBe('spot_interruption');
    expect(labelValue('provisioning')).toBe('provisioning');
  });
});
