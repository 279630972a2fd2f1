import type { Pod } from '../apis/index.ts';
import type { PodDisruptionBudget } from '../apis/core/pod-disruption-budget.ts';
import { Annotations, Taints } from '../apis/labels.ts';
import { compileSelector, tolerates, type LabelMatcher } from '../scheduling/index.ts';
import { isReschedulable } from './pod-predicates.ts';

/**
 * A budget that can never allow an eviction, whatever the pods' health: `maxUnavailable` 0 or
 * "0%", or `minAvailable` "100%". A budget whose `disruptionsAllowed` is 0 right now is not
 * enough, as in Karpenter: that changes as pods become ready, so its pods still get capacity.
 */
export function isFullyBlocking(budget: PodDisruptionBudget): boolean {
  const { maxUnavailable, minAvailable } = budget.spec;
  return maxUnavailable === 0 || maxUnavailable === '0%' || minAvailable === '100%';
}

function isReady(pod: Pod): boolean {
  return (pod.status?.conditions ?? []).some(
    ({ type, status }) => type === 'Ready' && status === 'True',
  );
}

/** The fully blocking budgets, grouped by namespace with their selectors compiled once. */
export class BlockingBudgets {
  private readonly byNamespace = new Map<
    string,
    { budget: PodDisruptionBudget; selects: LabelMatcher }[]
  >();

  constructor(budgets: readonly PodDisruptionBudget[]) {
    for (const budget of budgets.filter(isFullyBlocking)) {
      const namespace = budget.metadata.namespace ?? 'default';
      const list = this.byNamespace.get(namespace) ?? [];
      list.push({ budget, selects: compileSelector(budget.spec.selector) });
      this.byNamespace.set(namespace, list);
    }
  }

  /**
   * Whether a fully blocking budget keeps `pod` in place. Pods that tolerate the disrupted taint
   * are never evicted, so no budget applies to them; an unready pod under
   * `unhealthyPodEvictionPolicy: AlwaysAllow` may always be evicted.
   */
  blocks(pod: Pod): boolean {
    if ((pod.spec.tolerations ?? []).some((toleration) => tolerates(toleration, Taints.disrupted)))
      return false;
    const labels = pod.metadata.labels ?? {};
    return (this.byNamespace.get(pod.metadata.namespace ?? 'default') ?? []).some(
      ({ budget, selects }) =>
        selects(labels) &&
        !(budget.spec.unhealthyPodEvictionPolicy === 'AlwaysAllow' && !isReady(pod)),
    );
  }
}

/**
 * Karpenter's IsCurrentlyReschedulable
 * (https://github.com/kubernetes-sigs/karpenter/blob/main/pkg/utils/pod/scheduling.go): a
 * reschedulable pod that may move now
 * — not annotated `karpenter.sh/do-not-disrupt: "true"` and not held by a fully blocking budget.
 * Pods on a deleting node that fail this get no replacement capacity.
 */
export function isCurrentlyReschedulable(pod: Pod, budgets: BlockingBudgets): boolean {
  return (
    isReschedulable(pod) &&
    pod.metadata.annotations?.[Annotations.doNotDisrupt] !== 'true' &&
    !budgets.blocks(pod)
  );
}
