import { createHash } from 'node:crypto';
import type { NodePool } from './nodepool.ts';

/**
 * Bumped whenever what the hash covers changes, so hashes of different versions are never
 * compared and an upgrade never reads as drift.
 */
export const NODEPOOL_HASH_VERSION = 'v3';

type Canonical = string | number | boolean | Canonical[] | { [key: string]: Canonical };

/**
 * A value with zero values left out and lists ordered, as Karpenter's hashstructure options
 * IgnoreZeroValue and SlicesAsSets treat them: reordering taints or adding an empty map does not
 * change the hash.
 */
function canonical(value: unknown): Canonical | undefined {
  if (value === undefined || value === null || value === '' || value === 0 || value === false)
    return undefined;
  if (Array.isArray(value)) {
    const items = value.map(canonical).filter((item): item is Canonical => item !== undefined);
    return items.length === 0
      ? undefined
      : items.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }
  if (typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .flatMap((key) => {
        const item = canonical((value as Record<string, unknown>)[key]);
        return item === undefined ? [] : [[key, item] as const];
      });
    return entries.length === 0 ? undefined : Object.fromEntries(entries);
  }
  return value as string | number | boolean;
}

/**
 * The `karpenter.sh/nodepool-hash` of a NodePool: a stable digest of its NodeClaim template.
 * Requirements are left out, as in Karpenter: their drift is judged by compatibility instead.
 */
export function nodePoolHash(nodePool: NodePool): string {
  const { metadata, spec } = nodePool.spec.template;
  const digest = createHash('sha256')
    .update(
      JSON.stringify(canonical({ metadata, spec: { ...spec, requirements: undefined } }) ?? {}),
    )
    .digest();
  return digest.readBigUInt64BE(0).toString();
}
