import { durationMilliseconds, type NodeClaim } from '../apis/index.ts';

/** When the claim expires (its creation plus its `expireAfter`), or Infinity for `Never`. */
export function expiresAt(claim: NodeClaim): number {
  return (
    Date.parse(claim.metadata.creationTimestamp ?? '') +
    durationMilliseconds(claim.spec.expireAfter)
  );
}

/**
 * Claims past their `expireAfter` and not yet deleting. Expiration is forceful, as in Karpenter
 * v1: no budget, do-not-disrupt or replacement holds it; the drain that follows still honours
 * PodDisruptionBudgets and do-not-disrupt pods until the claim's terminationGracePeriod.
 */
export function expiredClaims(claims: readonly NodeClaim[], now: number): NodeClaim[] {
  return claims.filter(
    (claim) => claim.metadata.deletionTimestamp === undefined && expiresAt(claim) <= now,
  );
}
