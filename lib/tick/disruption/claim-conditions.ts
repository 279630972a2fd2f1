import {
  Annotations,
  findCondition,
  NODEPOOL_HASH_VERSION,
  nodePoolHash,
  NodeClaimConditionTypes,
  type NodeClaim,
} from '../../apis/index.ts';
import {
  driftReason,
  podSetFingerprint,
  withConsolidatable,
  withDrifted,
  type DriftReason,
} from '../../disruption/index.ts';
import { isLaunched, type ProvisioningDeps } from '../../provisioning/index.ts';
import type { ClusterSnapshot, StateNode } from '../../state/index.ts';
import { errorMessage } from '../../util/index.ts';

/** On a NodeClaim: the fingerprint of its node's pods when a run last looked (see `podSetFingerprint`). */
export const POD_SET_ANNOTATION = 'skyscale.sh/pod-set';

/** The cloud's drift checks (AMI, subnet, security groups) reach each claim every this many ticks, spreading the calls. */
const CLOUD_DRIFT_TICKS = 5;
const CLOUD_REASONS: ReadonlySet<string> = new Set([
  'AMIDrift',
  'SubnetDrift',
  'SecurityGroupDrift',
]);

function cloudCheckDue(name: string, now: number): boolean {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % CLOUD_DRIFT_TICKS === Math.floor(now / 60_000) % CLOUD_DRIFT_TICKS;
}

async function currentDrift(
  deps: ProvisioningDeps,
  claim: NodeClaim,
  pure: DriftReason | undefined,
  now: number,
): Promise<DriftReason | undefined> {
  if (pure) return pure;
  const previous = findCondition(claim.status?.conditions, NodeClaimConditionTypes.drifted)?.reason;
  const kept =
    previous !== undefined && CLOUD_REASONS.has(previous) ? (previous as DriftReason) : undefined;
  if (!cloudCheckDue(claim.metadata.name ?? '', now)) return kept;
  try {
    return await deps.cloud.isDrifted(claim);
  } catch (error) {
    deps.logger.warn('Could not ask the cloud whether a NodeClaim drifted', {
      nodeClaim: claim.metadata.name,
      error: errorMessage(error),
    });
    return kept;
  }
}

/** The claim's metadata as it should be: the pod-set fingerprint, and the NodePool hash restamped after a hash-version change. */
function wantedAnnotations(
  claim: NodeClaim,
  stateNode: StateNode,
  hash: string,
  drifted: boolean,
): Record<string, string> {
  const annotations = { ...claim.metadata.annotations };
  if (stateNode.node) annotations[POD_SET_ANNOTATION] = podSetFingerprint(stateNode.pods);
  const version = annotations[Annotations.nodePoolHashVersion];
  if (version !== undefined && version !== NODEPOOL_HASH_VERSION && !drifted) {
    annotations[Annotations.nodePoolHash] = hash;
    annotations[Annotations.nodePoolHashVersion] = NODEPOOL_HASH_VERSION;
  }
  return annotations;
}

/**
 * Keeps each launched NodeClaim's `Drifted` and `Consolidatable` conditions and its
 * `lastPodEventTime` true, writing only what changed. A pod event is a change in the node's pod
 * set since the run before (pods bound or gone), so it is seen at most one tick late. Returns
 * the names of the claims it wrote.
 */
export async function updateClaimConditions(
  deps: ProvisioningDeps,
  snapshot: ClusterSnapshot,
): Promise<string[]> {
  const kube = deps.kube.kube;
  const now = deps.clock.now();
  const pools = new Map(
    snapshot.nodePools.map((pool) => [pool.nodePool.metadata.name ?? '', pool]),
  );
  const written: string[] = [];
  for (const stateNode of snapshot.nodes) {
    const claim = stateNode.nodeClaim;
    const pool = pools.get(stateNode.nodePool ?? '');
    if (!claim || !pool || claim.metadata.deletionTimestamp || !isLaunched(claim)) continue;
    const name = claim.metadata.name ?? '';
    const reason = await currentDrift(
      deps,
      claim,
      driftReason(claim, {
        nodePool: pool.nodePool,
        instanceTypes: pool.instanceTypes,
        nodeClass: pool.nodeClass,
      }),
      now,
    );
    const annotations = wantedAnnotations(
      claim,
      stateNode,
      nodePoolHash(pool.nodePool),
      reason !== undefined,
    );
    const previousPods = claim.metadata.annotations?.[POD_SET_ANNOTATION];
    const podEvent = previousPods !== undefined && previousPods !== annotations[POD_SET_ANNOTATION];
    const lastPodEventTime = podEvent
      ? new Date(now).toISOString()
      : claim.status?.lastPodEventTime;
    const withEvent: NodeClaim = { ...claim, status: { ...claim.status, lastPodEventTime } };
    const conditions = withConsolidatable(
      withDrifted(claim.status?.conditions ?? [], reason, now),
      withEvent,
      pool.nodePool,
      now,
    );
    const sameAnnotations =
      JSON.stringify(annotations) === JSON.stringify(claim.metadata.annotations ?? {});
    const sameStatus =
      JSON.stringify(conditions) === JSON.stringify(claim.status?.conditions ?? []) &&
      lastPodEventTime === claim.status?.lastPodEventTime;
    if (sameAnnotations && sameStatus) continue;
    try {
      if (!sameAnnotations)
        await kube.updateNodeClaim(name, (current) => ({
          ...current,
          metadata: {
            ...current.metadata,
            annotations: { ...current.metadata.annotations, ...annotations },
          },
        }));
      if (!sameStatus) {
        await kube.updateNodeClaimStatus(name, (current) => ({
          ...current,
          status: {
            ...current.status,
            ...(lastPodEventTime !== undefined && { lastPodEventTime }),
            conditions: withConsolidatable(
              withDrifted(current.status?.conditions ?? [], reason, now),
              { ...current, status: { ...current.status, lastPodEventTime } },
              pool.nodePool,
              now,
            ),
          },
        }));
        if (
          reason !== undefined &&
          findCondition(claim.status?.conditions, NodeClaimConditionTypes.drifted) === undefined
        )
          deps.logger.info('NodeClaim drifted', { nodeClaim: name, reason });
      }
      written.push(name);
    } catch (error) {
      deps.logger.warn('Could not update a NodeClaim’s disruption conditions', {
        nodeClaim: name,
        error: errorMessage(error),
      });
    }
  }
  return written;
}
