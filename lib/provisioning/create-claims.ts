import type { NodeClaim, NodePool } from '../apis/index.ts';
import type { PlannedNodeClaim } from '../scheduling/index.ts';
import { optionsCapacity, type ClusterSnapshot } from '../state/index.ts';
import { newNodeClaim } from './new-nodeclaim.ts';
import { limitExceeded } from './nodepool-limits.ts';

/** A planned claim turned into a NodeClaim to create, or refused with the reason its pods get. */
export type ClaimDecision =
  | { readonly kind: 'create'; readonly planned: PlannedNodeClaim; readonly nodeClaim: NodeClaim }
  | { readonly kind: 'refused'; readonly planned: PlannedNodeClaim; readonly reason: string };

/**
 * Builds the NodeClaim for each planned claim and re-checks its NodePool's limits just before
 * creating, as Karpenter does, in plan order: each accepted claim counts at its largest
 * option's capacity, plus one node, before the next is checked.
 */
export function decideClaims(
  snapshot: ClusterSnapshot,
  plannedClaims: readonly PlannedNodeClaim[],
): ClaimDecision[] {
  const nodePools = new Map<string, NodePool>(
    snapshot.nodePools.map(({ nodePool }) => [nodePool.metadata.name ?? '', nodePool]),
  );
  const usage = new Map<string, Record<string, number>>();
  return plannedClaims.map((planned): ClaimDecision => {
    const nodePool = nodePools.get(planned.nodePool);
    if (!nodePool)
      return {
        kind: 'refused',
        planned,
        reason: `NodePool "${planned.nodePool}" is not in the snapshot`,
      };
    const nodeClaim = newNodeClaim(nodePool, planned);
    const options = planned.instanceTypes.map(({ instanceType }) => instanceType);
    const added = { ...optionsCapacity(options).capacity, nodes: 1 };
    const current = usage.get(planned.nodePool) ?? {
      ...snapshot.nodePoolResources(planned.nodePool),
    };
    const exceeded = limitExceeded(nodePool, current, added);
    if (exceeded) return { kind: 'refused', planned, reason: exceeded };
    for (const [name, value] of Object.entries(added)) current[name] = (current[name] ?? 0) + value;
    usage.set(planned.nodePool, current);
    return { kind: 'create', planned, nodeClaim };
  });
}
