import type { Taint, Toleration } from '../apis/index.ts';
import { EPHEMERAL_TAINT_KEYS } from '../apis/labels.ts';

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

function sameTaint(a: Taint, b: Taint): boolean {
  return a.key === b.key && a.effect === b.effect;
}

/**
 * The taints of a node still booting that will stay once it is initialized: without its
 * NodeClaim's startup taints and the known ephemeral taints (not-ready, unreachable,
 * uninitialized, unregistered).
 */
export function withoutBootTaints(
  taints: readonly Taint[],
  startupTaints: readonly Taint[],
): Taint[] {
  return taints.filter(
    (taint) =>
      !EPHEMERAL_TAINT_KEYS.has(taint.key) &&
      !startupTaints.some((startup) => sameTaint(startup, taint)),
  );
}
