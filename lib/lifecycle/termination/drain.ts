import { Annotations, Taints, type Pod } from '../../apis/index.ts';
import { tolerates } from '../../scheduling/taints.ts';
import { isOwnedByDaemonSet, isStaticPod, isTerminal, isTerminating } from '../../state/index.ts';

/** The grace period the apiserver gives a pod that sets none. */
const DEFAULT_POD_GRACE_SECONDS = 30;
/** A pod still terminating this long after its deletion deadline will not go; draining stops waiting for it. */
const STUCK_TERMINATING_MS = 60_000;
const CRITICAL_PRIORITY_CLASSES = new Set(['system-cluster-critical', 'system-node-critical']);

export interface ForcedDeletion {
  readonly pod: Pod;
  /** What is left of the node's grace period, so the pod is gone before the instance is. */
  readonly gracePeriodSeconds: number;
}

export interface DrainPlan {
  /** Pods to evict now: the first non-empty group in Karpenter's order. */
  readonly evict: readonly Pod[];
  /** Pods to delete now so that their own grace period ends by the node's deadline. */
  readonly forceDelete: readonly ForcedDeletion[];
  /** Pods the node still waits for; zero means drained. */
  readonly waiting: number;
}

function toleratesDisruption(pod: Pod): boolean {
  return (pod.spec.tolerations ?? []).some((toleration) => tolerates(toleration, Taints.disrupted));
}

function isStuckTerminating(pod: Pod, now: number): boolean {
  const deletion = pod.metadata.deletionTimestamp;
  return deletion !== undefined && now - Date.parse(deletion) > STUCK_TERMINATING_MS;
}

/**
 * A pod the node waits for (Karpenter's IsWaitingEviction): not finished, not tolerating the
 * disrupted taint (it may stay to the end), not stuck terminating, not a static pod. Pods with
 * `karpenter.sh/do-not-disrupt` count: they hold the drain although nothing evicts them.
 */
function isWaiting(pod: Pod, now: number): boolean {
  return (
    !isTerminal(pod) &&
    !toleratesDisruption(pod) &&
    !isStuckTerminating(pod, now) &&
    !isStaticPod(pod)
  );
}

function isEvictable(pod: Pod): boolean {
  return (
    !isTerminal(pod) &&
    !isTerminating(pod) &&
    !toleratesDisruption(pod) &&
    !isStaticPod(pod) &&
    pod.metadata.annotations?.[Annotations.doNotDisrupt] !== 'true'
  );
}

function graceSeconds(pod: Pod): number {
  const configured = (pod.spec as { terminationGracePeriodSeconds?: number })
    .terminationGracePeriodSeconds;
  return configured ?? DEFAULT_POD_GRACE_SECONDS;
}

/**
 * Karpenter's order, as the kubelet's graceful node shutdown: non-critical pods before critical
 * ones, DaemonSet pods after the others. Only the first non-empty group is evicted; the next
 * groups follow once it has gone.
 */
function firstEvictionGroup(pods: readonly Pod[]): Pod[] {
  const rank = (pod: Pod): number =>
    (CRITICAL_PRIORITY_CLASSES.has(pod.spec.priorityClassName ?? '') ? 2 : 0) +
    (isOwnedByDaemonSet(pod) ? 1 : 0);
  const lowest = Math.min(...pods.map(rank));
  return pods.filter((pod) => rank(pod) === lowest);
}

/**
 * What one drain step does on a node, given its pods and, when the NodeClaim has a
 * terminationGracePeriod, the time by which the node goes whatever its pods: a pod whose own
 * grace period would outlast that deadline is deleted now with the time left (PodDisruptionBudgets
 * and do-not-disrupt notwithstanding); the others are evicted through the Eviction API in order.
 */
export function planDrain(
  pods: readonly Pod[],
  nodeDeadline: number | undefined,
  now: number,
): DrainPlan {
  const waiting = pods.filter((pod) => isWaiting(pod, now));
  const forceDelete =
    nodeDeadline === undefined
      ? []
      : waiting
          .filter((pod) => !isTerminating(pod) && now > nodeDeadline - graceSeconds(pod) * 1000)
          .map((pod) => ({
            pod,
            gracePeriodSeconds: Math.max(0, Math.floor((nodeDeadline - now) / 1000)),
          }));
  const deleted = new Set(forceDelete.map(({ pod }) => pod));
  const evictable = pods.filter((pod) => isEvictable(pod) && !deleted.has(pod));
  return {
    evict: evictable.length > 0 ? firstEvictionGroup(evictable) : [],
    forceDelete,
    waiting: waiting.length,
  };
}
