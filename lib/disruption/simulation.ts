import { schedule, SimulationCache, type SchedulingResult } from '../scheduling/index.ts';
import {
  isProvisionable,
  schedulingInput,
  type ClusterSnapshot,
  type SchedulingOptions,
} from '../state/index.ts';
import type { Candidate } from './candidates.ts';

/** One cache per snapshot: every simulation of a run parses the same pods, nodes and instance types. */
const caches = new WeakMap<ClusterSnapshot, SimulationCache>();

function cacheOf(snapshot: ClusterSnapshot): SimulationCache {
  let cache = caches.get(snapshot);
  if (!cache) caches.set(snapshot, (cache = new SimulationCache()));
  return cache;
}

/**
 * Schedules, on the snapshot without `candidates`, the pending pods and every pod that would
 * need a new place: those of the candidates and of nodes already being deleted, less pods that
 * may not move now. The snapshot is left as it was; what the simulations of one snapshot can
 * share (parsed pods, instance-type tables) is built once.
 */
export function simulateWithout(
  snapshot: ClusterSnapshot,
  candidates: readonly Candidate[],
  options: SchedulingOptions,
): SchedulingResult {
  for (const { name } of candidates) snapshot.markForDeletion(name);
  try {
    const pods = snapshot.podsToPlace(options.clock.now());
    return schedule(schedulingInput(snapshot, pods, options), cacheOf(snapshot));
  } finally {
    for (const { name } of candidates) snapshot.unmarkForDeletion(name);
  }
}

/**
 * Whether every pod that runs now found a place: only pending pods may be left over, as they
 * would be anyway.
 */
export function allRunningPodsScheduled(result: SchedulingResult): boolean {
  return [...result.unschedulable.map(({ pod }) => pod), ...result.notAttempted].every(
    isProvisionable,
  );
}

/** Why the simulation left running pods without a place, for the DisruptionBlocked event. */
export function unscheduledReason(result: SchedulingResult): string {
  const first = result.unschedulable.find(({ pod }) => !isProvisionable(pod));
  if (first)
    return `pod "${first.pod.metadata.namespace ?? 'default'}/${first.pod.metadata.name}" cannot be rescheduled: ${first.reason}`;
  return 'the scheduling simulation ran out of time';
}
