import type { DisruptionReason } from '../apis/index.ts';
import type { InstanceType } from '../cloudprovider/types.ts';
import type { PlannedNodeClaim, SchedulingResult } from '../scheduling/index.ts';
import type { Candidate, DisruptionClass } from './candidates.ts';
import type { UnseenNodePools } from './unseen-node-pools.ts';

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
  /**
   * The scheduling simulation of the cluster without `candidates`, stopping at `deadline`
   * (epoch ms) if given and never past the run's own.
   */
  simulate(candidates: readonly Candidate[], deadline?: number): SchedulingResult;
  /** Records why a candidate was passed over (a DisruptionBlocked event). */
  blocked(candidate: Candidate, reason: string): void;
  /** Records why consolidation left a candidate as it is (an Unconsolidatable event). */
  unconsolidatable(candidate: Candidate, reason: string): void;
  /** The instance types the NodePool offers in this run; none when they are unknown. */
  instanceTypes(nodePool: string): readonly InstanceType[];
  /** The run's clock, epoch milliseconds. */
  now(): number;
  /** Whether a spot node may be replaced by a cheaper spot node (Karpenter's SpotToSpotConsolidation gate). */
  readonly spotToSpotConsolidation: boolean;
  /** The NodePools single-node consolidation did not reach in its last pass, kept across runs. */
  readonly unseenNodePools: UnseenNodePools;
}

/**
 * One way of disrupting nodes (drift, emptiness, multi-node and single-node consolidation):
 * methods are tried in order and the first that returns a command acts in that pass.
 */
export interface DisruptionMethod {
  readonly reason: DisruptionReason;
  readonly disruptionClass: DisruptionClass;
  /** Whether the method's command must hold on a second look at least 15 s later before it acts. */
  readonly validated: boolean;
  computeCommand(context: MethodContext): Command | undefined;
  /**
   * The command the method would now compute for the same candidates, or why there is none,
   * when re-checking it takes more than a fresh simulation (consolidation's price rules).
   */
  recompute?(candidates: readonly Candidate[], context: MethodContext): Command | string;
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
