import type { Clock } from '../../util/clock.ts';
import type { KubeLogger } from '../invalid-object.ts';
import type { LeaseLock } from './lease-lock.ts';

/** The fence of a run holding the lock: whether it may still act, kept open by renewals. */
export interface LeaseRenewer {
  /** Aborted once the run must stop acting: the lease was taken, or not renewed within the renew deadline. */
  readonly signal: AbortSignal;
  /** True while the run may act. Reads the clock, so a stalled renewal closes the fence on time; once closed it stays closed. */
  held(): boolean;
  /** Milliseconds until the fence closes unless a renewal lands first; 0 once closed. */
  remainingMs(): number;
  /** Starts a renewal now (after a long synchronous step) unless one is already in flight. */
  renewNow(): void;
  /** Stops renewing; a renewal still in flight is abandoned (its write is fenced by resourceVersion). */
  stop(): Promise<void>;
}

/**
 * Renews `lock`, acquired at `acquiredAt` (taken before the acquiring request was sent), every
 * `intervalMs` until stopped. The run may act until the renew deadline after the start of the
 * last renewal that succeeded, which is always before the lease could expire for anyone else. A
 * failed renewal is logged and retried on the next tick; the fence reads the clock, so a renewal
 * that stalls past the deadline cannot keep a run acting.
 */
export function startRenewing(
  lock: LeaseLock,
  clock: Clock,
  logger: KubeLogger,
  acquiredAt: number,
  intervalMs = (lock.leaseDurationSeconds * 1000) / 6,
): LeaseRenewer {
  const lost = new AbortController();
  const name = `${lock.key.namespace}/${lock.key.name}`;
  let actUntil = acquiredAt + lock.renewDeadlineMs;
  const giveUp = (why: string): void => {
    if (!lost.signal.aborted) lost.abort(new Error(`Lease ${name} ${why}`));
  };
  const held = (): boolean => {
    if (clock.now() >= actUntil)
      giveUp(`was not renewed within its renew deadline of ${lock.renewDeadlineMs / 1000}s`);
    return !lost.signal.aborted;
  };

  const attempt = async (): Promise<boolean> => {
    const startedAt = clock.now();
    if (!held()) return false;
    try {
      // An answer after the deadline extends nothing: held() has closed the fence for good.
      if (!(await lock.renew())) giveUp('was taken by another holder');
      else if (held()) actUntil = startedAt + lock.renewDeadlineMs;
    } catch (error) {
      logger.warn('Could not renew the lease', { lease: lock.key, error: String(error) });
    }
    return held();
  };
  // One renewal at a time: two of our own would race on the resourceVersion and look like a takeover.
  let inFlight: Promise<boolean> | undefined;
  const renewing = (): Promise<boolean> =>
    (inFlight ??= attempt().finally(() => (inFlight = undefined)));

  let stopped = false;
  let wakeForStop: () => void = () => undefined;
  const stopping = new Promise<void>((resolve) => (wakeForStop = resolve));
  const loop = (async () => {
    while (!stopped && !lost.signal.aborted) {
      await Promise.race([clock.sleep(intervalMs), stopping]);
      if (!stopped) await Promise.race([renewing(), stopping]);
    }
  })();

  return {
    signal: lost.signal,
    held,
    remainingMs: () => (held() ? actUntil - clock.now() : 0),
    renewNow: () => void renewing(),
    async stop() {
      stopped = true;
      wakeForStop();
      await loop;
    },
  };
}
