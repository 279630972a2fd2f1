import { NODECLAIM_API_VERSION, type NodeClaim } from '../apis/index.ts';
import type { CloudInstance } from '../cloudprovider/cloud-provider.ts';
import { errorMessage } from '../util/index.ts';
import { isRegistered } from './registration.ts';
import type { LifecycleDeps, ObjectFailure } from './types.ts';

/** An instance with no NodeClaim is left this long, as Karpenter leaves it, before it counts as leaked. */
export const LEAKED_INSTANCE_GRACE_MS = 30_000;

export interface GarbageCollectionResult {
  /** Instances terminated because no NodeClaim owns them. */
  readonly instancesTerminated: readonly string[];
  /** Registered NodeClaims deleted because their instance is gone. */
  readonly nodeClaimsDeleted: readonly string[];
  readonly failures: readonly ObjectFailure[];
}

/** The claim a leaked instance would have had, as the cloud provider's delete takes one. */
function claimOf(instance: CloudInstance): NodeClaim {
  return {
    apiVersion: NODECLAIM_API_VERSION,
    kind: 'NodeClaim',
    metadata: { name: instance.nodeClaimName ?? instance.instanceID },
    spec: {
      requirements: [],
      nodeClassRef: { group: '', kind: '', name: '' },
      expireAfter: 'Never',
    },
    status: { providerID: instance.providerID },
  };
}

/**
 * Karpenter's garbage collection, in both directions. The cloud is listed before the NodeClaims:
 * provisioning creates a claim before it launches its instance, so every instance in the cloud's
 * list either has its claim in the later claim list or has truly lost it; and only instances
 * older than {@link LEAKED_INSTANCE_GRACE_MS} are terminated. A registered claim whose instance
 * is not in the list is deleted (its instance was reclaimed), so no pod is nominated to it again.
 */
export async function collectGarbage(deps: LifecycleDeps): Promise<GarbageCollectionResult> {
  const instances = await deps.cloud.list();
  const claims = (await deps.kube.listNodeClaims()).items;
  const now = deps.clock.now();
  const claimNames = new Set(claims.map(({ metadata }) => metadata.name));
  const claimedProviderIDs = new Set(claims.map(({ status }) => status?.providerID));
  const liveProviderIDs = new Set(instances.map(({ providerID }) => providerID));
  const failures: ObjectFailure[] = [];
  const instancesTerminated: string[] = [];
  for (const instance of instances) {
    const owned =
      claimedProviderIDs.has(instance.providerID) ||
      (instance.nodeClaimName !== undefined && claimNames.has(instance.nodeClaimName));
    const launchedAt = instance.launchTime?.getTime() ?? now;
    if (owned || now - launchedAt < LEAKED_INSTANCE_GRACE_MS) continue;
    try {
      deps.logger.warn('Terminating an instance no NodeClaim owns', {
        instance: instance.instanceID,
        nodeClaim: instance.nodeClaimName,
      });
      await deps.cloud.delete(claimOf(instance));
      instancesTerminated.push(instance.instanceID);
    } catch (error) {
      failures.push({ name: instance.instanceID, message: errorMessage(error) });
    }
  }
  const nodeClaimsDeleted: string[] = [];
  for (const claim of claims) {
    const providerID = claim.status?.providerID;
    const lost = providerID !== undefined && !liveProviderIDs.has(providerID);
    if (!lost || !isRegistered(claim) || claim.metadata.deletionTimestamp) continue;
    const name = claim.metadata.name ?? '';
    try {
      await deps.kube.deleteNodeClaim(name);
      nodeClaimsDeleted.push(name);
    } catch (error) {
      failures.push({ name, message: errorMessage(error) });
    }
  }
  return { instancesTerminated, nodeClaimsDeleted, failures };
}
