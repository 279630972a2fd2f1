import type { Pod } from '../apis/index.ts';
import type { PodDisruptionBudget } from '../apis/core/pod-disruption-budget.ts';
import { Annotations, Taints } from '../apis/labels.ts';
import { compileSelector, tolerates, type LabelMatcher } from '../scheduling/index.ts';
import { goDurationMilliseconds } from '../apis/duration.ts';
import { isReschedulable } from './pod-predicates.ts';
import type { StateNode } from './state-node.ts';

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

/**
 * The budgets that keep pods in place, grouped by namespace with their selectors compiled once:
 * every budget is kept, since a pod selected by more than one can never be evicted (the
 * Eviction API refuses it), whatever each allows.
 */
export class BlockingBudgets {
  private readonly byNamespace = new Map<
    string,
    { budget: PodDisruptionBudget; selects: LabelMatcher }[]
  >();

  constructor(budgets: readonly PodDisruptionBudget[]) {
    for (const budget of budgets) {
      const namespace = budget.metadata.namespace ?? 'default';
      const list = this.byNamespace.get(namespace) ?? [];
      list.push({ budget, selects: compileSelector(budget.spec.selector) });
      this.byNamespace.set(namespace, list);
    }
  }

  /**
   * Whether budgets keep `pod` in place: more than one selects it, or one fully blocking budget
   * does. Pods that tolerate the disrupted taint are never evicted, so no budget applies to them;
   * an unready pod under `unhealthyPodEvictionPolicy: AlwaysAllow` may be evicted despite a
   * fully blocking budget.
   */
  blocks(pod: Pod): boolean {
    const selecting = this.selecting(pod);
    if (selecting.length > 1) return true;
    const [only] = selecting;
    return (
      only !== undefined &&
      isFullyBlocking(only.budget) &&
      !(only.budget.spec.unhealthyPodEvictionPolicy === 'AlwaysAllow' && !isReady(pod))
    );
  }

  /**
   * The budget that refuses evicting `pod` right now (its `disruptionsAllowed` is 0, or it has no
   * status yet), as Karpenter checks a disruption candidate's pods; undefined when none does.
   * Pods under an active do-not-disrupt are never evicted, so no budget applies to them either.
   */
  refusingEviction(pod: Pod, now: number): string | undefined {
    if (hasActiveDoNotDisrupt(pod, now)) return undefined;
    const refusing = this.selecting(pod).find(
      ({ budget }) =>
        (budget.status?.disruptionsAllowed ?? 0) === 0 &&
        !(budget.spec.unhealthyPodEvictionPolicy === 'AlwaysAllow' && !isReady(pod)),
    );
    return (
      refusing &&
      `${refusing.budget.metadata.namespace ?? 'default'}/${refusing.budget.metadata.name}`
    );
  }

  /** The budgets selecting a pod that may be evicted; none for pods that tolerate the disrupted taint. */
  private selecting(pod: Pod): { budget: PodDisruptionBudget; selects: LabelMatcher }[] {
    if ((pod.spec.tolerations ?? []).some((toleration) => tolerates(toleration, Taints.disrupted)))
      return [];
    const labels = pod.metadata.labels ?? {};
    return (this.byNamespace.get(pod.metadata.namespace ?? 'default') ?? []).filter(({ selects }) =>
      selects(labels),
    );
  }
}

/**
 * Whether the pod's `karpenter.sh/do-not-disrupt` annotation protects it at `now` (epoch ms):
 * `"true"` always, a duration such as `"30m"` from the pod's start until it has elapsed; any
 * other value does not.
 */
export function hasActiveDoNotDisrupt(pod: Pod, now: number): boolean {
  const value = pod.metadata.annotations?.[Annotations.doNotDisrupt];
  if (value === undefined) return false;
  if (value === 'true') return true;
  const duration = goDurationMilliseconds(value);
  const started = Date.parse(pod.status?.startTime ?? pod.metadata.creationTimestamp ?? '');
  if (duration === undefined || Number.isNaN(started)) return false;
  return now < started + duration;
}

/**
 * Karpenter's IsCurrentlyReschedulable
 * (https://github.com/kubernetes-sigs/karpenter/blob/main/pkg/utils/pod/scheduling.go): a
 * reschedulable pod that may move now — not protected by an active `karpenter.sh/do-not-disrupt`
 * and not held by its budgets.
 * Pods on a deleting node that fail this get no replacement capacity.
 */
export function isCurrentlyReschedulable(pod: Pod, budgets: BlockingBudgets, now: number): boolean {
  return isReschedulable(pod) && !hasActiveDoNotDisrupt(pod, now) && !budgets.blocks(pod);
}

/**
 * Pods on nodes marked for deletion that need a new place now: pods under an active
 * do-not-disrupt and pods their budgets hold stay, so nothing is launched for them.
 */
export function podsToReschedule(
  nodes: readonly StateNode[],
  budgets: BlockingBudgets,
  now: number,
): Pod[] {
  return nodes
    .filter(({ markedForDeletion }) => markedForDeletion)
    .flatMap(({ pods }) => pods.filter((pod) => isCurrentlyReschedulable(pod, budgets, now)));
}
