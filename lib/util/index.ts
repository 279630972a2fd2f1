export { systemClock, type Clock } from './clock.ts';
export { TtlCache } from './ttl-cache.ts';
export { mapWithConcurrency } from './bounded-concurrency.ts';
export { errorMessage } from './error-message.ts';
export { TokenBucket, type RateLimits } from './token-bucket.ts';
