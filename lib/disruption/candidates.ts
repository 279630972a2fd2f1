import {
  Annotations,
  isConditionTrue,
  NodeClaimConditionTypes,
  type Node,
  type NodeClaim,
  type NodePool,
  type Pod,
} from '../apis/index.ts';
import {
  hasActiveDoNotDisrupt,
  isReschedulable,
  isStaticPod,
  isTerminal,
  isTerminating,
  type BlockingBudgets,
  type StateNode,
} from '../state/index.ts';
import { replacedNames } from './orchestration.ts';

/** A node a disruption method may act on. */
export interface Candidate {
  /** The Node's name. */
  readonly name: string;
  readonly node: Node;
  readonly nodeClaim: NodeClaim;
  readonly nodePool: NodePool;
  /** Every pod bound to the node. */
  readonly pods: readonly Pod[];
  /** The pods that need a place elsewhere if the node goes (not DaemonSet, static or finished pods). */
  readonly reschedulablePods: readonly Pod[];
}

/** A managed node that is no candidate, and why, in a sentence for the DisruptionBlocked event. */
export interface BlockedNode {
  readonly stateNode: StateNode;
  readonly reason: string;
}

/**
 * Graceful methods (emptiness, consolidation) never move a pod that may not move; eventual ones
 * (drift) may, on a node with a terminationGracePeriod, since that period bounds its drain anyway.
 */
export type DisruptionClass = 'graceful' | 'eventual';

export interface CandidateInputs {
  readonly nodes: readonly StateNode[];
  readonly nodePools: ReadonlyMap<string, NodePool>;
  readonly budgets: BlockingBudgets;
  readonly now: number;
}

function nodeBlocker(
  stateNode: StateNode,
  nodePools: ReadonlyMap<string, NodePool>,
  claimNames: ReadonlySet<string>,
): string | undefined {
  const { node, nodeClaim, nodePool } = stateNode;
  if (!nodeClaim) return 'node is not managed by Skyscale';
  if (!node) return 'nodeclaim does not have an associated node';
  if (!isConditionTrue(nodeClaim.status?.conditions, NodeClaimConditionTypes.initialized))
    return 'node is not initialized';
  if (stateNode.markedForDeletion) return 'node is deleting or marked for deletion';
  if (isConditionTrue(nodeClaim.status?.conditions, NodeClaimConditionTypes.disruptionReason))
    return 'node is already being disrupted';
  // Karpenter's nomination: the replacement waits for the pods of the nodes it replaces.
  if (replacedNames(nodeClaim).some((name) => claimNames.has(name)))
    return 'node is nominated for the pods of the nodes it replaces';
  if (node.metadata.annotations?.[Annotations.doNotDisrupt] === 'true')
    return `disruption is blocked through the "${Annotations.doNotDisrupt}" annotation`;
  if (nodePool === undefined) return 'node does not have the NodePool label';
  if (!nodePools.has(nodePool)) return `NodePool "${nodePool}" not found`;
  return undefined;
}

/** Why one of the node's pods may not move now (an active do-not-disrupt, or a budget refusing eviction). */
function podBlocker(
  pods: readonly Pod[],
  budgets: BlockingBudgets,
  now: number,
): string | undefined {
  for (const pod of pods) {
    if (isTerminal(pod) || isTerminating(pod) || isStaticPod(pod)) continue;
    const key = `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`;
    if (hasActiveDoNotDisrupt(pod, now))
      return `pod "${key}" has the "${Annotations.doNotDisrupt}" annotation`;
    const budget = budgets.refusingEviction(pod, now);
    if (budget) return `pdb "${budget}" prevents pod evictions`;
  }
  return undefined;
}

/**
 * Splits the managed nodes into candidates and blocked nodes, as Karpenter's candidate filter
 * does: initialized, not deleting or already disrupted, not the replacement of nodes still there,
 * no do-not-disrupt on the node, owned by a known NodePool, and no pod that may not move (unless `eventual` and the claim has a
 * terminationGracePeriod). Nodes Skyscale does not manage are neither.
 */
export function disruptionCandidates(
  inputs: CandidateInputs,
  disruptionClass: DisruptionClass,
): { candidates: Candidate[]; blocked: BlockedNode[] } {
  const candidates: Candidate[] = [];
  const blocked: BlockedNode[] = [];
  const claimNames = new Set(
    inputs.nodes.flatMap(({ nodeClaim }) => nodeClaim?.metadata.name ?? []),
  );
  for (const stateNode of inputs.nodes) {
    if (!stateNode.nodeClaim) continue;
    const reason = nodeBlocker(stateNode, inputs.nodePools, claimNames);
    if (reason) {
      blocked.push({ stateNode, reason });
      continue;
    }
    const { node, nodeClaim, pods } = stateNode;
    const nodePool = inputs.nodePools.get(stateNode.nodePool ?? '');
    const bounded =
      disruptionClass === 'eventual' && nodeClaim.spec.terminationGracePeriod !== undefined;
    const podReason = bounded ? undefined : podBlocker(pods, inputs.budgets, inputs.now);
    if (podReason) {
      blocked.push({ stateNode, reason: podReason });
      continue;
    }
    if (!node || !nodePool) continue;
    candidates.push({
      name: stateNode.name,
      node,
      nodeClaim,
      nodePool,
      pods,
      reschedulablePods: pods.filter(isReschedulable),
    });
  }
  return { candidates, blocked };
}
