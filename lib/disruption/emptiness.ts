import { durationMilliseconds } from '../apis/index.ts';
import type { Candidate } from './candidates.ts';
import {
  withinBudget,
  type Command,
  type DisruptionMethod,
  type MethodContext,
} from './command.ts';
import { isConsolidatable } from './conditions.ts';

function consolidationEnabled({ nodePool }: Candidate): boolean {
  return durationMilliseconds(nodePool.spec.disruption.consolidateAfter) !== Infinity;
}

function createdAt({ nodeClaim }: Candidate): number {
  return Date.parse(nodeClaim.metadata.creationTimestamp ?? '');
}

/**
 * Emptiness, as Karpenter's: every consolidatable candidate without a pod that would need a new
 * place goes in one command, as many as the budgets allow (oldest first), under either
 * consolidation policy. Nothing is launched for them.
 */
export const emptinessMethod: DisruptionMethod = {
  reason: 'Empty',
  disruptionClass: 'graceful',
  validated: true,
  computeCommand(context: MethodContext): Command | undefined {
    const empty = context.candidates
      .filter(
        (candidate) =>
          consolidationEnabled(candidate) &&
          isConsolidatable(candidate.nodeClaim) &&
          candidate.reschedulablePods.length === 0,
      )
      .sort((a, b) => createdAt(a) - createdAt(b));
    const chosen = withinBudget(empty, context.budgets('Empty'));
    return chosen.length > 0
      ? { reason: 'Empty', candidates: chosen, replacements: [] }
      : undefined;
  },
};
