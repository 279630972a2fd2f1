import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { durationMilliseconds, DurationSchema, formatZodIssues } from '../../lib/apis/index.ts';
import {
  TickEnvironment,
  TickEventFields,
  TickMetrics,
  type TickOptions,
  type TickResult,
} from '../../lib/tick/index.ts';
import { RunTrigger } from '../../lib/metrics/index.ts';
import { countMetric, logger, measuredRun, metrics } from '../shared/powertools.ts';

const TickEnvironmentSchema = z.object({
  [TickEnvironment.registrationTtl]: DurationSchema.optional(),
  [TickEnvironment.spotToSpotConsolidation]: z.enum(['true', 'false']).optional(),
  [TickEnvironment.period]: DurationSchema.optional(),
});

const TickEventSchema = z.looseObject({
  [TickEventFields.scheduledTime]: z.iso.datetime({ offset: true }).optional(),
});

/**
 * When the schedule meant this invocation to run, from its event; undefined for an invocation
 * without one (by hand). A malformed time is named in the error.
 */
export function scheduledAt(event: unknown): number | undefined {
  const parsed = TickEventSchema.safeParse(event ?? {});
  if (!parsed.success)
    throw new Error(`Invalid tick event: ${formatZodIssues(parsed.error).join('; ')}`);
  const time = parsed.data[TickEventFields.scheduledTime];
  return time === undefined ? undefined : Date.parse(time);
}

/** The tick's settings from its environment; a bad value is named in the error. */
export function tickOptions(
  environment: Readonly<Record<string, string | undefined>>,
): TickOptions {
  const parsed = TickEnvironmentSchema.safeParse(environment);
  if (!parsed.success)
    throw new Error(`Invalid tick environment: ${formatZodIssues(parsed.error).join('; ')}`);
  const ttl = parsed.data[TickEnvironment.registrationTtl];
  const spotToSpot = parsed.data[TickEnvironment.spotToSpotConsolidation];
  const period = parsed.data[TickEnvironment.period];
  return {
    ...(ttl !== undefined && { registrationTtlMs: durationMilliseconds(ttl) }),
    ...(period !== undefined && { periodMs: durationMilliseconds(period) }),
    ...(spotToSpot !== undefined && {
      disruption: { spotToSpotConsolidation: spotToSpot === 'true' },
    }),
  };
}

function report(result: TickResult): void {
  const sum = (count: (pass: TickResult['passes'][number]) => number): number =>
    result.passes.reduce((total, pass) => total + count(pass), 0);
  countMetric(TickMetrics.passes, result.passes.length);
  countMetric(
    TickMetrics.registered,
    sum(({ lifecycle }) => lifecycle.registered.length),
  );
  countMetric(
    TickMetrics.initialized,
    sum(({ lifecycle }) => lifecycle.initialized.length),
  );
  countMetric(
    TickMetrics.registrationTimedOut,
    sum(({ lifecycle }) => lifecycle.registrationTimedOut.length),
  );
  countMetric(
    TickMetrics.evictions,
    sum(({ termination }) => termination.evicted),
  );
  countMetric(
    TickMetrics.evictionsBlocked,
    sum(({ termination }) => termination.blocked),
  );
  countMetric(
    TickMetrics.terminated,
    sum(({ termination }) => termination.finished.length),
  );
  countMetric(TickMetrics.leakedInstances, result.garbageCollection.instancesTerminated.length);
  countMetric(TickMetrics.nodeClassesNotReady, result.nodeClasses.notReady.length);
  const { disruption } = result;
  countMetric(TickMetrics.disruptionCommands, disruption.commands.length);
  countMetric(
    TickMetrics.disrupted,
    (disruption.orchestration?.deleted.length ?? 0) +
      disruption.commands.reduce((total, { deleted }) => total + deleted.length, 0),
  );
  countMetric(TickMetrics.expired, disruption.expired.length);
  const failures = [
    ...result.passes.flatMap(({ lifecycle, termination }) => [
      ...lifecycle.failures,
      ...termination.failures,
    ]),
    ...result.garbageCollection.failures,
    ...result.nodeClasses.failures,
  ];
  countMetric(TickMetrics.failures, failures.length);
  if (failures.length > 0)
    logger.warn('Objects the tick could not move along; the next pass retries them', {
      failures: failures.slice(0, 20),
    });
}

/**
 * The EventBridge Scheduler target: one tick per invocation. The schedule's event carries its
 * scheduled time. A failed tick is not retried (the next one is a minute away); it is logged.
 */
export function tickHandler(
  run: (context: Context, scheduledAt: number | undefined) => Promise<TickResult>,
) {
  return async (event: unknown, context: Context): Promise<void> => {
    logger.addContext(context);
    try {
      report(await measuredRun(RunTrigger.tick, () => run(context, scheduledAt(event))));
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}
