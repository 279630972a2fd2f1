import type { DisruptionReason } from '../apis/index.ts';
import type { PlannedNodeClaim, SchedulingResult } from '../scheduling/index.ts';
import type { Candidate, DisruptionClass } from './candidates.ts';

/**
 * What one disruption method decided: the candidates to remove and the NodeClaims to launch
 * first so their pods have somewhere to go (none when the pods fit elsewhere or there are none).
 */
export interface Command {
  readonly reason: DisruptionReason;
  readonly candidates: readonly Candidate[];
  readonly replacements: readonly PlannedNodeClaim[];
}

/** What a method decides from: the run's candidates, budgets and scheduling simulation. */
export interface MethodContext {
  readonly candidates: readonly Candidate[];
  /** Disruptions each NodePool may still start for `reason`; a fresh map on every call. */
  budgets(reason: DisruptionReason): Map<string, number>;
  /** The scheduling simulation of the cluster without `candidates`. */
  simulate(candidates: readonly Candidate[]): SchedulingResult;
  /** Records why a candidate was passed over (a DisruptionBlocked event). */
  blocked(candidate: Candidate, reason: string): void;
}

/**
 * One way of disrupting nodes (drift, emptiness, and later consolidation): methods are tried in
 * order and the first that returns a command acts in that pass.
 */
export interface DisruptionMethod {
  readonly reason: DisruptionReason;
  readonly disruptionClass: DisruptionClass;
  /** Whether the method's command must hold on a second look at least 15 s later before it acts. */
  readonly validated: boolean;
  computeCommand(context: MethodContext): Command | undefined;
}

/**
 * Takes, in order, the candidates each NodePool's budget still allows, counting each taken one
 * against its NodePool. `budget` is changed in place.
 */
export function withinBudget(
  candidates: readonly Candidate[],
  budget: Map<string, number>,
): Candidate[] {
  return candidates.filter((candidate) => {
    const pool = candidate.nodePool.metadata.name ?? '';
    const left = budget.get(pool) ?? 0;
    if (left <= 0) return false;
    budget.set(pool, left - 1);
    return true;
  });
}
