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
 * NodePool does not keep the others from being looked at before the deadline.
 */
function interleavedByNodePool(candidates: readonly Candidate[]): Candidate[] {
  const pools = new Map<string, Candidate[]>();
  for (const candidate of candidates) {
    const name = candidate.nodePool.metadata.name ?? '';
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

/**
 * Single-node consolidation, as Karpenter's: each candidate on its own, cheapest disruption cost
 * first and NodePools in turn, skipping NodePools whose Underutilized budget is spent; the first
 * that can be deleted, or replaced by one cheaper node, is the command. The pass stops at
 * {@link SINGLE_NODE_CONSOLIDATION_TIMEOUT_MS} (or the run's deadline) with nothing.
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
    );
    for (const candidate of candidates) {
      if ((budget.get(candidate.nodePool.metadata.name ?? '') ?? 0) <= 0) continue;
      if (context.now() >= deadline) return undefined;
      const outcome = computeConsolidation([candidate], context, deadline);
      if (outcome.kind === 'timed-out') return undefined;
      if (outcome.kind === 'command') return outcome.command;
      context.unconsolidatable(candidate, outcome.reason);
    }
    return undefined;
  },
  recompute: recomputeConsolidation,
};
