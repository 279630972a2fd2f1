import type { Resources } from '../apis/quantity.ts';
import type { StateNode } from './state-node.ts';

/** What one state node adds to its NodePool's total: its capacity and one node, or nothing once marked for deletion. */
function contribution(
  node: StateNode | undefined,
): { nodePool: string; resources: Resources } | undefined {
  if (!node?.nodePool || node.markedForDeletion) return undefined;
  return { nodePool: node.nodePool, resources: { ...node.capacity, nodes: 1 } };
}

/**
 * Each NodePool's total capacity and node count, kept incrementally. Every change is applied as
 * the difference between an immutable view before and the view after, never as "add" or "remove"
 * on a flag that may already have flipped: with flags, unmarking a node marked for deletion would
 * never add its capacity back.
 */
export class NodePoolResources {
  private readonly totals = new Map<string, Record<string, number>>();

  update(before: StateNode | undefined, after: StateNode | undefined): void {
    const removed = contribution(before);
    const added = contribution(after);
    if (removed) this.add(removed.nodePool, removed.resources, -1);
    if (added) this.add(added.nodePool, added.resources, 1);
  }

  /** The NodePool's totals; empty when it has no live nodes. */
  of(nodePool: string): Resources {
    return { ...this.totals.get(nodePool) };
  }

  private add(nodePool: string, resources: Resources, sign: 1 | -1): void {
    const total = this.totals.get(nodePool) ?? {};
    for (const [name, value] of Object.entries(resources)) {
      const next = (total[name] ?? 0) + sign * value;
      if (next === 0) delete total[name];
      else total[name] = next;
    }
    if (Object.keys(total).length === 0) this.totals.delete(nodePool);
    else this.totals.set(nodePool, total);
  }
}
