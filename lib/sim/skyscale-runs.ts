import { runProvisioning, type ProvisioningResult, type RunLogger } from '../provisioning/index.ts';
import type { DecisionLog, DecisionSource } from './decision-log.ts';
import type { SimulationWorld } from './simulation.ts';
import type { SimulatedRun, SimulationRuns } from './simulation-runs.ts';

/** A run's warnings and errors go to the decisions log; its result is summarised there separately. */
function loggerFor(log: DecisionLog, source: DecisionSource): RunLogger {
  const line = (message: string, attributes?: Record<string, unknown>): string =>
    attributes ? `${message} ${JSON.stringify(attributes)}` : message;
  return {
    info: () => undefined,
    warn: (message, attributes) => log.record(source, line(message, attributes)),
    error: (message, attributes) => log.record(source, `error: ${line(message, attributes)}`),
  };
}

function summary(result: ProvisioningResult): string | undefined {
  if (result.status === 'skipped') return `skipped: another run holds the lock`;
  const parts = [
    result.nodeClaimsCreated.length > 0
      ? `created ${result.nodeClaimsCreated.length} NodeClaim(s)`
      : '',
    result.nodeClaimsLaunched.length > 0 ? `launched ${result.nodeClaimsLaunched.length}` : '',
    result.podsNominated > 0 ? `nominated ${result.podsNominated} pod(s)` : '',
    ...result.nodeClaimsDeleted.map(
      ({ name, reason, message }) => `deleted NodeClaim ${name} (${reason}: ${message})`,
    ),
    ...result.launchFailures.map(({ name, message }) => `launch of ${name} failed: ${message}`),
    result.unschedulablePods.length > 0
      ? `${result.unschedulablePods.length} pod(s) unschedulable: ${result.unschedulablePods[0]?.reason ?? ''}`
      : '',
    result.podsNotAttempted > 0
      ? `${result.podsNotAttempted} pod(s) left for the next run (deadline)`
      : '',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/**
 * The Skyscale runs the simulator drives, composed from the simulated world exactly as the
 * Lambda handlers compose them from real adapters. A run that lands later is one line here:
 * the interruption run as `interruption`, the lifecycle and disruption runs in `tick`.
 */
export function skyscaleRuns(world: SimulationWorld): SimulationRuns {
  let lastSummary: string | undefined;
  const provisioning: SimulatedRun = async ({ runId, deadline }) => {
    const logger = loggerFor(world.log, 'provisioning');
    const result = await runProvisioning({
      kube: world.kube,
      cloud: world.cloud,
      clock: world.clock,
      logger,
      runId,
      deadline,
    });
    if (result.status === 'completed') {
      for (const { pod, reason } of result.unschedulablePods) {
        const record = world.ledger.latest(pod);
        if (record) record.provisioningReason = reason;
      }
    }
    // A run that decides what the previous one decided (a pod waiting on an in-flight claim) is not news.
    const text = summary(result);
    if (text && text !== lastSummary) world.log.record('provisioning', `${runId}: ${text}`);
    lastSummary = text;
  };
  // The schedule's safety-net pass only has work while pods wait; skipping it otherwise saves time, not outcomes.
  const safetyNet: SimulatedRun = async (context) => {
    if (world.unschedulablePods() > 0) await provisioning(context);
  };
  return {
    provisioning,
    // The lifecycle and disruption runs join the schedule here, one line each.
    tick: [safetyNet],
  };
}
