import { MAX_SCHEDULING_DEADLINE_MS, type SchedulingResult } from '../scheduling/index.ts';
import type { ClusterSnapshot, SchedulingOptions } from '../state/index.ts';
import { disruptionBudgetMapping } from './budgets.ts';
import { disruptionCandidates, type Candidate, type DisruptionClass } from './candidates.ts';
import type { MethodContext } from './command.ts';
import { simulateWithout } from './simulation.ts';
import { UnseenNodePools } from './unseen-node-pools.ts';

function untried(): SchedulingResult {
  return {
    newNodeClaims: [],
    existingNodes: [],
    unschedulable: [],
    notAttempted: [],
    timedOut: true,
  };
}

export interface MethodContextInputs {
  readonly snapshot: ClusterSnapshot;
  readonly disruptionClass: DisruptionClass;
  readonly clock: SchedulingOptions['clock'];
  /** Epoch milliseconds by which every simulation must have stopped. */
  readonly deadline: number;
  readonly spotToSpotConsolidation: boolean;
  /** Kept by the caller across runs; default: nothing remembered. */
  readonly unseenNodePools?: UnseenNodePools;
  blocked(candidate: Candidate, reason: string): void;
  unconsolidatable(candidate: Candidate, reason: string): void;
}

/**
 * What a method decides from, over one snapshot: its candidates as `now` sees them, fresh budget
 * maps, and simulations that stop at the earlier of the method's deadline and the run's.
 */
export function methodContext(inputs: MethodContextInputs): MethodContext {
  const { snapshot, clock } = inputs;
  const now = clock.now();
  const nodePools = new Map(
    snapshot.nodePools.map(({ nodePool }) => [nodePool.metadata.name ?? '', nodePool]),
  );
  const { candidates } = disruptionCandidates(
    { nodes: snapshot.nodes, nodePools, budgets: snapshot.budgets, now },
    inputs.disruptionClass,
  );
  return {
    candidates,
    budgets: (reason) =>
      disruptionBudgetMapping(snapshot.nodes, [...nodePools.values()], reason, now),
    simulate: (removed, deadline = Infinity) => {
      const deadlineAt = Math.min(deadline, inputs.deadline);
      // Past the deadline already: not even the pods to move are worked out.
      if (clock.now() >= deadlineAt) return untried();
      return simulateWithout(snapshot, removed, {
        clock,
        deadlineMs: MAX_SCHEDULING_DEADLINE_MS,
        deadlineAt,
      });
    },
    blocked: (candidate, reason) => inputs.blocked(candidate, reason),
    unconsolidatable: (candidate, reason) => inputs.unconsolidatable(candidate, reason),
    instanceTypes: (nodePool) =>
      snapshot.nodePools.find(({ nodePool: { metadata } }) => metadata.name === nodePool)
        ?.instanceTypes ?? [],
    now: () => clock.now(),
    spotToSpotConsolidation: inputs.spotToSpotConsolidation,
    unseenNodePools: inputs.unseenNodePools ?? new UnseenNodePools(),
  };
}
