import { Labels, type NodeClaim, type Pod } from '../apis/index.ts';
import type { LaunchInputs } from '../cloudprovider/index.ts';
import type { SchedulingResult } from '../scheduling/index.ts';
import type { ClusterSnapshot } from '../state/index.ts';
import { decideClaims, type ClaimDecision } from './create-claims.ts';
import { isLaunched } from './launch.ts';

/** One thing to do against the cluster and the cloud. */
export type Action = (
  | /** Create the NodeClaim, nominate its pods to it and launch it. */
    { readonly kind: 'create'; readonly decision: Extract<ClaimDecision, { kind: 'create' }> }
    /** Launch a NodeClaim an earlier run created but never launched. */
  | { readonly kind: 'resume'; readonly nodeClaim: NodeClaim }
) & {
  /** The claim's node class and instance types as the snapshot holds them, when its NodePool is there. */
  readonly inputs: LaunchInputs | undefined;
};

function launchInputs(
  snapshot: ClusterSnapshot,
  nodeClaim: NodeClaim,
  newlyCreated: boolean,
): LaunchInputs | undefined {
  const name = nodeClaim.metadata.labels?.[Labels.nodePool];
  const pool = snapshot.nodePools.find(
    ({ nodePool, nodeClass }) =>
      nodePool.metadata.name === name &&
      nodeClass.metadata.name === nodeClaim.spec.nodeClassRef.name,
  );
  return pool && { nodeClass: pool.nodeClass, instanceTypes: pool.instanceTypes, newlyCreated };
}

/** What acting on a plan will do, decided from the plan and the snapshot alone. */
export interface ActionList {
  /** Pods placed on a Node (`node/NAME`) or an in-flight NodeClaim (`nodeclaim/NAME`). */
  readonly nominations: readonly { readonly pods: readonly Pod[]; readonly target: string }[];
  /** Pods no node can take: the scheduler's and those of claims the limits re-check refused. */
  readonly unschedulable: readonly { readonly pods: readonly Pod[]; readonly reason: string }[];
  readonly actions: readonly Action[];
}

/**
 * The actions for a plan: nominate the pods placed on existing capacity, create and launch a
 * NodeClaim per planned claim that passes the limits re-check, and launch every claim an earlier
 * run created but never launched.
 */
export function listActions(snapshot: ClusterSnapshot, plan: SchedulingResult): ActionList {
  const nodeNames = new Set(
    snapshot.nodes.flatMap(({ node }) => (node ? [node.metadata.name] : [])),
  );
  const nominations = plan.existingNodes.map(({ name, pods }) => ({
    pods,
    target: nodeNames.has(name) ? `node/${name}` : `nodeclaim/${name}`,
  }));
  const unschedulable: { pods: readonly Pod[]; reason: string }[] = plan.unschedulable.map(
    ({ pod, reason }) => ({ pods: [pod], reason }),
  );
  const actions: Action[] = [];
  for (const decision of decideClaims(snapshot, plan.newNodeClaims)) {
    if (decision.kind === 'refused')
      unschedulable.push({ pods: decision.planned.pods, reason: decision.reason });
    else
      actions.push({
        kind: 'create',
        decision,
        inputs: launchInputs(snapshot, decision.nodeClaim, true),
      });
  }
  for (const nodeClaim of snapshot.inFlightNodeClaims)
    if (!isLaunched(nodeClaim) && !nodeClaim.metadata.deletionTimestamp)
      actions.push({ kind: 'resume', nodeClaim, inputs: launchInputs(snapshot, nodeClaim, false) });
  return { nominations, unschedulable, actions };
}
