import { describe, expect, it } from 'vitest';
import type { NodeClaim } from '../../../lib/apis/index.ts';
import type { LaunchedInstance } from '../../../lib/cloudprovider/cloud-provider.ts';
import {
  buildKubeClients,
  leaseName,
  ResourceTypes,
  type ResourceTransport,
} from '../../../lib/kube/index.ts';
import { runProvisioning, type ProvisioningResult } from '../../../lib/provisioning/index.ts';
import { DelegatingCloud } from '../../fixtures/crashing-cloud.ts';
import { overriding } from '../../contract/kube/harness.ts';
import { CLUSTER_NAME, MemoryEnvironment } from './memory-environment.ts';

/** One create, launch or deletion, with the Lease as the apiserver held it at that instant. */
interface Action {
  readonly run: string;
  readonly what: string;
  readonly at: number;
  readonly leaseHolder: string | undefined;
  readonly leaseExpiresAt: number;
}

/** Records every action a run takes, so the test can check each was taken under a live lease. */
class ActionLog {
  readonly actions: Action[] = [];

  constructor(private readonly env: MemoryEnvironment) {}

  async record(run: string, what: string): Promise<void> {
    const at = this.env.clock.now();
    const lease = await this.env.cluster.get(ResourceTypes.lease, {
      name: leaseName(CLUSTER_NAME),
      namespace: 'kube-system',
    });
    const spec = lease['spec'] as {
      holderIdentity?: string;
      renewTime?: string;
      leaseDurationSeconds: number;
    };
    this.actions.push({
      run,
      what,
      at,
      leaseHolder: spec.holderIdentity,
      leaseExpiresAt: Date.parse(spec.renewTime ?? '') + spec.leaseDurationSeconds * 1000,
    });
  }

  /** Actions taken while the Lease was not the run's own, live lease: two runs acting at once. */
  outsideTheLease(): Action[] {
    return this.actions.filter(
      ({ run, at, leaseHolder, leaseExpiresAt }) => leaseHolder !== run || at >= leaseExpiresAt,
    );
  }
}

/** A cloud whose launches take `launchMs` of the clock, recording each launch as it starts. */
class SlowCloud extends DelegatingCloud {
  constructor(
    private readonly env: MemoryEnvironment,
    private readonly log: ActionLog,
    private readonly run: string,
    private readonly launchMs: number,
  ) {
    super(env.cloud);
  }

  override async create(nodeClaim: NodeClaim): Promise<LaunchedInstance> {
    await this.log.record(this.run, `launch ${nodeClaim.metadata.name ?? ''}`);
    if (this.launchMs > 0) await this.env.clock.sleep(this.launchMs);
    return super.create(nodeClaim);
  }
}

/** Lease writes that hang while `on`, until `release` lets them through. */
class Stall {
  on = false;
  private readonly waiting: (() => void)[] = [];

  wait(): Promise<void> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    this.on = false;
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}

/**
 * The KubeClients of one run on the shared in-memory apiserver: NodeClaim creates and deletes are
 * recorded, and the run's Lease writes hang while `stall` is on.
 */
function runClients(env: MemoryEnvironment, log: ActionLog, run: string, stall = new Stall()) {
  const transport: ResourceTransport = overriding(env.cluster, {
    create: async (type, object) => {
      if (type === ResourceTypes.nodeClaim) await log.record(run, 'create NodeClaim');
      return env.cluster.create(type, object);
    },
    delete: async (type, key, options) => {
      if (type === ResourceTypes.nodeClaim) await log.record(run, `delete ${key.name}`);
      return env.cluster.delete(type, key, options);
    },
    patch: async (type, key, patch, subresource) => {
      if (type === ResourceTypes.lease && stall.on) await stall.wait();
      return env.cluster.patch(type, key, patch, subresource);
    },
  });
  return buildKubeClients(() => transport, {
    clusterName: CLUSTER_NAME,
    logger: env.logger,
    clock: env.clock,
    bulkLimits: { qps: 1_000_000, burst: 1_000_000 },
    leaseLimits: { qps: 1_000_000, burst: 1_000_000 },
  });
}

async function arrange(pods: number): Promise<{ env: MemoryEnvironment; log: ActionLog }> {
  const env = new MemoryEnvironment();
  await env.createNodeClass();
  await env.createNodePool('general');
  // Each pod fills most of an m5.16xlarge, so every pod needs a NodeClaim of its own.
  for (let index = 0; index < pods; index++)
    await env.createPendingPod(`batch-${index}`, { cpu: '50' });
  return { env, log: new ActionLog(env) };
}

describe('the Lease fences provisioning runs', () => {
  it('never lets two runs act at once when one run stalls renewing and another takes the lease over', async () => {
    // Prepare: run A launches slowly, two at a time, and every renewal it sends hangs
    const { env, log } = await arrange(20);
    const startedAt = env.clock.now();
    const stall = new Stall();
    const runA = runProvisioning(
      env.deps({
        runId: 'run-a',
        kube: runClients(env, log, 'run-a', stall),
        cloud: new SlowCloud(env, log, 'run-a', 4_000),
      }),
      { launchConcurrency: 2 },
    );
    stall.on = true;

    // Act: run B tries every second, as the webhook and the tick would, until it gets the lease
    let resultB: ProvisioningResult | undefined;
    for (let attempt = 1; env.clock.now() - startedAt < 120_000; attempt++) {
      await env.clock.advance(1_000);
      if (resultB?.status === 'completed') continue;
      const runId = `run-b-${attempt}`;
      resultB = await runProvisioning(
        env.deps({
          runId,
          kube: runClients(env, log, runId),
          cloud: new SlowCloud(env, log, runId, 0),
        }),
      );
    }
    stall.release();
    const resultA = await runA;

    // Assess
    expect(log.outsideTheLease()).toEqual([]);
    const runs = new Set(log.actions.map(({ run }) => run.slice(0, 5)));
    expect(runs).toEqual(new Set(['run-a', 'run-b']));
    expect(resultA).toMatchObject({ status: 'completed', lockLost: true });
    expect(resultB?.status).toBe('completed');
    // Every pod got exactly one instance between the two runs.
    expect(env.cloud.running()).toHaveLength(20);
  });

  it('ends the synchronous scheduler before the fence, so acting follows a renewal', async () => {
    // Prepare: every reading of the clock takes 50 ms and nothing wakes while the scheduler runs
    const { env, log } = await arrange(1_000);
    const runId = 'run-slow-solver';
    env.clock.readCostMs = 50;

    // Act
    const result = await runProvisioning(env.deps({ runId, kube: runClients(env, log, runId) }));
    env.clock.readCostMs = 0;

    // Assess
    expect(result).toMatchObject({ status: 'completed', schedulerTimedOut: true });
    expect(log.actions.length).toBeGreaterThan(0);
    expect(log.outsideTheLease()).toEqual([]);
  });
});
