import { describe, expect, it } from 'vitest';
import {
  firstNConsolidation,
  multiNodeConsolidationMethod,
  MULTI_NODE_CONSOLIDATION_TIMEOUT_MS,
  type MethodContext,
} from '../../../lib/disruption/index.ts';
import type { SchedulingResult } from '../../../lib/scheduling/index.ts';
import { ManualClock } from '../../fixtures/manual-clock.ts';
import { NOW } from './fixtures.ts';
import {
  consolidatingPool,
  contextOf,
  names,
  onDemandPool,
  TYPES,
  world,
} from './consolidation-fixtures.ts';

/** Four 4-core nodes, each a quarter used: together they fit on one 2-core node. */
const QUARTER_USED = ['a', 'b', 'c', 'd'].map((name) => ({
  name,
  type: TYPES.large,
  pods: [400],
}));

/** Wraps the context's simulation to record each result, and to run `before` ahead of the n-th. */
function recording(
  context: MethodContext,
  before: (call: number) => void = () => undefined,
): { context: MethodContext; results: SchedulingResult[] } {
  const results: SchedulingResult[] = [];
  return {
    results,
    context: {
      ...context,
      simulate: (candidates, deadline) => {
        before(results.length + 1);
        const result = context.simulate(candidates, deadline);
        results.push(result);
        return result;
      },
    },
  };
}

describe('multi-node consolidation', () => {
  it('removes the largest prefix it can with at most one cheaper replacement', () => {
    // Prepare
    const snapshot = world(QUARTER_USED);

    // Act
    const command = multiNodeConsolidationMethod.computeCommand(contextOf(snapshot).context);

    // Assess
    expect(names(command?.candidates)).toEqual(['a', 'b', 'c', 'd']);
    expect(command?.replacements).toHaveLength(1);
    expect(command?.replacements[0]?.instanceTypes[0]?.instanceType.name).toBe('c.medium');
  });

  it('takes no more candidates than the Underutilized budget allows', () => {
    // Prepare
    const pool = consolidatingPool('general', { budgets: [{ nodes: '2' }] });
    const snapshot = world(QUARTER_USED, [pool]);

    // Act
    const command = multiNodeConsolidationMethod.computeCommand(contextOf(snapshot).context);

    // Assess
    expect(names(command?.candidates)).toEqual(['a', 'b']);
    expect(command?.replacements).toEqual([]);
  });

  it('does not replace nodes by one more of their own type', () => {
    // Prepare: two 4-core nodes whose pods fit together only on another 4-core node, the one
    // cheaper option: that is a delete the simulation could not find, not a consolidation.
    const snapshot = world(
      [
        { name: 'a', type: TYPES.large, pods: [1000, 1000] },
        { name: 'b', type: TYPES.large, pods: [1000] },
      ],
      [onDemandPool()],
    );
    const { context } = contextOf(snapshot);
    const { context: watched, results } = recording(context);

    // Act
    const command = multiNodeConsolidationMethod.computeCommand(watched);

    // Assess
    expect(results[0]?.newNodeClaims[0]?.instanceTypes[0]?.instanceType.name).toBe('c.large');
    expect(command).toBeUndefined();
  });

  it('answers with nothing when the deadline has passed before the first simulation', () => {
    // Prepare
    const { context, clock } = contextOf(world(QUARTER_USED));
    const { context: watched, results } = recording(context);
    const deadline = clock.now() - 1;

    // Act
    const command = firstNConsolidation(watched.candidates, watched, deadline);

    // Assess
    expect(command).toBeUndefined();
    expect(results).toEqual([]);
  });

  it('keeps the best command found when the deadline passes between two simulations', () => {
    // Prepare
    const { context, clock } = contextOf(world(QUARTER_USED));
    const deadline = clock.now() + MULTI_NODE_CONSOLIDATION_TIMEOUT_MS;
    const { context: watched, results } = recording(context);
    const afterFirst: MethodContext = {
      ...watched,
      simulate: (candidates, until) => {
        const result = watched.simulate(candidates, until);
        void clock.advance(MULTI_NODE_CONSOLIDATION_TIMEOUT_MS);
        return result;
      },
    };

    // Act
    const command = firstNConsolidation(afterFirst.candidates, afterFirst, deadline);

    // Assess
    expect(results).toHaveLength(1);
    expect(names(command?.candidates)).toEqual(['a', 'b', 'c']);
  });

  it('keeps the best command found when the deadline passes inside a simulation', () => {
    // Prepare: the second simulation (the whole prefix) runs out of time while placing pods.
    const { context, clock } = contextOf(world(QUARTER_USED));
    const deadline = clock.now() + MULTI_NODE_CONSOLIDATION_TIMEOUT_MS;
    const { context: watched, results } = recording(context, (call) => {
      // Each reading of the clock now takes 7 s: the simulation starts in time and its
      // deadline passes while it places the pods.
      if (call === 2) clock.readCostMs = 7_000;
    });

    // Act
    const command = firstNConsolidation(watched.candidates, watched, deadline);

    // Assess
    expect(results).toHaveLength(2);
    expect(results[1]?.timedOut).toBe(true);
    expect(results[1]?.newNodeClaims.flatMap(({ pods }) => pods).length).toBeGreaterThan(0);
    expect(results[1]?.notAttempted.length).toBeGreaterThan(0);
    expect(names(command?.candidates)).toEqual(['a', 'b', 'c']);
  });

  it('never simulates past the run’s own deadline, sooner than its minute', () => {
    // Prepare: the run must be over 5 s from now; each reading of the clock takes 2 s.
    const clock = new ManualClock(NOW);
    const { context } = contextOf(world(QUARTER_USED), { clock, deadline: NOW + 5_000 });
    const { context: watched, results } = recording(context);
    clock.readCostMs = 2_000;

    // Act
    const command = multiNodeConsolidationMethod.computeCommand(watched);

    // Assess
    expect(command).toBeUndefined();
    expect(results.every(({ timedOut }) => timedOut)).toBe(true);
    expect(clock.now()).toBeLessThan(NOW + MULTI_NODE_CONSOLIDATION_TIMEOUT_MS);
  });
});
