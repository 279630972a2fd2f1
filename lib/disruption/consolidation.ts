import { durationMilliseconds, Labels } from '../apis/index.ts';
import { labelledPrice, type InstanceType } from '../cloudprovider/types.ts';
import { MAX_SCHEDULING_DEADLINE_MS } from '../scheduling/index.ts';
import type { Candidate } from './candidates.ts';
import { cheaperOnDemandReplacement, cheaperSpotReplacement } from './cheaper-replacement.ts';
import type { Command, MethodContext } from './command.ts';
import { isConsolidatable } from './conditions.ts';
import { requiredSavings, savingsThreshold, type SavingsThreshold } from './savings-threshold.ts';
import { allRunningPodsScheduled, unscheduledReason } from './simulation.ts';

/**
 * Whether consolidation may look at the candidate: its NodePool consolidates underutilized
 * nodes, consolidation is not off (`Never`), the claim is Consolidatable, and it has pods to
 * move (empty nodes are emptiness's).
 */
export function consolidationCandidate(candidate: Candidate): boolean {
  const { disruption } = candidate.nodePool.spec;
  return (
    disruption.consolidationPolicy === 'WhenEmptyOrUnderutilized' &&
    durationMilliseconds(disruption.consolidateAfter) !== Infinity &&
    isConsolidatable(candidate.nodeClaim) &&
    candidate.reschedulablePods.length > 0
  );
}

/**
 * What the candidate costs now: the cheapest offering of its instance type in its zone and
 * capacity type (unavailable ones too: it is running), or undefined when the NodePool no longer
 * lists the type.
 */
export function candidatePrice(
  candidate: Candidate,
  instanceTypes: readonly InstanceType[],
): number | undefined {
  return labelledPrice(candidate.node.metadata.labels ?? {}, instanceTypes);
}

export type ConsolidationOutcome =
  | { readonly kind: 'command'; readonly command: Command }
  /** Nothing to do for these candidates, and why. */
  | { readonly kind: 'none'; readonly reason: string }
  /** The simulation hit its deadline; its result says nothing. */
  | { readonly kind: 'timed-out' };

function none(reason: string): ConsolidationOutcome {
  return { kind: 'none', reason };
}

/** The strictest threshold of the candidates' NodePools, or the first one that does not parse. */
function strictestThreshold(
  candidates: readonly Candidate[],
  price: number,
): { required: number } | string {
  let required = 0;
  for (const { nodePool } of candidates) {
    const threshold: SavingsThreshold | undefined | string = savingsThreshold(nodePool);
    if (typeof threshold === 'string') return threshold;
    required = Math.max(required, requiredSavings(threshold, price));
  }
  return { required };
}

/**
 * Karpenter's consolidation decision for removing `candidates` together: simulate the cluster
 * without them (by `deadline`); every running pod must find a place; none launched is a delete;
 * one launched is a replace when cheaper than the candidates together (spot replacing spot only
 * with the spot-to-spot setting); more is nothing.
 */
export function computeConsolidation(
  candidates: readonly Candidate[],
  context: MethodContext,
  deadline: number,
): ConsolidationOutcome {
  const result = context.simulate(candidates, deadline);
  if (result.timedOut) return { kind: 'timed-out' };
  if (!allRunningPodsScheduled(result)) return none(unscheduledReason(result));
  if (result.newNodeClaims.length === 0)
    return { kind: 'command', command: { reason: 'Underutilized', candidates, replacements: [] } };
  const [claim] = result.newNodeClaims;
  if (result.newNodeClaims.length > 1 || !claim)
    return none(`can't remove without creating ${result.newNodeClaims.length} nodes`);
  let price = 0;
  for (const candidate of candidates) {
    const own = candidatePrice(
      candidate,
      context.instanceTypes(candidate.nodePool.metadata.name ?? ''),
    );
    if (own === undefined)
      return none(`the price of node "${candidate.name}"'s instance type is unknown`);
    price += own;
  }
  const threshold = strictestThreshold(candidates, price);
  if (typeof threshold === 'string') return none(threshold);
  const bound = { price, requiredSavings: threshold.required };
  const allSpot = candidates.every(
    ({ node }) => node.metadata.labels?.[Labels.capacityType] === 'spot',
  );
  let replacement;
  if (allSpot && claim.capacityTypes.includes('spot')) {
    if (!context.spotToSpotConsolidation)
      return none(
        'spot-to-spot consolidation is disabled, so a spot node is not replaced by a spot node',
      );
    replacement = cheaperSpotReplacement(claim, bound, candidates.length === 1);
  } else replacement = cheaperOnDemandReplacement(claim, bound);
  if (typeof replacement === 'string') return none(replacement);
  return {
    kind: 'command',
    command: { reason: 'Underutilized', candidates, replacements: [replacement] },
  };
}

/**
 * The consolidation of the same candidates on a fresh look, for the re-check before acting:
 * the command it gives now, or why there is none.
 */
export function recomputeConsolidation(
  candidates: readonly Candidate[],
  context: MethodContext,
): Command | string {
  const outcome = computeConsolidation(
    candidates,
    context,
    context.now() + MAX_SCHEDULING_DEADLINE_MS,
  );
  if (outcome.kind === 'timed-out') return 'the scheduling simulation ran out of time';
  return outcome.kind === 'none' ? outcome.reason : outcome.command;
}
