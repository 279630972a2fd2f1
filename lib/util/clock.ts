/**
 * The one clock every module takes, injected so limiters, leases, caches, runs and the simulator
 * can be driven by a virtual clock in tests.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  sleep(milliseconds: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds)),
};
