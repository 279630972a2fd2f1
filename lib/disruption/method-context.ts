import { MAX_SCHEDULING_DEADLINE_MS } from '../scheduling/index.ts';
import type { ClusterSnapshot, SchedulingOptions } from '../state/index.ts';
import { disruptionBudgetMapping } from './budgets.ts';
import { disruptionCandidates, type Candidate, type DisruptionClass } from './candidates.ts';
import type { MethodContext } from './command.ts';
import { simulateWithout } from './simulation.ts';

export interface MethodContextInputs {
  readonly snapshot: ClusterSnapshot;
  readonly disruptionClass: DisruptionClass;
  readonly clock: SchedulingOptions['clock'];
  /** Epoch milliseconds by which every simulation must have stopped. */
  readonly deadline: number;
  readonly spotToSpotConsolidation: boolean;
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
    simulate: (removed, deadline = Infinity) =>
      simulateWithout(snapshot, removed, {
        clock,
        deadlineMs: MAX_SCHEDULING_DEADLINE_MS,
        deadlineAt: Math.min(deadline, inputs.deadline),
      }),
    blocked: (candidate, reason) => inputs.blocked(candidate, reason),
    unconsolidatable: (candidate, reason) => inputs.unconsolidatable(candidate, reason),
    instanceTypes: (nodePool) =>
      snapshot.nodePools.find(({ nodePool: { metadata } }) => metadata.name === nodePool)
        ?.instanceTypes ?? [],
    now: () => clock.now(),
    spotToSpotConsolidation: inputs.spotToSpotConsolidation,
  };
}
