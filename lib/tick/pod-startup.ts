import type { Pod } from '../apis/index.ts';
import { KarpenterMetrics, noMetrics } from '../metrics/index.ts';
import type { ProvisioningDeps } from '../provisioning/index.ts';
import { errorMessage } from '../util/index.ts';

/** A span of time, `from` included, `to` excluded, in epoch milliseconds. */
export interface TimeWindow {
  readonly from: number;
  readonly to: number;
}

/**
 * Karpenter's pod startup durations: for each pod whose Ready condition turned True within the
 * window, the seconds from its creation to that transition. Karpenter observes a pod once, when
 * it sees Ready=True on a pod it saw Pending; the tick keeps no pod state between invocations, so
 * each tick looks at the readiness transitions since the previous scheduled tick, and each is
 * counted once. A pod whose containers restarted is left out: its Ready transition may be a
 * restart's, which Karpenter, having observed the pod's start already, does not count.
 */
export function podStartupDurations(pods: readonly Pod[], window: TimeWindow): number[] {
  return pods.flatMap((pod) => {
    const ready = pod.status?.conditions?.find(({ type }) => type === 'Ready');
    const readyAt = Date.parse(ready?.lastTransitionTime ?? '');
    const createdAt = Date.parse(pod.metadata.creationTimestamp ?? '');
    const restarted = (pod.status?.containerStatuses ?? []).some(
      ({ restartCount }) => (restartCount ?? 0) > 0,
    );
    if (ready?.status !== 'True' || restarted || Number.isNaN(createdAt)) return [];
    if (!(readyAt >= window.from && readyAt < window.to)) return [];
    return [Math.max(0, readyAt - createdAt) / 1000];
  });
}

/**
 * Records the startup durations of the pods that turned Ready within the window, from one list
 * of every pod. A failed list is logged and records nothing: the metric is not worth a tick.
 * Returns how many were recorded.
 */
export async function recordPodStartups(
  deps: ProvisioningDeps,
  window: TimeWindow,
): Promise<number> {
  try {
    const pods = await deps.kube.kube.listPods();
    const durations = podStartupDurations(pods.items, window);
    for (const seconds of durations)
      (deps.metrics ?? noMetrics).record(KarpenterMetrics.podsStartupDuration, seconds);
    return durations.length;
  } catch (error) {
    deps.logger.warn('Could not list the pods for their startup durations', {
      error: errorMessage(error),
    });
    return 0;
  }
}
