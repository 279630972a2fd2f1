import { describe, expect, it } from 'vitest';
import { Annotations, PodSchema, Taints, type Pod } from '../../../lib/apis/index.ts';
import {
  PodDisruptionBudgetSchema,
  type PodDisruptionBudget,
} from '../../../lib/apis/core/pod-disruption-budget.ts';
import {
  BlockingBudgets,
  isCurrentlyReschedulable,
  isFullyBlocking,
} from '../../../lib/state/index.ts';

const NOW = Date.parse('2026-06-01T12:00:00Z');

function budget(spec: object, namespace = 'default', name = 'b'): PodDisruptionBudget {
  return PodDisruptionBudgetSchema.parse({
    metadata: { name, namespace },
    spec: { selector: { matchLabels: { app: 'db' } }, ...spec },
  });
}

function pod({
  metadata = {},
  spec = {},
  ready = true,
}: { metadata?: object; spec?: object; ready?: boolean } = {}): Pod {
  return PodSchema.parse({
    metadata: { name: 'p', namespace: 'default', labels: { app: 'db' }, ...metadata },
    spec: { containers: [{ name: 'app' }], nodeName: 'n1', ...spec },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  });
}

describe('isFullyBlocking', () => {
  it.each([
    [{ maxUnavailable: 0 }, true],
    [{ maxUnavailable: '0%' }, true],
    [{ minAvailable: '100%' }, true],
    [{ maxUnavailable: 1 }, false],
    [{ minAvailable: 3 }, false],
    [{ minAvailable: '99%' }, false],
  ])('%j → %s', (spec, expected) => {
    // Act
    const blocking = isFullyBlocking(budget(spec));

    // Assess
    expect(blocking).toBe(expected);
  });
});

describe('isCurrentlyReschedulable', () => {
  it('keeps a pod in place when a fully blocking budget in its namespace selects it', () => {
    // Prepare
    const budgets = new BlockingBudgets([budget({ maxUnavailable: 0 })]);

    // Act
    const results = [
      pod(),
      pod({ metadata: { labels: { app: 'web' } } }),
      pod({ metadata: { namespace: 'other' } }),
    ].map((candidate) => isCurrentlyReschedulable(candidate, budgets, NOW));

    // Assess
    expect(results).toEqual([false, true, true]);
  });

  it('keeps a do-not-disrupt pod in place', () => {
    // Prepare
    const budgets = new BlockingBudgets([]);

    // Act
    const result = isCurrentlyReschedulable(
      pod({ metadata: { annotations: { [Annotations.doNotDisrupt]: 'true' } } }),
      budgets,
      NOW,
    );

    // Assess
    expect(result).toBe(false);
  });

  it('lets a budget hold neither pods that tolerate the disrupted taint nor unready pods it allows to be evicted', () => {
    // Prepare
    const budgets = new BlockingBudgets([
      budget({ maxUnavailable: 0, unhealthyPodEvictionPolicy: 'AlwaysAllow' }),
    ]);
    const tolerating = pod({
      spec: { tolerations: [{ key: Taints.disrupted.key, operator: 'Exists' }] },
    });

    // Act
    const results = [tolerating, pod({ ready: false }), pod({ ready: true })].map((candidate) =>
      isCurrentlyReschedulable(candidate, budgets, NOW),
    );

    // Assess
    expect(results).toEqual([true, true, false]);
  });
});

describe('PDB semantics for a pod matched by more than one PDB', () => {
  it('a pod two budgets select stays in place even when each alone would let it go', () => {
    // Prepare
    const budgets = new BlockingBudgets([
      budget({ maxUnavailable: 1 }, 'default', 'first'),
      budget({ minAvailable: 1 }, 'default', 'second'),
    ]);
    // Act
    const results = [pod(), pod({ metadata: { labels: { app: 'web' } } })].map((candidate) =>
      isCurrentlyReschedulable(candidate, budgets, NOW),
    );
    // Assess
    expect(results).toEqual([false, true]);
  });

  it('one budget that allows disruptions lets the pod move', () => {
    // Prepare
    const budgets = new BlockingBudgets([budget({ maxUnavailable: 1 })]);
    // Act
    const result = isCurrentlyReschedulable(pod(), budgets, NOW);
    // Assess
    expect(result).toBe(true);
  });
});

describe('karpenter.sh/do-not-disrupt with a duration value', () => {
  const started = (annotation: string, startTime: string): Pod => ({
    ...pod({ metadata: { annotations: { [Annotations.doNotDisrupt]: annotation } } }),
    status: { phase: 'Running', startTime },
  });

  it.each([
    ['30m', '2026-06-01T11:45:00Z', false],
    ['30m', '2026-06-01T11:15:00Z', true],
    ['1h30m', '2026-06-01T10:45:00Z', false],
    ['1.5h', '2026-06-01T10:15:00Z', true],
    ['soon', '2026-06-01T11:59:00Z', true],
    ['false', '2026-06-01T11:59:00Z', true],
  ])('"%s" on a pod started at %s: movable now %s', (annotation, startTime, movable) => {
    // Act
    const result = isCurrentlyReschedulable(
      started(annotation, startTime),
      new BlockingBudgets([]),
      NOW,
    );
    // Assess
    expect(result).toBe(movable);
  });
});
