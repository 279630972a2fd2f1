import { z } from 'zod';
import type { Clock } from '../../util/clock.ts';

export const rateLimitsSchema = z.strictObject({
  /** Sustained requests per second. */
  qps: z.number().positive(),
  /** Requests allowed at once before the sustained rate applies. */
  burst: z.int().min(1),
});
export type RateLimits = z.output<typeof rateLimitsSchema>;

/** Karpenter's KUBE_CLIENT_QPS / KUBE_CLIENT_BURST defaults for bulk API traffic. */
export const BULK_RATE_LIMITS: RateLimits = { qps: 200, burst: 300 };
/** client-go's defaults, which Karpenter's leader-election client keeps. */
export const LEASE_RATE_LIMITS: RateLimits = { qps: 5, burst: 10 };

/**
 * A token bucket in the style of client-go's: `burst` tokens, refilled at `qps` per second. Each
 * caller reserves a token immediately (the balance may go negative) and waits until its token
 * would exist, so callers are served in arrival order without an explicit queue.
 */
export class TokenBucket {
  private tokens: number;
  private refilledAt: number;

  constructor(
    readonly limits: RateLimits,
    private readonly clock: Clock,
  ) {
    rateLimitsSchema.parse(limits);
    this.tokens = limits.burst;
    this.refilledAt = clock.now();
  }

  /** Resolves once the caller may send one request. */
  async acquire(): Promise<void> {
    this.refill();
    this.tokens -= 1;
    if (this.tokens < 0) await this.clock.sleep((-this.tokens / this.limits.qps) * 1000);
  }

  /** Takes a token if one is there now, without waiting: client-go's `TryAccept`. */
  tryAccept(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private refill(): void {
    const now = this.clock.now();
    const refill = ((now - this.refilledAt) / 1000) * this.limits.qps;
    this.tokens = Math.min(this.limits.burst, this.tokens + refill);
    this.refilledAt = now;
  }
}
