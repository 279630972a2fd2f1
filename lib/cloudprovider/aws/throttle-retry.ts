import { CloudProviderError } from '../errors.ts';
import { awsErrorCode, isThrottlingError } from './ec2-errors.ts';

/** What the retry loop needs from its surroundings; injected so tests and the simulator control time. */
export interface RetryTiming {
  /** Milliseconds left in the run (a Lambda's remaining time minus its safety margin). */
  remainingMs(): number;
  sleep(ms: number): Promise<void>;
  /** Uniform in [0, 1). */
  random(): number;
}

export interface BackoffOptions {
  readonly baseMs: number;
  readonly capMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 250, capMs: 20_000 };

/** "Full jitter": a uniform delay in [0, min(cap, base·2^attempt)), so throttled callers spread out. */
export function backoffDelayMs(
  attempt: number,
  random: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** attempt);
  return Math.floor(random * ceiling);
}

export const systemRetryTiming = (remainingMs: () => number): RetryTiming => ({
  remainingMs,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
});

/**
 * Calls `call` until it stops failing with a throttling error. It gives up only when the next
 * back-off would not fit in the run's remaining time; any other error is rethrown at once.
 */
export async function retryWhileThrottled<T>(
  operation: string,
  call: () => Promise<T>,
  timing: RetryTiming,
  options: BackoffOptions = DEFAULT_BACKOFF,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isThrottlingError(error)) throw error;
      const delay = backoffDelayMs(attempt, timing.random(), options);
      if (delay >= timing.remainingMs()) {
        throw new CloudProviderError(
          `${operation} was throttled (${awsErrorCode(error)}) ${attempt + 1} time(s) and the run has no time left to retry`,
          { cause: error },
        );
      }
      await timing.sleep(delay);
    }
  }
}

/** `retryWhileThrottled` bound to a run's timing, as the adapter's modules receive it. */
export type Throttled = <T>(operation: string, call: () => Promise<T>) => Promise<T>;

export function throttledFor(
  timing: RetryTiming,
  options: BackoffOptions = DEFAULT_BACKOFF,
): Throttled {
  return (operation, call) => retryWhileThrottled(operation, call, timing, options);
}
