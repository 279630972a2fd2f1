import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultDimensions, metricsRecorder } from '../../../functions/shared/powertools.ts';
import { scheduledAt, tickHandler, tickOptions } from '../../../functions/tick/tick-handler.ts';
import { KarpenterMetrics, RunMetrics } from '../../../lib/metrics/index.ts';
import type { TickResult } from '../../../lib/tick/index.ts';
import { lambdaContext } from '../../fixtures/lambda-events.ts';

const EMPTY_TICK: TickResult = {
  nodeClasses: {
    ready: [],
    notReady: [],
    statusWritten: [],
    finalized: [],
    deletionWaiting: [],
    failures: [],
  },
  podsStarted: 0,
  passes: [],
  garbageCollection: { instancesTerminated: [], nodeClaimsDeleted: [], failures: [] },
  provisioning: undefined,
  disruption: {
    status: 'skipped',
    conditionsUpdated: [],
    orchestration: undefined,
    expired: [],
    commands: [],
    abandoned: undefined,
  },
};

describe('the tick handler', () => {
  it('takes a shortened registration TTL from REGISTRATION_TTL', () => {
    // Act
    const options = tickOptions({ REGISTRATION_TTL: '90s' });

    // Assess
    expect(options).toEqual({ registrationTtlMs: 90_000 });
    expect(tickOptions({})).toEqual({});
  });

  it('reads SPOT_TO_SPOT_CONSOLIDATION, and names it when it is neither true nor false', () => {
    // Act
    const on = tickOptions({ SPOT_TO_SPOT_CONSOLIDATION: 'true' });
    const parse = () => tickOptions({ SPOT_TO_SPOT_CONSOLIDATION: 'yes' });

    // Assess
    expect(on).toEqual({ disruption: { spotToSpotConsolidation: true } });
    expect(parse).toThrow(/SPOT_TO_SPOT_CONSOLIDATION/);
  });

  it('takes the schedule’s period from TICK_PERIOD', () => {
    // Act
    const options = tickOptions({ TICK_PERIOD: '300s' });
    const parse = () => tickOptions({ TICK_PERIOD: 'hourly' });

    // Assess
    expect(options).toEqual({ periodMs: 300_000 });
    expect(parse).toThrow(/TICK_PERIOD/);
  });

  it('reads the scheduled time EventBridge Scheduler puts in the event, and names it when malformed', () => {
    // Act
    const scheduled = scheduledAt({ scheduledTime: '2026-03-01T12:05:00Z' });
    const byHand = scheduledAt({});
    const parse = () => scheduledAt({ scheduledTime: 'noon' });

    // Assess
    expect(scheduled).toBe(Date.parse('2026-03-01T12:05:00Z'));
    expect(byHand).toBeUndefined();
    expect(parse).toThrow(/scheduledTime/);
  });

  it('names REGISTRATION_TTL when it is not a duration', () => {
    // Act
    const parse = () => tickOptions({ REGISTRATION_TTL: 'soon' });

    // Assess
    expect(parse).toThrow(/REGISTRATION_TTL/);
  });

  it('runs one tick per scheduled invocation with the invocation’s context', async () => {
    // Prepare
    const contexts: Context[] = [];
    const context = lambdaContext({ requestId: 'tick-1' }) as Context;

    const scheduled: (number | undefined)[] = [];

    // Act
    await tickHandler((received, at) => {
      contexts.push(received);
      scheduled.push(at);
      return Promise.resolve(EMPTY_TICK);
    })({ scheduledTime: '2026-03-01T12:05:00Z' }, context);

    // Assess
    expect(contexts).toEqual([context]);
    expect(scheduled).toEqual([Date.parse('2026-03-01T12:05:00Z')]);
  });

  it('lets a failed tick fail its invocation', async () => {
    // Act
    const invocation = tickHandler(() => Promise.reject(new Error('apiserver unreachable')))(
      {},
      lambdaContext(),
    );

    // Assess
    await expect(invocation).rejects.toThrow('apiserver unreachable');
  });
});

interface EmfBlob {
  _aws: {
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
  [key: string]: unknown;
}

/** The EMF blobs the invocation wrote to stdout, where Lambda sends them to CloudWatch. */
function captureEmf(): () => EmfBlob[] {
  const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  return () =>
    write.mock.calls
      .flatMap(([chunk]) => String(chunk).split('\n'))
      .filter((line) => line.includes('"_aws"'))
      .map((line) => JSON.parse(line) as EmfBlob);
}

const blobWith = (blobs: EmfBlob[], metric: string): EmfBlob | undefined =>
  blobs.find((blob) => metric in blob);

describe('the tick handler’s metrics', () => {
  it('puts the function’s cluster on every metric, so that clusters can share an account', () => {
    // Act
    const dimensions = defaultDimensions({ CLUSTER_NAME: 'prod-eu' });

    // Assess
    expect(dimensions).toEqual({ cluster: 'prod-eu' });
    expect(defaultDimensions({})).toEqual({});
  });

  it('writes the cluster and the service beside each metric’s own dimensions', async () => {
    // Prepare
    vi.stubEnv('CLUSTER_NAME', 'prod-eu');
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'skyscale-tick');
    vi.resetModules();
    const powertools = await import('../../../functions/shared/powertools.ts');
    const emf = captureEmf();

    // Act
    powertools.metricsRecorder.record(RunMetrics.nodePoolCost, 0.25, { nodepool: 'general' });
    powertools.metricsRecorder.record(RunMetrics.pendingPods, 3);
    powertools.metrics.publishStoredMetrics();

    // Assess
    const blobs = emf();
    expect(blobWith(blobs, RunMetrics.nodePoolCost)).toMatchObject({
      cluster: 'prod-eu',
      service: 'skyscale-tick',
      nodepool: 'general',
    });
    expect(blobWith(blobs, RunMetrics.nodePoolCost)?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual(
      [['service', 'cluster', 'nodepool']],
    );
    expect(blobWith(blobs, RunMetrics.pendingPods)?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([
      ['service', 'cluster'],
    ]);
  });

  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it('flushes the run’s metrics as EMF in the Skyscale namespace, with their dimensions and units', async () => {
    // Prepare
    const emf = captureEmf();

    // Act
    await tickHandler(() => {
      metricsRecorder.record(KarpenterMetrics.nodeClaimsCreated, 2, {
        nodepool: 'general',
        reason: 'provisioning',
      });
      return Promise.resolve(EMPTY_TICK);
    })({}, lambdaContext());

    // Assess
    const blobs = emf();
    const created = blobWith(blobs, KarpenterMetrics.nodeClaimsCreated);
    expect(created).toMatchObject({
      [KarpenterMetrics.nodeClaimsCreated]: 2,
      nodepool: 'general',
      reason: 'provisioning',
    });
    expect(created?._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'Skyscale',
      Metrics: [{ Name: KarpenterMetrics.nodeClaimsCreated, Unit: 'Count' }],
    });
    expect(created?._aws.CloudWatchMetrics[0]?.Dimensions[0]).toEqual(
      expect.arrayContaining(['nodepool', 'reason']),
    );
    expect(blobWith(blobs, RunMetrics.runs)).toMatchObject({ trigger: 'tick', Runs: 1 });
    expect(blobWith(blobs, RunMetrics.runDuration)?._aws.CloudWatchMetrics[0]?.Metrics).toEqual([
      { Name: RunMetrics.runDuration, Unit: 'Seconds' },
    ]);
    // The batch the handler publishes when the invocation ends.
    expect(blobWith(blobs, 'TickPasses')).toMatchObject({ TickPasses: 0 });
    expect(blobWith(blobs, RunMetrics.runFailures)).toBeUndefined();
  });

  it('records a failed run by its trigger, and still flushes', async () => {
    // Prepare
    const emf = captureEmf();

    // Act
    await tickHandler(() => Promise.reject(new Error('apiserver unreachable')))(
      {},
      lambdaContext(),
    ).catch(() => undefined);

    // Assess
    const blobs = emf();
    expect(blobWith(blobs, RunMetrics.runFailures)).toMatchObject({
      trigger: 'tick',
      RunFailures: 1,
    });
    expect(blobWith(blobs, RunMetrics.runs)).toMatchObject({ trigger: 'tick', Runs: 1 });
  });
});
