import { durationMilliseconds, type Pod } from '../apis/index.ts';
import type { Candidate } from './candidates.ts';

const POD_DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

/** A pod's weight in a node's disruption cost: 1, raised by its priority and deletion cost, within [-10, 10]. */
function podCost(pod: Pod): number {
  const deletionCost = Number(pod.metadata.annotations?.[POD_DELETION_COST] ?? 0);
  const priority = pod.spec.priority ?? 0;
  const cost =
    1 + (Number.isFinite(deletionCost) ? deletionCost : 0) / 2 ** 27 + priority / 2 ** 25;
  return Math.min(10, Math.max(-10, cost));
}

/** The share of the claim's lifetime still ahead of it, 0 to 1; 1 when it never expires. */
function lifetimeRemaining({ nodeClaim }: Candidate, now: number): number {
  const lifetime = durationMilliseconds(nodeClaim.spec.expireAfter);
  if (lifetime === Infinity) return 1;
  const age = now - Date.parse(nodeClaim.metadata.creationTimestamp ?? '');
  return Math.min(1, Math.max(0, (lifetime - age) / lifetime));
}

/**
 * What disrupting the candidate costs, as Karpenter weighs it: the sum of its pods' costs
 * scaled by the lifetime it has left, so nodes near expiry are cheap to disrupt.
 */
export function disruptionCost(candidate: Candidate, now: number): number {
  const pods = candidate.pods.reduce((sum, pod) => sum + podCost(pod), 0);
  return pods * lifetimeRemaining(candidate, now);
}

/** Candidates cheapest to disrupt first, ties by name so the order never depends on load order. */
export function byDisruptionCost(candidates: readonly Candidate[], now: number): Candidate[] {
  const cost = new Map(candidates.map((candidate) => [candidate, disruptionCost(candidate, now)]));
  return [...candidates].sort(
    (a, b) =>
      (cost.get(a) ?? 0) - (cost.get(b) ?? 0) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}
