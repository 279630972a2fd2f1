import type { PlannedClaim } from './planned-claim.ts';

/**
 * Planned NodeClaims kept in buckets by pod count, so "fewest pods first" costs nothing to
 * maintain: a claim that takes a pod moves up one bucket. Within a bucket, oldest first.
 */
export class ClaimsByPodCount {
  private readonly buckets: PlannedClaim[][] = [];
  private readonly created: PlannedClaim[] = [];

  add(claim: PlannedClaim): void {
    this.created.push(claim);
    this.bucket(claim.pods.length).push(claim);
  }

  /** In creation order. */
  all(): readonly PlannedClaim[] {
    return this.created;
  }

  /** The first claim, fewest pods first, for which `tryAdd` succeeds (it has then taken the pod). */
  firstAccepting(tryAdd: (claim: PlannedClaim) => boolean): PlannedClaim | undefined {
    for (let count = 0; count < this.buckets.length; count++) {
      const bucket = this.buckets[count] ?? [];
      for (let position = 0; position < bucket.length; position++) {
        const claim = bucket[position];
        if (!claim || !tryAdd(claim)) continue;
        bucket.splice(position, 1);
        this.bucket(claim.pods.length).push(claim);
        return claim;
      }
    }
    return undefined;
  }

  private bucket(podCount: number): PlannedClaim[] {
    while (this.buckets.length <= podCount) this.buckets.push([]);
    return this.buckets[podCount] ?? [];
  }
}
