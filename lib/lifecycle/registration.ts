import {
  isConditionTrue,
  Labels,
  NodeClaimConditionTypes,
  setCondition,
  Taints,
  TERMINATION_FINALIZER,
  type Node,
  type NodeClaim,
  type Taint,
} from '../apis/index.ts';
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

/** Syncs the claim onto its Node, then records `status.nodeName` and `Registered=True` on the claim. */
export async function registerNodeClaim(
  deps: LifecycleDeps,
  claim: NodeClaim,
  node: Node,
): Promise<void> {
  const name = claim.metadata.name ?? '';
  await deps.kube.updateNode(node.metadata.name, (current) =>
    current.metadata.deletionTimestamp ? undefined : registeredNode(claim, current),
  );
  const now = new Date(deps.clock.now()).toISOString();
  await deps.kube.updateNodeClaimStatus(
    name,
    (current) => ({
      ...current,
      status: {
        ...current.status,
        nodeName: node.metadata.name,
        conditions: setCondition(current.status?.conditions, {
          type: NodeClaimConditionTypes.registered,
          status: 'True',
          reason: NodeClaimConditionTypes.registered,
          lastTransitionTime: now,
          observedGeneration: current.metadata.generation,
        }),
      },
    }),
    claim,
  );
}
