import {
  COMMAND_VALIDATION_DELAY_MS,
  DISRUPTION_METHODS,
  disruptionCandidates,
  expiredClaims,
  firstCommand,
  orchestrationSteps,
  methodContext,
  validateCommand,
  type Command,
  type DisruptionMethod,
  type MethodContext,
  type UnseenNodePools,
} from '../../disruption/index.ts';
import type { KubeEvent, LeaseRenewer } from '../../kube/index.ts';
import {
  recordNodeClaimDisrupted,
  recorderOf,
  withRunLock,
  type ProvisioningDeps,
} from '../../provisioning/index.ts';
import { loadClusterSnapshot, type ClusterSnapshot } from '../../state/index.ts';
import { errorMessage } from '../../util/index.ts';
import { updateClaimConditions } from './claim-conditions.ts';
import { blockedEvent, terminatingEvent, unconsolidatableEvent } from './disruption-events.ts';
import { orchestrate, type OrchestrationReport } from './orchestrate.ts';
import { startCommand, type StartedCommand } from './start-command.ts';

/** Time kept back from the deadline for acting and releasing the Lease. */
const SAFETY_MARGIN_MS = 10_000;

export interface DisruptionResult {
  readonly status: 'completed' | 'skipped';
  /** NodeClaims whose disruption conditions this run wrote. */
  readonly conditionsUpdated: readonly string[];
  readonly orchestration: OrchestrationReport | undefined;
  /** NodeClaims deleted because they expired. */
  readonly expired: readonly string[];
  /** The commands this run started, in order. */
  readonly commands: readonly StartedCommand[];
  /** Why a command this run computed was dropped before acting. */
  readonly abandoned: string | undefined;
}

export interface DisruptionOptions {
  /**
   * Whether consolidation may replace a spot node by a cheaper spot node, as Karpenter's
   * SpotToSpotConsolidation feature gate allows. Default false, as in Karpenter.
   */
  readonly spotToSpotConsolidation?: boolean;
  /**
   * The NodePools single-node consolidation did not reach before its last timeout; the caller
   * keeps it from one run to the next (the tick's Lambda container keeps it while warm).
   */
  readonly unseenNodePools?: UnseenNodePools;
}

const SKIPPED: DisruptionResult = {
  status: 'skipped',
  conditionsUpdated: [],
  orchestration: undefined,
  expired: [],
  commands: [],
  abandoned: undefined,
};

function contextFor(
  deps: ProvisioningDeps,
  options: DisruptionOptions,
  snapshot: ClusterSnapshot,
  method: DisruptionMethod,
  events: KubeEvent[],
): MethodContext {
  return methodContext({
    snapshot,
    disruptionClass: method.disruptionClass,
    clock: deps.clock,
    deadline: deps.deadline - SAFETY_MARGIN_MS,
    spotToSpotConsolidation: options.spotToSpotConsolidation ?? false,
    ...(options.unseenNodePools && { unseenNodePools: options.unseenNodePools }),
    blocked: (candidate, reason) => events.push(blockedEvent(candidate.nodeClaim, reason)),
    unconsolidatable: (candidate, reason) =>
      events.push(unconsolidatableEvent(candidate.nodeClaim, reason)),
  });
}

/** DisruptionBlocked for nodes a method would have taken but for a blocker (do-not-disrupt, a budget refusing eviction…). */
function blockedEvents(snapshot: ClusterSnapshot, now: number): KubeEvent[] {
  const nodePools = new Map(
    snapshot.nodePools.map(({ nodePool }) => [nodePool.metadata.name ?? '', nodePool]),
  );
  const { blocked } = disruptionCandidates(
    { nodes: snapshot.nodes, nodePools, budgets: snapshot.budgets, now },
    'graceful',
  );
  return blocked.flatMap(({ stateNode, reason }) => {
    const claim = stateNode.nodeClaim;
    const wanted = claim?.status?.conditions?.some(
      ({ type, status }) => (type === 'Drifted' || type === 'Consolidatable') && status === 'True',
    );
    return claim && wanted && !stateNode.markedForDeletion ? [blockedEvent(claim, reason)] : [];
  });
}

/** Phase one, holding the Lease: conditions, commands in progress, expiration, then a new command. */
async function decide(
  deps: ProvisioningDeps,
  options: DisruptionOptions,
  lease: LeaseRenewer,
  events: KubeEvent[],
): Promise<
  Omit<DisruptionResult, 'status' | 'commands' | 'abandoned'> & { next?: PendingCommand }
> {
  const { kube, cloud, clock, logger } = deps;
  const mayAct = (): boolean => lease.held() && clock.now() < deps.deadline;
  let snapshot = await loadClusterSnapshot({ kube: kube.kube, cloud });
  const conditionsUpdated = await updateClaimConditions(deps, snapshot);
  if (conditionsUpdated.length > 0)
    snapshot = await loadClusterSnapshot({ kube: kube.kube, cloud });
  const claims = snapshot.nodes.flatMap(({ nodeClaim }) => (nodeClaim ? [nodeClaim] : []));
  const nodes = snapshot.nodes.flatMap(({ node }) => (node ? [node] : []));
  const orchestration = await orchestrate(
    deps,
    snapshot,
    orchestrationSteps(claims, nodes, clock.now()),
    mayAct,
  );
  events.push(...orchestration.events);
  const expired: string[] = [];
  for (const claim of expiredClaims(claims, clock.now())) {
    const name = claim.metadata.name ?? '';
    if (!mayAct()) break;
    try {
      await kube.kube.deleteNodeClaim(name);
      expired.push(name);
      recordNodeClaimDisrupted(deps.metrics, claim, 'Expired');
      events.push(terminatingEvent(claim, 'Expired'));
      logger.info('Disrupting NodeClaim', { nodeClaim: name, reason: 'Expired' });
    } catch (error) {
      logger.warn('Could not delete an expired NodeClaim', {
        nodeClaim: name,
        error: errorMessage(error),
      });
    }
  }
  const changed =
    expired.length +
      orchestration.deleted.length +
      orchestration.rolledBack.length +
      orchestration.untainted.length >
    0;
  if (changed) snapshot = await loadClusterSnapshot({ kube: kube.kube, cloud });
  events.push(...blockedEvents(snapshot, clock.now()));
  const next = mayAct()
    ? firstCommand(DISRUPTION_METHODS, (method) =>
        contextFor(deps, options, snapshot, method, events),
      )
    : undefined;
  return { conditionsUpdated, orchestration, expired, ...(next && { next }) };
}

/** A command computed by one turn, to be re-checked and started by the next. */
interface PendingCommand {
  readonly method: DisruptionMethod;
  readonly command: Command;
}

/**
 * Phase two, holding the Lease again: a fresh look at the cluster, the command re-checked, then
 * started; once started, the next command is computed from the cluster as that one left it (its
 * candidates tainted, so they count against the budgets).
 */
async function act(
  deps: ProvisioningDeps,
  options: DisruptionOptions,
  lease: LeaseRenewer,
  { method, command }: PendingCommand,
  events: KubeEvent[],
): Promise<{ command?: StartedCommand; abandoned?: string; next?: PendingCommand }> {
  const mayAct = (): boolean => lease.held() && deps.clock.now() < deps.deadline;
  const snapshot = await loadClusterSnapshot({ kube: deps.kube.kube, cloud: deps.cloud });
  const validation = method.validated
    ? validateCommand(method, command, contextFor(deps, options, snapshot, method, events))
    : ({ valid: true, command } as const);
  if (!validation.valid) {
    deps.logger.info('Abandoned a disruption command that no longer holds', {
      reason: command.reason,
      candidates: command.candidates.map(({ name }) => name),
      why: validation.reason,
    });
    return { abandoned: validation.reason };
  }
  const started = await startCommand(deps, snapshot, validation.command, mayAct);
  events.push(...started.events);
  deps.logger.info('Started a disruption command', {
    reason: started.reason,
    candidates: started.candidates,
    replacements: started.replacements,
    failures: started.failures,
  });
  if (!mayAct()) return { command: started };
  const after = await loadClusterSnapshot({ kube: deps.kube.kube, cloud: deps.cloud });
  const next = firstCommand(DISRUPTION_METHODS, (nextMethod) =>
    contextFor(deps, options, after, nextMethod, []),
  );
  return { command: started, ...(next && { next }) };
}

/**
 * The tick's disruption run, in turns holding the cluster's Lease: first it keeps the
 * NodeClaims' Drifted and Consolidatable conditions, moves commands in progress along (deleting
 * candidates whose replacements initialized, rolling back failed ones), deletes expired claims
 * and computes a new command with the first method that has one (drift, emptiness, multi-node
 * then single-node consolidation); then,
 * at least 15 s later and with the Lease released in between so provisioning is never held up,
 * it re-checks the command on a fresh read, starts it and computes the next one from what it
 * left, as long as commands come and the deadline leaves time to re-check them (Karpenter's
 * disruption loop runs every 10 s; the tick only once a minute). A command that no longer
 * holds, or that would not be re-checked before the deadline, is dropped; the next tick
 * computes again.
 */
export async function runDisruption(
  deps: ProvisioningDeps,
  options: DisruptionOptions = {},
): Promise<DisruptionResult> {
  const events: KubeEvent[] = [];
  try {
    const decided = await withRunLock(deps, (lease) => decide(deps, options, lease, events));
    if (!decided) return SKIPPED;
    const { next, ...done } = decided;
    const commands: StartedCommand[] = [];
    let pending = next;
    let abandoned: string | undefined;
    while (pending) {
      if (deps.clock.now() + COMMAND_VALIDATION_DELAY_MS + SAFETY_MARGIN_MS > deps.deadline) {
        abandoned = 'no time left to re-check it';
        break;
      }
      await deps.clock.sleep(COMMAND_VALIDATION_DELAY_MS);
      const computed = pending;
      const acted = await withRunLock(deps, (lease) => act(deps, options, lease, computed, events));
      if (!acted) {
        abandoned = 'another run held the lock when it was re-checked';
        break;
      }
      if (acted.command) commands.push(acted.command);
      abandoned = acted.abandoned;
      pending = acted.next;
    }
    return { status: 'completed', ...done, commands, abandoned };
  } finally {
    await recorderOf(deps).publish(deps.kube.kube, events);
  }
}
