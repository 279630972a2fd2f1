import {
  durationMilliseconds,
  findCondition,
  isConditionTrue,
  NodeClaimConditionTypes,
  setCondition,
  type Condition,
  type NodeClaim,
  type NodePool,
  type Pod,
} from '../apis/index.ts';
import { isTerminal } from '../state/index.ts';
import type { DriftReason } from './drift.ts';

function withoutCondition(conditions: readonly Condition[], type: string): Condition[] {
  return conditions.filter((condition) => condition.type !== type);
}

/**
 * The claim's conditions with `Drifted` as `reason` says: True with the reason while drifted,
 * absent otherwise (Karpenter clears it rather than setting False). A claim that has not
 * launched is never drifted.
 */
export function withDrifted(
  conditions: readonly Condition[],
  reason: DriftReason | undefined,
  now: number,
): Condition[] {
  if (reason === undefined) return withoutCondition(conditions, NodeClaimConditionTypes.drifted);
  return setCondition(conditions, {
    type: NodeClaimConditionTypes.drifted,
    status: 'True',
    reason,
    message: reason,
    lastTransitionTime: new Date(now).toISOString(),
  });
}

/**
 * When the claim becomes consolidatable: `consolidateAfter` after its last pod event, or after
 * it initialized when no pod event was seen. Undefined while consolidation is off (`Never`) or
 * the claim is not initialized.
 */
export function consolidatableFrom(claim: NodeClaim, nodePool: NodePool): number | undefined {
  const after = durationMilliseconds(nodePool.spec.disruption.consolidateAfter);
  const initialized = findCondition(claim.status?.conditions, NodeClaimConditionTypes.initialized);
  if (after === Infinity || initialized?.status !== 'True') return undefined;
  const lastEvent = claim.status?.lastPodEventTime ?? initialized.lastTransitionTime;
  return Date.parse(lastEvent) + after;
}

/** The claim's conditions with `Consolidatable` True once {@link consolidatableFrom} has passed, else absent. */
export function withConsolidatable(
  conditions: readonly Condition[],
  claim: NodeClaim,
  nodePool: NodePool,
  now: number,
): Condition[] {
  const from = consolidatableFrom(claim, nodePool);
  if (from === undefined || now < from)
    return withoutCondition(conditions, NodeClaimConditionTypes.consolidatable);
  return setCondition(conditions, {
    type: NodeClaimConditionTypes.consolidatable,
    status: 'True',
    reason: NodeClaimConditionTypes.consolidatable,
    lastTransitionTime: new Date(now).toISOString(),
  });
}

export function isDrifted(claim: NodeClaim): boolean {
  return isConditionTrue(claim.status?.conditions, NodeClaimConditionTypes.drifted);
}

export function isConsolidatable(claim: NodeClaim): boolean {
  return isConditionTrue(claim.status?.conditions, NodeClaimConditionTypes.consolidatable);
}

/**
 * A fingerprint of the pods a node runs (bound and not finished), so a run that sees a different
 * one than the run before knows a pod was bound to or removed from the node in between: the
 * pod event Karpenter watches for, seen here at most one tick late.
 */
export function podSetFingerprint(pods: readonly Pod[]): string {
  const keys = pods
    .filter((pod) => !isTerminal(pod))
    .map((pod) => pod.metadata.uid ?? `${pod.metadata.namespace ?? ''}/${pod.metadata.name}`)
    .sort();
  let hash = 0x811c9dc5;
  for (const char of keys.join('\n')) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `${keys.length}-${hash.toString(16)}`;
}
