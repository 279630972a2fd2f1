import { findCondition, NodeClaimConditionTypes } from '../apis/index.ts';
import type { Candidate } from './candidates.ts';
import {
  withinBudget,
  type Command,
  type DisruptionMethod,
  type MethodContext,
} from './command.ts';
import { isDrifted } from './conditions.ts';
import { allRunningPodsScheduled, unscheduledReason } from './simulation.ts';

function driftedAt(candidate: Candidate): number {
  const condition = findCondition(
    candidate.nodeClaim.status?.conditions,
    NodeClaimConditionTypes.drifted,
  );
  return Date.parse(condition?.lastTransitionTime ?? '');
}

/**
 * Drift, as Karpenter's: drifted candidates oldest drift first; every empty one the budgets allow
 * goes at once; otherwise the first one whose pods all find a place in the simulation is
 * replaced, its replacements launched before it is removed. Eventual: pods that may not move do
 * not block a node whose terminationGracePeriod bounds its drain.
 */
export const driftMethod: DisruptionMethod = {
  reason: 'Drifted',
  disruptionClass: 'eventual',
  validated: true,
  computeCommand(context: MethodContext): Command | undefined {
    const drifted = context.candidates
      .filter(({ nodeClaim }) => isDrifted(nodeClaim))
      .sort((a, b) => driftedAt(a) - driftedAt(b));
    if (drifted.length === 0) return undefined;
    const budget = context.budgets('Drifted');
    const empty = withinBudget(
      drifted.filter(({ reschedulablePods }) => reschedulablePods.length === 0),
      budget,
    );
    if (empty.length > 0) return { reason: 'Drifted', candidates: empty, replacements: [] };
    for (const candidate of drifted) {
      if ((budget.get(candidate.nodePool.metadata.name ?? '') ?? 0) <= 0) continue;
      const result = context.simulate([candidate]);
      if (!allRunningPodsScheduled(result)) {
        context.blocked(candidate, unscheduledReason(result));
        continue;
      }
      return { reason: 'Drifted', candidates: [candidate], replacements: result.newNodeClaims };
    }
    return undefined;
  },
};
