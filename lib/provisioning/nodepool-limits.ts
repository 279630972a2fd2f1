import { formatResource, toResources, type NodePool, type Resources } from '../apis/index.ts';

/**
 * Why adding `added` to the NodePool's live totals would pass one of its `spec.limits`, or
 * undefined when it fits. The scheduler already keeps within the limits; this is Karpenter's
 * second check just before creating, against the totals the run has kept since its snapshot.
 */
export function limitExceeded(
  nodePool: NodePool,
  usage: Resources,
  added: Resources,
): string | undefined {
  for (const [name, limit] of Object.entries(toResources(nodePool.spec.limits))) {
    const total = (usage[name] ?? 0) + (added[name] ?? 0);
    if (total > limit) {
      return `NodePool "${nodePool.metadata.name ?? ''}" limits exceeded: ${name} would be ${formatResource(name, total)}, limit ${formatResource(name, limit)}`;
    }
  }
  return undefined;
}
