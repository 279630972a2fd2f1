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

function budget(spec: object, namespace = 'default'): PodDisruptionBudget {
  return PodDisruptionBudgetSchema.parse({
    metadata: { name: 'b', namespace },
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
    ].map((candidate) => isCurrentlyReschedulable(candidate, budgets));

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
      isCurrentlyReschedulable(candidate, budgets),
    );

    // Assess
    expect(results).toEqual([true, true, false]);
  });
});
