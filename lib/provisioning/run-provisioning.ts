import {
  MAX_SCHEDULING_DEADLINE_MS,
  schedule,
  type SchedulingResult,
} from '../scheduling/index.ts';
import { loadClusterSnapshot, schedulingInput, shareUnavailableOfferings } from '../state/index.ts';
import type { Pod } from '../apis/index.ts';
import type { LeaseRenewer } from '../kube/index.ts';
import {
  KarpenterMetrics,
  MetricDimension,
  noMetrics,
  RunMetrics,
  RunTrigger,
  type MetricsRecorder,
} from '../metrics/index.ts';
import { recorderOf } from './event-recorder.ts';
import { act, type ActReport } from './act.ts';
import { withRunLock } from './run-lock.ts';
import {
  DEFAULT_SAFETY_MARGIN_MS,
  RENEWAL_HEADROOM_MS,
  type CompletedProvisioning,
  type ProvisioningDeps,
  type ProvisioningOptions,
  type ProvisioningResult,
  type RunDurations,
} from './types.ts';

/**
 * The scheduler's budget: what is left of the run less the safety margin, at most the scheduler's
 * own cap, and ending before the lease's fence. The scheduler is synchronous, so nothing renews
 * the lease while it runs; the renewal right after it needs the fence still open.
 */
function schedulingBudgetMs(
  deps: ProvisioningDeps,
  safetyMarginMs: number,
  lease: LeaseRenewer,
): number {
  return Math.max(
    0,
    Math.min(
      deps.deadline - deps.clock.now() - safetyMarginMs,
      lease.remainingMs() - RENEWAL_HEADROOM_MS,
      MAX_SCHEDULING_DEADLINE_MS,
    ),
  );
}

const NOTHING_TO_SCHEDULE: SchedulingResult = {
  newNodeClaims: [],
  existingNodes: [],
  unschedulable: [],
  notAttempted: [],
  timedOut: false,
};

function completed(
  report: ActReport,
  plan: SchedulingResult,
  lockLost: boolean,
  durations: RunDurations,
): CompletedProvisioning {
  const names = (kind: string): string[] =>
    report.outcomes.flatMap((outcome) =>
      outcome.kind === kind ? [outcome.nodeClaim.metadata.name ?? ''] : [],
    );
  return {
    status: 'completed',
    nodeClaimsCreated: report.created,
    nodeClaimsLaunched: names('launched'),
    nodeClaimsDeleted: report.outcomes.flatMap((outcome) =>
      outcome.kind === 'deleted'
        ? [
            {
              name: outcome.nodeClaim.metadata.name ?? '',
              reason: outcome.reason,
              message: outcome.message,
            },
          ]
        : [],
    ),
    launchFailures: report.outcomes.flatMap((outcome) =>
      outcome.kind === 'failed'
        ? [{ name: outcome.nodeClaim.metadata.name ?? '', message: outcome.message }]
        : [],
    ),
    podsNominated: report.nominated,
    unschedulablePods: report.unschedulable,
    podsNotAttempted: report.notAttempted,
    schedulerTimedOut: plan.timedOut,
    lockLost,
    durations,
  };
}

/** The pods waiting for a place, the oldest one's age, and how long the scheduler took. */
function recordPlanning(
  metrics: MetricsRecorder,
  pending: readonly Pod[],
  now: number,
  solveMs: number,
): void {
  const created = pending.map(({ metadata }) => Date.parse(metadata.creationTimestamp ?? ''));
  const oldest = Math.min(...created.filter((time) => !Number.isNaN(time)));
  metrics.record(RunMetrics.pendingPods, pending.length);
  metrics.record(
    RunMetrics.oldestPendingPodAge,
    Number.isFinite(oldest) ? (now - oldest) / 1000 : 0,
  );
  if (pending.length > 0)
    metrics.record(KarpenterMetrics.schedulingDuration, solveMs / 1000, {
      [MetricDimension.controller]: RunTrigger.provisioner,
    });
}

async function provision(
  deps: ProvisioningDeps,
  options: ProvisioningOptions,
  lease: LeaseRenewer,
  startedAt: number,
): Promise<CompletedProvisioning> {
  const { kube, cloud, clock, logger } = deps;
  await shareUnavailableOfferings(kube.unavailableOfferings, cloud);
  const snapshot = await loadClusterSnapshot({ kube: kube.kube, cloud });
  for (const { name, reason } of snapshot.unavailableNodePools)
    logger.warn('NodePool left out of provisioning', { nodePool: name, reason });
  const pending = snapshot.podsToPlace(clock.now());
  const loadedAt = clock.now();

  const input = schedulingInput(snapshot, pending, {
    clock,
    deadlineMs: schedulingBudgetMs(deps, options.safetyMarginMs ?? DEFAULT_SAFETY_MARGIN_MS, lease),
    preferencePolicy: options.preferencePolicy,
  });
  const plan = pending.length === 0 ? NOTHING_TO_SCHEDULE : schedule(input);
  const solvedAt = clock.now();
  lease.renewNow();

  const stopped = (): boolean => !lease.held() || clock.now() >= deps.deadline;
  const report = await act(deps, snapshot, plan, stopped, options.launchConcurrency);
  await recorderOf(deps).publish(kube.kube, report.events);
  await shareUnavailableOfferings(kube.unavailableOfferings, cloud).catch((error: unknown) =>
    logger.warn('Could not share the offerings found unavailable; the next run tries again', {
      error: String(error),
    }),
  );
  const durations = {
    loadMs: loadedAt - startedAt,
    solveMs: solvedAt - loadedAt,
    actMs: clock.now() - solvedAt,
  };

  recordPlanning(deps.metrics ?? noMetrics, pending, loadedAt, durations.solveMs);
  const result = completed(report, plan, lease.signal.aborted, durations);
  logger.info('Provisioning run finished', {
    created: result.nodeClaimsCreated.length,
    launched: result.nodeClaimsLaunched.length,
    deleted: result.nodeClaimsDeleted.length,
    launchFailures: result.launchFailures.length,
    podsNominated: result.podsNominated,
    unschedulablePods: result.unschedulablePods.length,
    podsNotAttempted: result.podsNotAttempted,
    schedulerTimedOut: result.schedulerTimedOut,
    ...durations,
  });
  return result;
}

/**
 * One provisioning pass: take the cluster's Lease (skip if another run holds it), load the
 * snapshot, plan the provisionable pods against the deadline, create a NodeClaim per planned
 * claim within the NodePool limits, launch it and any claim an earlier run created but never
 * launched, and record events. The Lease is renewed while the run works and released at the end;
 * every create, launch and deletion first checks that the run still holds it.
 */
export async function runProvisioning(
  deps: ProvisioningDeps,
  options: ProvisioningOptions = {},
): Promise<ProvisioningResult> {
  const startedAt = deps.clock.now();
  const result = await withRunLock(deps, (lease) => provision(deps, options, lease, startedAt));
  return result ?? { status: 'skipped', reason: 'locked' };
}
