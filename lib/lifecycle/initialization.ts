import {
  EPHEMERAL_TAINT_KEYS,
  isConditionTrue,
  Labels,
  NodeClaimConditionTypes,
  resourceValue,
  type Node,
  type NodeClaim,
} from '../apis/index.ts';
import { withConditionsTrue } from './claim-status.ts';
import type { LifecycleDeps } from './types.ts';

/** Resources every node reports; any other requested resource is extended and must show up in allocatable. */
const STANDARD_RESOURCES = new Set(['cpu', 'memory', 'pods', 'ephemeral-storage']);

export function isInitialized(claim: NodeClaim): boolean {
  return isConditionTrue(claim.status?.conditions, NodeClaimConditionTypes.initialized);
}

export function isNodeReady(node: Node): boolean {
  const conditions = (node.status?.['conditions'] ?? []) as readonly {
    type?: string;
    status?: string;
  }[];
  return conditions.some(({ type, status }) => type === 'Ready' && status === 'True');
}

/**
 * Why the claim's node is not initialized yet, or undefined once it is (Karpenter's
 * initialization): the node must be Ready, keep none of the claim's startup taints and none of
 * the taints controllers lift on their own, and offer every extended resource the claim requested.
 */
export function initializationBlocker(claim: NodeClaim, node: Node): string | undefined {
  if (!isNodeReady(node)) return 'the node is not Ready';
  const taints = node.spec?.taints ?? [];
  const startup = taints.find((taint) =>
    (claim.spec.startupTaints ?? []).some(
      ({ key, effect }) => key === taint.key && effect === taint.effect,
    ),
  );
  if (startup) return `startup taint ${startup.key} is still on the node`;
  const ephemeral = taints.find(({ key }) => EPHEMERAL_TAINT_KEYS.has(key));
  if (ephemeral) return `taint ${ephemeral.key} is still on the node`;
  const allocatable = node.status?.allocatable ?? {};
  const missing = Object.keys(claim.spec.resources?.requests ?? {}).find((resource) => {
    if (STANDARD_RESOURCES.has(resource)) return false;
    const offered = allocatable[resource];
    return offered === undefined || resourceValue(resource, offered) <= 0;
  });
  return missing ? `the node does not offer ${missing} yet` : undefined;
}

/** The node labelled `karpenter.sh/initialized=true`. */
export function initializedNode(node: Node): Node {
  return {
    ...node,
    metadata: {
      ...node.metadata,
      labels: { ...node.metadata.labels, [Labels.initialized]: 'true' },
    },
  };
}

/** Labels the node `karpenter.sh/initialized=true` and sets `Initialized=True` on the claim. */
export async function initializeNodeClaim(
  deps: LifecycleDeps,
  claim: NodeClaim,
  node: Node,
): Promise<void> {
  await deps.kube.updateNode(node.metadata.name, initializedNode, node);
  const now = new Date(deps.clock.now()).toISOString();
  await deps.kube.updateNodeClaimStatus(
    claim.metadata.name ?? '',
    (current) => withConditionsTrue(current, [NodeClaimConditionTypes.initialized], now),
    claim,
  );
}
