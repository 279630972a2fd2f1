import {
  findCondition,
  NodeClaimConditionTypes,
  setCondition,
  type NodeClaim,
} from '../../apis/index.ts';
import { InstanceNotFoundError } from '../../cloudprovider/errors.ts';
import type { LifecycleDeps } from '../types.ts';

/**
 * Asks the cloud to terminate the claim's instance (again, harmlessly, on a retry) and reports
 * whether it is on its way out: gone, shutting down or terminated. The claim gets
 * `InstanceTerminating=True` the first time.
 */
export async function terminateInstance(deps: LifecycleDeps, claim: NodeClaim): Promise<boolean> {
  await deps.cloud.delete(claim);
  const name = claim.metadata.name ?? '';
  if (!findCondition(claim.status?.conditions, NodeClaimConditionTypes.instanceTerminating)) {
    const now = new Date(deps.clock.now()).toISOString();
    await deps.kube.updateNodeClaimStatus(name, (current) => ({
      ...current,
      status: {
        ...current.status,
        conditions: setCondition(current.status?.conditions, {
          type: NodeClaimConditionTypes.instanceTerminating,
          status: 'True',
          reason: NodeClaimConditionTypes.instanceTerminating,
          lastTransitionTime: now,
          observedGeneration: current.metadata.generation,
        }),
      },
    }));
  }
  const providerID = claim.status?.providerID;
  if (!providerID) return true;
  try {
    const { state } = await deps.cloud.get(providerID);
    return state === 'shutting-down' || state === 'terminated';
  } catch (error) {
    if (error instanceof InstanceNotFoundError) return true;
    throw error;
  }
}
