import {
  formatResources,
  isConditionTrue,
  NodeClaimConditionTypes,
  setCondition,
  TERMINATION_FINALIZER,
  type NodeClaim,
} from '../apis/index.ts';
import type {
  CloudProvider,
  LaunchedInstance,
  LaunchInputs,
} from '../cloudprovider/cloud-provider.ts';
import { InsufficientCapacityError, NodeClassNotReadyError } from '../cloudprovider/errors.ts';
import type { KubeClient } from '../kube/index.ts';
import type { Clock } from '../util/clock.ts';
import { errorMessage } from '../util/index.ts';
import type { NodeClaimDeletionReason } from './types.ts';

export type LaunchOutcome =
  | {
      readonly kind: 'launched';
      readonly nodeClaim: NodeClaim;
      readonly instance: LaunchedInstance;
    }
  | {
      readonly kind: 'deleted';
      readonly nodeClaim: NodeClaim;
      readonly reason: NodeClaimDeletionReason;
      readonly message: string;
    }
  | { readonly kind: 'failed'; readonly nodeClaim: NodeClaim; readonly message: string };

export function isLaunched(nodeClaim: NodeClaim): boolean {
  return isConditionTrue(nodeClaim.status?.conditions, NodeClaimConditionTypes.launched);
}

/** Why no instance can be launched for the claim, so deleting it lets its pods re-plan; undefined for errors worth retrying. */
function deletionReason(error: unknown): NodeClaimDeletionReason | undefined {
  if (error instanceof InsufficientCapacityError) return 'InsufficientCapacity';
  if (error instanceof NodeClassNotReadyError) return 'NodeClassNotReady';
  return undefined;
}

/** Records the launch on the claim, starting from `known` (the claim as the run holds it) instead of reading it. */
async function recordLaunch(
  kube: KubeClient,
  clock: Clock,
  known: NodeClaim,
  instance: LaunchedInstance,
): Promise<void> {
  const name = known.metadata.name ?? '';
  // The instance's labels (type, zone, capacity type…) go under the claim's own, which were chosen
  // first; the node class hash it launched from is stamped over any earlier one.
  const labelled = await kube.updateNodeClaim(
    name,
    (claim) => ({
      ...claim,
      metadata: {
        ...claim.metadata,
        labels: { ...instance.labels, ...claim.metadata.labels },
        annotations: { ...claim.metadata.annotations, ...instance.annotations },
      },
    }),
    known,
  );
  await kube.updateNodeClaimStatus(
    name,
    (claim) => ({
      ...claim,
      status: {
        ...claim.status,
        providerID: instance.providerID,
        imageID: instance.imageID,
        capacity: formatResources(instance.capacity),
        allocatable: formatResources(instance.allocatable),
        conditions: setCondition(claim.status?.conditions, {
          type: NodeClaimConditionTypes.launched,
          status: 'True',
          reason: NodeClaimConditionTypes.launched,
          lastTransitionTime: new Date(clock.now()).toISOString(),
          observedGeneration: claim.metadata.generation,
        }),
      },
    }),
    labelled,
  );
}

/**
 * Deletes a claim no instance was launched for. Nothing is left to terminate, so its termination
 * finalizer is released at once instead of holding the claim until a termination run.
 */
async function deleteUnlaunchedNodeClaim(kube: KubeClient, name: string): Promise<void> {
  await kube.deleteNodeClaim(name);
  const remaining = await kube.getNodeClaim(name);
  if (!remaining?.metadata.finalizers?.includes(TERMINATION_FINALIZER)) return;
  await kube.updateNodeClaim(name, (claim) => ({
    ...claim,
    metadata: {
      ...claim.metadata,
      finalizers: (claim.metadata.finalizers ?? []).filter(
        (finalizer) => finalizer !== TERMINATION_FINALIZER,
      ),
    },
  }));
}

export const STOPPED =
  'the run stopped acting (lock lost or deadline passed); the next run retries';

/**
 * Launches the NodeClaim's instance and records it: labels, providerID, imageID, capacity,
 * allocatable and `Launched=True`. The cloud provider's launch is idempotent on the claim's UID,
 * so a claim whose earlier launch went unrecorded gets the same instance back. When nothing can
 * launch it (every offering out of capacity, or its node class not ready) the claim is deleted
 * so its pods are planned afresh; any other failure leaves it for the next run to retry.
 * `mayAct` is asked before the launch and before the deletion; recording a launch that happened
 * is never held back, as it only completes the claim. `inputs`, when the run has them, spare the
 * cloud reading the node class and the instance types again.
 */
export async function launchNodeClaim(
  kube: KubeClient,
  cloud: CloudProvider,
  clock: Clock,
  nodeClaim: NodeClaim,
  mayAct: () => boolean,
  inputs?: LaunchInputs,
): Promise<LaunchOutcome> {
  const name = nodeClaim.metadata.name ?? '';
  try {
    if (!mayAct()) return { kind: 'failed', nodeClaim, message: STOPPED };
    const instance = await cloud.create(nodeClaim, inputs);
    await recordLaunch(kube, clock, nodeClaim, instance);
    return { kind: 'launched', nodeClaim, instance };
  } catch (error) {
    const reason = deletionReason(error);
    if (reason === undefined) return { kind: 'failed', nodeClaim, message: errorMessage(error) };
    if (!mayAct())
      return { kind: 'failed', nodeClaim, message: `${errorMessage(error)}; ${STOPPED}` };
    try {
      await deleteUnlaunchedNodeClaim(kube, name);
    } catch (deleteError) {
      return {
        kind: 'failed',
        nodeClaim,
        message: `${errorMessage(error)}; deleting the NodeClaim failed: ${errorMessage(deleteError)}`,
      };
    }
    return { kind: 'deleted', nodeClaim, reason, message: errorMessage(error) };
  }
}
