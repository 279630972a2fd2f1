import type { RateLimits } from '../../util/token-bucket.ts';

/** Karpenter's KUBE_CLIENT_QPS / KUBE_CLIENT_BURST defaults for bulk API traffic. */
export const BULK_RATE_LIMITS: RateLimits = { qps: 200, burst: 300 };
/** client-go's defaults, which Karpenter's leader-election client keeps. */
export const LEASE_RATE_LIMITS: RateLimits = { qps: 5, burst: 10 };
