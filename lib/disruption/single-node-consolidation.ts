import type { Candidate } from './candidates.ts';
import type { Command, DisruptionMethod, MethodContext } from './command.ts';
import {
  computeConsolidation,
  consolidationCandidate,
  recomputeConsolidation,
} from './consolidation.ts';
import { byDisruptionCost } from './disruption-cost.ts';

/** Karpenter's cap on one single-node pass; the run's own deadline may come sooner. */
export const SINGLE_NODE_CONSOLIDATION_TIMEOUT_MS = 3 * 60_000;

/**
 * Cheapest to disrupt first, taking one candidate from each NodePool in turn, so that one large
 * NodePool does not keep the others from being looked at before the deadline; NodePools in
 * `first` (those a timed-out pass did not reach) take their turn before the others.
 */
function interleavedByNodePool(
  candidates: readonly Candidate[],
  first: readonly string[],
): Candidate[] {
  const pools = new Map<string, Candidate[]>(first.map((name) => [name, []]));
  for (const candidate of candidates) {
    const name = poolOf(candidate);
    pools.set(name, [...(pools.get(name) ?? []), candidate]);
  }
  const queues = [...pools.values()];
  const out: Candidate[] = [];
  for (let turn = 0; out.length < candidates.length; turn++)
    for (const queue of queues) {
      const next = queue[turn];
      if (next) out.push(next);
    }
  return out;
}

function poolOf(candidate: Candidate): string {
  return candidate.nodePool.metadata.name ?? '';
}

/**
 * Single-node consolidation, as Karpenter's: each candidate on its own, cheapest disruption cost
 * first and NodePools in turn (those the last pass did not reach before its timeout first),
 * skipping NodePools whose Underutilized budget is spent; the first that can be deleted, or
 * replaced by one cheaper node, is the command. The pass stops at
 * {@link SINGLE_NODE_CONSOLIDATION_TIMEOUT_MS} (or the run's deadline) with nothing, and the
 * NodePools it did not reach are remembered for the next pass.
 */
export const singleNodeConsolidationMethod: DisruptionMethod = {
  reason: 'Underutilized',
  disruptionClass: 'graceful',
  validated: true,
  computeCommand(context: MethodContext): Command | undefined {
    const deadline = context.now() + SINGLE_NODE_CONSOLIDATION_TIMEOUT_MS;
    const budget = context.budgets('Underutilized');
    const candidates = interleavedByNodePool(
      byDisruptionCost(context.candidates.filter(consolidationCandidate), context.now()),
      context.unseenNodePools.first(),
    );
    const unseen = new Set(candidates.map(poolOf));
    for (const candidate of candidates) {
      if (context.now() >= deadline) break;
      unseen.delete(poolOf(candidate));
      if ((budget.get(poolOf(candidate)) ?? 0) <= 0) continue;
      const outcome = computeConsolidation([candidate], context, deadline);
      if (outcome.kind === 'timed-out') break;
      if (outcome.kind === 'command') return outcome.command;
      context.unconsolidatable(candidate, outcome.reason);
    }
    context.unseenNodePools.remember(unseen);
    return undefined;
  },
  recompute: recomputeConsolidation,
};
