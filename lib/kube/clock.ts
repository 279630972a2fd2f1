/** Time as lib/kube sees it, injected so limiters, leases and the in-memory cluster are testable. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  sleep(milliseconds: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds)),
};

/** A Kubernetes timestamp (RFC 3339, whole seconds, UTC) for an epoch time in milliseconds. */
export function rfc3339(epochMilliseconds: number): string {
  return new Date(Math.floor(epochMilliseconds / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
