import { findCondition, NodeClaimConditionTypes, type NodeClaim } from '../apis/index.ts';

/**
 * Karpenter's liveness: a launched NodeClaim whose node has not registered within `ttlMs` of
 * its launch will not register; it is deleted (its instance terminated) so that the next
 * provisioning pass plans a replacement for its pods.
 */
export function registrationTimedOut(claim: NodeClaim, now: number, ttlMs: number): boolean {
  const launched = findCondition(claim.status?.conditions, NodeClaimConditionTypes.launched);
  if (launched?.status !== 'True') return false;
  return now - Date.parse(launched.lastTransitionTime) >= ttlMs;
}
