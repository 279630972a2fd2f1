import { isConditionTrue, NodeClaimConditionTypes } from '../apis/index.ts';
import { UnseenNodePools } from '../disruption/index.ts';
import {
  parseInterruptionMessage,
  runInterruption,
  type InterruptionResult,
} from '../interruption/index.ts';
import { runProvisioning, type ProvisioningResult, type RunLogger } from '../provisioning/index.ts';
import {
  FOLLOW_UP_INTERVAL_MS,
  runDisruption,
  runGarbageCollection,
  runNodeClassPass,
  runObjectPass,
  runSafetyNet,
  type ObjectPass,
} from '../tick/index.ts';
import { summariseDisruption } from './disruption-summary.ts';
import type { DecisionLog, DecisionSource } from './decision-log.ts';
import type { SimulationWorld } from './simulation.ts';
import type { RunContext, SimulatedRun, SimulationRuns } from './simulation-runs.ts';

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

function summariseProvisioning(
  world: SimulationWorld,
): (runId: string, result: ProvisioningResult | undefined) => void {
  let lastSummary: string | undefined;
  return (runId, result) => {
    if (result === undefined) return;
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
}

function summariseObjectPass(world: SimulationWorld, runId: string, pass: ObjectPass): void {
  const { lifecycle, termination } = pass;
  const parts = [
    ...lifecycle.registrationTimedOut.map(
      (name) => `NodeClaim ${name} did not register in time; deleted`,
    ),
    termination.evicted > 0 ? `evicted ${termination.evicted} pod(s)` : '',
    termination.blocked > 0
      ? `${termination.blocked} eviction(s) refused by a PodDisruptionBudget`
      : '',
    termination.forceDeleted > 0
      ? `deleted ${termination.forceDeleted} pod(s) at the terminationGracePeriod`
      : '',
    termination.finished.length > 0 ? `terminated ${termination.finished.join(', ')}` : '',
    ...[...lifecycle.failures, ...termination.failures].map(
      ({ name, message }) => `${name}: ${message}`,
    ),
  ].filter(Boolean);
  if (parts.length > 0) world.log.record('lifecycle', `${runId}: ${parts.join('; ')}`);
}

function summariseInterruption(
  world: SimulationWorld,
  runId: string,
  result: InterruptionResult,
): void {
  const parts = [
    ...result.nodeClaimsDeleted.map((name) => `deleted NodeClaim ${name}`),
    ...new Set(
      result.offeringsMarkedUnavailable.map(
        ({ instanceType, zone, capacityType }) =>
          `${instanceType} ${capacityType} in ${zone} unavailable for 3m`,
      ),
    ),
    ...[...result.outcomes.values()].flatMap((outcome) =>
      outcome.status === 'acted'
        ? []
        : [`${outcome.status}: ${'error' in outcome ? outcome.error : outcome.reason}`],
    ),
    result.termination && result.termination.evicted > 0
      ? `evicted ${result.termination.evicted} pod(s)`
      : '',
  ].filter(Boolean);
  if (parts.length > 0) world.log.record('interruption', `${runId}: ${parts.join('; ')}`);
}

/** Whether a NodeClaim or Node is on its way in or out, so the tick's follow-up passes have work. */
async function inMotion(world: SimulationWorld): Promise<boolean> {
  const kube = world.kube.kube;
  const [claims, nodes] = await Promise.all([kube.listNodeClaims(), kube.listNodes()]);
  return (
    claims.items.some(
      (claim) =>
        claim.metadata.deletionTimestamp !== undefined ||
        !isConditionTrue(claim.status?.conditions, NodeClaimConditionTypes.initialized),
    ) || nodes.items.some(({ metadata }) => metadata.deletionTimestamp !== undefined)
  );
}

/**
 * The Skyscale runs the simulator drives, composed from the simulated world exactly as the
 * Lambda handlers compose them from real adapters: the webhook's provisioning pass, and the
 * tick's runs (the EC2NodeClass controller, lifecycle and termination, garbage collection, the
 * safety-net provisioning pass) with the follow-up passes the tick makes between minutes, and
 * the interruption run on the EventBridge events the simulated cloud emits, parsed as the Lambda
 * parses its SQS messages; the provisioning signal it sends runs a provisioning pass at once.
 * The disruption run is the tick's last entry.
 */
export function skyscaleRuns(world: SimulationWorld): SimulationRuns {
  const deps = ({ runId, deadline }: RunContext, source: DecisionSource) => ({
    kube: world.kube,
    cloud: world.cloud,
    clock: world.clock,
    logger: loggerFor(world.log, source),
    runId,
    deadline,
  });
  const reportProvisioning = summariseProvisioning(world);
  // Kept from one tick to the next, as the tick's warm Lambda container keeps it.
  const unseenNodePools = new UnseenNodePools();
  const objectPass: SimulatedRun = async (context) =>
    summariseObjectPass(world, context.runId, await runObjectPass(deps(context, 'lifecycle')));
  return {
    provisioning: async (context) =>
      reportProvisioning(context.runId, await runProvisioning(deps(context, 'provisioning'))),
    interruption: async (events, context) => {
      const received = events.map((event, index) => ({
        messageId: `${context.runId}-${index}`,
        message: parseInterruptionMessage(JSON.stringify(event)),
      }));
      const result = await runInterruption(
        {
          ...deps(context, 'interruption'),
          // The pass the provisioning signal starts, before the drain evicts the pods it plans for.
          requestProvisioning: async () =>
            reportProvisioning(context.runId, await runProvisioning(deps(context, 'provisioning'))),
        },
        received,
      );
      summariseInterruption(world, context.runId, result);
    },
    tick: [
      async (context) => {
        const { notReady, failures } = await runNodeClassPass(deps(context, 'lifecycle'));
        for (const { name, reason } of notReady)
          world.log.record(
            'lifecycle',
            `${context.runId}: EC2NodeClass ${name} not ready: ${reason}`,
          );
        for (const { name, message } of failures)
          world.log.record('lifecycle', `${context.runId}: EC2NodeClass ${name}: ${message}`);
      },
      objectPass,
      async (context) => {
        const { instancesTerminated, nodeClaimsDeleted } = await runGarbageCollection(
          deps(context, 'lifecycle'),
        );
        for (const id of instancesTerminated)
          world.log.record('lifecycle', `${context.runId}: terminated leaked instance ${id}`);
        for (const name of nodeClaimsDeleted)
          world.log.record(
            'lifecycle',
            `${context.runId}: NodeClaim ${name} lost its instance; deleted`,
          );
      },
      async (context) =>
        reportProvisioning(context.runId, await runSafetyNet(deps(context, 'provisioning'))),
      async (context) =>
        summariseDisruption(
          world.log,
          world.disruptions,
          context.runId,
          await runDisruption(deps(context, 'disruption'), { unseenNodePools }),
        ),
    ],
    followUp: {
      intervalMs: FOLLOW_UP_INTERVAL_MS,
      run: async (context) => {
        await objectPass(context);
        return inMotion(world);
      },
    },
  };
}
