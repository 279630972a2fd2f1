import type { NodeClaim, Pod } from '../apis/index.ts';
import {
  KarpenterMetrics,
  MetricDimension,
  noMetrics,
  PROVISIONING_REASON,
  RunTrigger,
  type MetricsRecorder,
} from '../metrics/index.ts';
import type { ThrottledEvent } from './event-recorder.ts';
import { podKey, type SchedulingResult } from '../scheduling/index.ts';
import type { ClusterSnapshot } from '../state/index.ts';
import { mapWithConcurrency } from '../util/index.ts';
import { listActions, type Action, type ActionList } from './actions.ts';
import { failedSchedulingEvent, launchEvent, nominatedEvent } from './events.ts';
import { launchNodeClaim, STOPPED, type LaunchOutcome } from './launch.ts';
import { recordNodeClaimDisrupted, recordNodeClaimTerminated } from './nodeclaim-metrics.ts';
import {
  DEFAULT_LAUNCH_CONCURRENCY,
  type ProvisioningDeps,
  type UnschedulablePodReport,
} from './types.ts';

/** What acting on a plan did, and the events to record for it. */
export interface ActReport {
  readonly created: string[];
  readonly outcomes: LaunchOutcome[];
  readonly unschedulable: UnschedulablePodReport[];
  readonly events: ThrottledEvent[];
  nominated: number;
  notAttempted: number;
}

function unschedulable(report: ActReport, pods: readonly Pod[], reason: string): void {
  report.unschedulable.push(...pods.map((pod) => ({ pod: podKey(pod), reason })));
  report.events.push(...pods.map((pod) => failedSchedulingEvent(pod, reason)));
}

function nominate(report: ActReport, pods: readonly Pod[], target: string): void {
  report.events.push(...pods.map((pod) => nominatedEvent(pod, target)));
  report.nominated += pods.length;
}

/**
 * Karpenter's metrics of a launch: a failed CreateFleet is a cloud provider error, and a claim
 * deleted because nothing can launch it is also a disruption, by its reason, and a NodeClaim
 * terminated (it is released at once, having no instance).
 */
function recordLaunchOutcome(metrics: MetricsRecorder, outcome: LaunchOutcome): void {
  // A launch the run stopped before trying is no error of the cloud's.
  if (outcome.kind === 'launched' || (outcome.kind === 'failed' && outcome.message === STOPPED))
    return;
  metrics.record(KarpenterMetrics.cloudProviderErrors, 1, {
    [MetricDimension.controller]: RunTrigger.provisioner,
    [MetricDimension.method]: 'Create',
  });
  if (outcome.kind !== 'deleted') return;
  recordNodeClaimDisrupted(metrics, outcome.nodeClaim, outcome.reason);
  recordNodeClaimTerminated(metrics, outcome.nodeClaim);
}

/**
 * Carries out a list of actions. `stopped` is asked before every create, launch and deletion:
 * once the lock is lost or the deadline has passed no new action starts; what is skipped is
 * planned again, or launched, by the next run.
 */
export async function executeActions(
  deps: ProvisioningDeps,
  list: ActionList,
  notAttempted: number,
  stopped: () => boolean,
  launchConcurrency = DEFAULT_LAUNCH_CONCURRENCY,
): Promise<ActReport> {
  const { kube, cloud, clock, logger } = deps;
  const metrics = deps.metrics ?? noMetrics;
  const report: ActReport = {
    created: [],
    outcomes: [],
    unschedulable: [],
    events: [],
    nominated: 0,
    notAttempted,
  };
  for (const { pods, reason } of list.unschedulable) unschedulable(report, pods, reason);
  for (const { pods, target } of list.nominations) nominate(report, pods, target);

  const mayAct = (): boolean => !stopped();
  const createAndLaunch = async (action: Action): Promise<LaunchOutcome | undefined> => {
    if (action.kind === 'resume')
      return stopped()
        ? undefined
        : launchNodeClaim(kube.kube, cloud, clock, action.nodeClaim, mayAct, action.inputs);
    const { planned, nodeClaim } = action.decision;
    if (stopped()) {
      report.notAttempted += planned.pods.length;
      return undefined;
    }
    let created: NodeClaim;
    try {
      created = await kube.kube.createNodeClaim(nodeClaim);
    } catch (error) {
      logger.error('Could not create a NodeClaim', {
        nodePool: planned.nodePool,
        error: String(error),
      });
      unschedulable(
        report,
        planned.pods,
        `creating a NodeClaim of NodePool "${planned.nodePool}" failed: ${String(error)}`,
      );
      return undefined;
    }
    const name = created.metadata.name ?? '';
    report.created.push(name);
    metrics.record(KarpenterMetrics.nodeClaimsCreated, 1, {
      [MetricDimension.nodePool]: planned.nodePool,
      [MetricDimension.reason]: PROVISIONING_REASON,
    });
    nominate(report, planned.pods, `nodeclaim/${name}`);
    return launchNodeClaim(kube.kube, cloud, clock, created, mayAct, action.inputs);
  };
  const outcomes = await mapWithConcurrency(list.actions, launchConcurrency, createAndLaunch);
  report.outcomes.push(
    ...outcomes.filter((outcome): outcome is LaunchOutcome => outcome !== undefined),
  );
  for (const outcome of report.outcomes) {
    recordLaunchOutcome(metrics, outcome);
    const nodeClaim = outcome.nodeClaim.metadata.name;
    if (outcome.kind === 'failed')
      logger.error('Could not launch a NodeClaim; the next run retries it', {
        nodeClaim,
        error: outcome.message,
      });
    if (outcome.kind === 'deleted')
      logger.warn('Deleted a NodeClaim nothing can launch', {
        nodeClaim,
        reason: outcome.reason,
        error: outcome.message,
      });
  }
  report.events.push(...report.outcomes.flatMap((outcome) => launchEvent(outcome) ?? []));
  return report;
}

/** Acts on a plan: the actions `listActions` decides, carried out by `executeActions`. */
export function act(
  deps: ProvisioningDeps,
  snapshot: ClusterSnapshot,
  plan: SchedulingResult,
  stopped: () => boolean,
  launchConcurrency = DEFAULT_LAUNCH_CONCURRENCY,
): Promise<ActReport> {
  return executeActions(
    deps,
    listActions(snapshot, plan),
    plan.notAttempted.length,
    stopped,
    launchConcurrency,
  );
}
