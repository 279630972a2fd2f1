import {
  isConditionTrue,
  Labels,
  NodeClaimConditionTypes,
  Taints,
  TERMINATION_FINALIZER,
  type Node,
  type NodeClaim,
  type Taint,
} from '../apis/index.ts';
import { withConditionsTrue } from './claim-status.ts';
import { initializationBlocker, initializedNode } from './initialization.ts';
import type { LifecycleDeps } from './types.ts';

export function isRegistered(claim: NodeClaim): boolean {
  return isConditionTrue(claim.status?.conditions, NodeClaimConditionTypes.registered);
}

function sameTaint(a: Taint, b: Taint): boolean {
  return a.key === b.key && a.effect === b.effect;
}

/** `taints` plus each of `added` it lacks (matched on key and effect). */
function mergeTaints(taints: readonly Taint[], added: readonly Taint[]): Taint[] {
  return [...taints, ...added.filter((taint) => !taints.some((kept) => sameTaint(kept, taint)))];
}

/**
 * The Node as Karpenter's registration leaves it: the claim's labels, annotations, taints and
 * startup taints synced onto it, the termination finalizer, the claim as an owner, the
 * `karpenter.sh/unregistered` taint removed and `karpenter.sh/registered=true`.
 */
function registeredNode(claim: NodeClaim, node: Node): Node {
  const owner = {
    apiVersion: claim.apiVersion,
    kind: claim.kind,
    name: claim.metadata.name ?? '',
    uid: claim.metadata.uid ?? '',
    blockOwnerDeletion: true,
  };
  const owners = (node.metadata.ownerReferences ?? []).filter(({ uid }) => uid !== owner.uid);
  const taints = mergeTaints(node.spec?.taints ?? [], [
    ...(claim.spec.taints ?? []),
    ...(claim.spec.startupTaints ?? []),
  ]).filter((taint) => !sameTaint(taint, Taints.unregistered));
  const finalizers = node.metadata.finalizers ?? [];
  return {
    ...node,
    metadata: {
      ...node.metadata,
      labels: { ...node.metadata.labels, ...claim.metadata.labels, [Labels.registered]: 'true' },
      annotations: { ...node.metadata.annotations, ...claim.metadata.annotations },
      finalizers: finalizers.includes(TERMINATION_FINALIZER)
        ? finalizers
        : [...finalizers, TERMINATION_FINALIZER],
      ownerReferences: [...owners, owner],
    },
    spec: { ...node.spec, taints },
  };
}

/**
 * Syncs the claim onto its Node, then records `status.nodeName` and `Registered=True` on the
 * claim. When nothing blocks initialization on the registered Node, it initializes the claim in
 * the same two writes, as Karpenter's lifecycle reconciles registration and initialization in one
 * pass. Returns whether it did.
 */
export async function registerNodeClaim(
  deps: LifecycleDeps,
  claim: NodeClaim,
  node: Node,
): Promise<boolean> {
  let initialized = false;
  await deps.kube.updateNode(
    node.metadata.name,
    (current) => {
      initialized = false;
      if (current.metadata.deletionTimestamp) return undefined;
      const registered = registeredNode(claim, current);
      initialized = initializationBlocker(claim, registered) === undefined;
      return initialized ? initializedNode(registered) : registered;
    },
    node,
  );
  const now = new Date(deps.clock.now()).toISOString();
  const conditions = [
    NodeClaimConditionTypes.registered,
    ...(initialized ? [NodeClaimConditionTypes.initialized] : []),
  ];
  await deps.kube.updateNodeClaimStatus(
    claim.metadata.name ?? '',
    (current) => {
      const updated = withConditionsTrue(current, conditions, now);
      return { ...updated, status: { ...updated.status, nodeName: node.metadata.name } };
    },
    claim,
  );
  return initialized;
}
