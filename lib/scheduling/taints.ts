import type { Taint, Toleration } from '../apis/index.ts';

export function tolerates(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.operator === 'Exists') return !toleration.key || toleration.key === taint.key;
  return toleration.key === taint.key && (toleration.value ?? '') === (taint.value ?? '');
}

/**
 * The first taint that keeps the pod off the node, or undefined. PreferNoSchedule counts as
 * NoSchedule until the pod's preferences are relaxed far enough to tolerate it.
 */
export function blockingTaint(
  tolerations: readonly Toleration[],
  taints: readonly Taint[],
  toleratePreferNoSchedule: boolean,
): Taint | undefined {
  for (const taint of taints) {
    if (taint.effect === 'PreferNoSchedule' && toleratePreferNoSchedule) continue;
    if (!tolerations.some((toleration) => tolerates(toleration, taint))) return taint;
  }
  return undefined;
}

export function formatTaint(taint: Taint): string {
  return `${taint.key}${taint.value ? `=${taint.value}` : ''}:${taint.effect}`;
}
