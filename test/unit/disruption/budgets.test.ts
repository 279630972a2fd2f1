import { describe, expect, it } from 'vitest';
import type { Budget } from '../../../lib/apis/index.ts';
import {
  allowedDisruptions,
  budgetAllows,
  disruptionBudgetMapping,
  isBudgetActive,
  parseCron,
} from '../../../lib/disruption/index.ts';
import { nodePool, stateNode } from './fixtures.ts';

const at = (iso: string): number => Date.parse(iso);

describe('budget schedules (cron in UTC with a duration)', () => {
  const weekdayMornings: Budget = { nodes: '0', schedule: '0 9 * * mon-fri', duration: '1h' };

  it.each([
    ['2026-11-30T08:59:59Z', false],
    ['2026-11-30T09:00:00Z', true],
    ['2026-11-30T09:59:59Z', true],
    ['2026-11-30T10:00:00Z', false],
    ['2026-11-29T09:30:00Z', false],
  ])('a Monday–Friday 09:00 window of 1h is active at %s: %s', (time, active) => {
    // Act
    const result = isBudgetActive(weekdayMornings, at(time));

    // Assess
    expect(result).toBe(active);
  });

  it('counts a firing from the previous day when the window runs past midnight, and reads macros', () => {
    // Prepare
    const overnight: Budget = { nodes: '0', schedule: '0 22 * * *', duration: '8h' };
    const daily: Budget = { nodes: '0', schedule: '@daily', duration: '10m' };

    // Act
    const results = [
      isBudgetActive(overnight, at('2026-12-01T05:59:00Z')),
      isBudgetActive(overnight, at('2026-12-01T06:00:00Z')),
      isBudgetActive(daily, at('2026-12-01T00:09:59Z')),
      isBudgetActive(daily, at('2026-12-01T00:10:00Z')),
    ];

    // Assess
    expect(results).toEqual([true, false, true, false]);
  });

  it('matches a day when either restricted day field matches, as cron does', () => {
    // Prepare: the 1st of the month, or any Sunday.
    const schedule = parseCron('0 0 1 * sun');

    // Assess
    expect(schedule.anyDay).toBe(false);
    expect(
      isBudgetActive(
        { nodes: '0', schedule: '0 0 1 * sun', duration: '1h' },
        at('2026-11-29T00:30:00Z'),
      ),
    ).toBe(true);
    expect(
      isBudgetActive(
        { nodes: '0', schedule: '0 0 1 * sun', duration: '1h' },
        at('2026-12-01T00:30:00Z'),
      ),
    ).toBe(true);
    expect(
      isBudgetActive(
        { nodes: '0', schedule: '0 0 1 * sun', duration: '1h' },
        at('2026-12-02T00:30:00Z'),
      ),
    ).toBe(false);
  });
});

describe('allowed disruptions', () => {
  it('rounds percentages up, is unbounded while a scheduled budget is inactive and fails closed on a bad schedule', () => {
    // Prepare
    const now = at('2026-11-30T12:00:00Z');

    // Act
    const results = [
      budgetAllows({ nodes: '10%' }, 10, now),
      budgetAllows({ nodes: '10%' }, 11, now),
      budgetAllows({ nodes: '20%' }, 3, now),
      budgetAllows({ nodes: '3' }, 100, now),
      budgetAllows({ nodes: '0', schedule: '0 9 * * *', duration: '1h' }, 10, now),
      budgetAllows({ nodes: '5', schedule: '0 99 * * *', duration: '1h' }, 10, now),
    ];

    // Assess
    expect(results).toEqual([1, 2, 1, 3, Infinity, 0]);
  });

  it('takes the most restrictive active budget that applies to the reason', () => {
    // Prepare
    const pool = nodePool('general', {
      budgets: [
        { nodes: '50%' },
        { nodes: '1', reasons: ['Drifted'] },
        { nodes: '0', reasons: ['Empty'], schedule: '0 12 * * *', duration: '1h' },
      ],
    });
    const now = at('2026-11-30T12:30:00Z');

    // Act
    const allowed = ['Drifted', 'Empty', 'Underutilized'].map((reason) =>
      allowedDisruptions(pool, 10, reason as 'Drifted', now),
    );

    // Assess
    expect(allowed).toEqual([1, 0, 5]);
  });

  it('subtracts the nodes already being disrupted or NotReady, counting only initialized managed nodes', () => {
    // Prepare
    const pool = nodePool('general', { budgets: [{ nodes: '50%' }] });
    const nodes = [
      stateNode('a'),
      stateNode('b'),
      stateNode('c', {}, [], { taints: [{ key: 'karpenter.sh/disrupted', effect: 'NoSchedule' }] }),
      stateNode('d', {}, [], { ready: false }),
      stateNode('e', { initializedAt: undefined }),
      stateNode('f'),
    ];

    // Act
    const mapping = disruptionBudgetMapping(
      nodes,
      [pool, nodePool('idle')],
      'Drifted',
      Date.parse('2026-11-30T12:00:00Z'),
    );

    // Assess: 5 counted nodes, 50% → 3, less 2 disrupting.
    expect(mapping.get('general')).toBe(1);
    expect(mapping.get('idle')).toBe(0);
  });
});
