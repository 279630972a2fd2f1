import type { Candidate } from './candidates.ts';
import {
  withinBudget,
  type Command,
  type DisruptionMethod,
  type MethodContext,
} from './command.ts';
import { isConsolidatable, isDrifted } from './conditions.ts';
import { consolidationCandidate } from './consolidation.ts';
import { allRunningPodsScheduled, unscheduledReason } from './simulation.ts';

/** How long a command waits before it is checked again and acted on. */
export const COMMAND_VALIDATION_DELAY_MS = 15_000;

export type Validation =
  | { readonly valid: true; readonly command: Command }
  | { readonly valid: false; readonly reason: string };

function stillQualifies(method: DisruptionMethod, candidate: Candidate): string | undefined {
  if (method.reason === 'Drifted' && !isDrifted(candidate.nodeClaim))
    return `node "${candidate.name}" is no longer drifted`;
  if (method.reason === 'Empty') {
    if (candidate.reschedulablePods.length > 0)
      return `node "${candidate.name}" is no longer empty`;
    if (!isConsolidatable(candidate.nodeClaim))
      return `node "${candidate.name}" is no longer consolidatable`;
  }
  if (method.reason === 'Underutilized' && !consolidationCandidate(candidate))
    return `node "${candidate.name}" is no longer a consolidation candidate`;
  return undefined;
}

/**
 * Checks a command again on a fresh look at the cluster, as Karpenter does before acting: every
 * candidate is still a candidate and still qualifies for the method (an empty node that gained a
 * pod fails), the budgets still allow all of them, and when pods must move the simulation still
 * places every one (for consolidation: the same candidates are still a delete, or still a
 * replace by one cheaper node). The command that holds carries the fresh candidates and the
 * fresh simulation's replacements, which is what the cluster needs now.
 */
export function validateCommand(
  method: DisruptionMethod,
  command: Command,
  context: MethodContext,
): Validation {
  const fresh = new Map(context.candidates.map((candidate) => [candidate.name, candidate]));
  const candidates: Candidate[] = [];
  for (const { name } of command.candidates) {
    const candidate = fresh.get(name);
    if (!candidate) return { valid: false, reason: `node "${name}" is no longer a candidate` };
    const reason = stillQualifies(method, candidate);
    if (reason) return { valid: false, reason };
    candidates.push(candidate);
  }
  if (withinBudget(candidates, context.budgets(command.reason)).length < candidates.length)
    return { valid: false, reason: 'the disruption budgets no longer allow it' };
  if (method.recompute) {
    const fresh = method.recompute(candidates, context);
    if (typeof fresh === 'string') return { valid: false, reason: fresh };
    if (fresh.replacements.length !== command.replacements.length)
      return {
        valid: false,
        reason: `it would now launch ${fresh.replacements.length} replacement(s) instead of ${command.replacements.length}`,
      };
    return { valid: true, command: fresh };
  }
  if (candidates.every(({ reschedulablePods }) => reschedulablePods.length === 0))
    return { valid: true, command: { ...command, candidates, replacements: [] } };
  const result = context.simulate(candidates);
  if (!allRunningPodsScheduled(result)) return { valid: false, reason: unscheduledReason(result) };
  return { valid: true, command: { ...command, candidates, replacements: result.newNodeClaims } };
}
