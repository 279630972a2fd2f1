import type { PodInfo } from './pod-info.ts';

/** Karpenter's queue order: CPU, then memory, descending; then oldest first; then by name. */
export function byQueueOrder(a: PodInfo, b: PodInfo): number {
  const cpu = (b.requests['cpu'] ?? 0) - (a.requests['cpu'] ?? 0);
  if (cpu !== 0) return cpu;
  const memory = (b.requests['memory'] ?? 0) - (a.requests['memory'] ?? 0);
  if (memory !== 0) return memory;
  return (
    compareText(a.pod.metadata.creationTimestamp ?? '', b.pod.metadata.creationTimestamp ?? '') ||
    compareText(a.key, b.key)
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
