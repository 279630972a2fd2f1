import type { Clock } from '../../util/clock.ts';
import type { KubeLogger } from '../invalid-object.ts';
import type { LeaseLock } from './lease-lock.ts';

export interface LeaseRenewer {
  /** Aborted once the lock is lost: taken over, or not renewed within the lease duration. */
  readonly signal: AbortSignal;
  /** Stops renewing; resolves once no renewal is in flight. */
  stop(): Promise<void>;
}

/**
 * Renews `lock` every `intervalMs` until stopped. A failed renewal (network, apiserver) is logged
 * and retried on the next tick; only when the lock is taken or the lease has gone unrenewed for
 * its whole duration is it reported lost, through `signal`, so a long run can stop acting.
 */
export function startRenewing(
  lock: LeaseLock,
  clock: Clock,
  logger: KubeLogger,
  intervalMs = (lock.leaseDurationSeconds * 1000) / 3,
): LeaseRenewer {
  const lost = new AbortController();
  let stopped = false;
  let wakeForStop: () => void = () => undefined;
  const stopping = new Promise<void>((resolve) => (wakeForStop = resolve));
  let renewedAt = clock.now();

  const loop = (async () => {
    while (!stopped) {
      await Promise.race([clock.sleep(intervalMs), stopping]);
      if (stopped) return;
      try {
        if (!(await lock.renew()))
          return lost.abort(
            new Error(`Lease ${lock.key.namespace}/${lock.key.name} was taken by another holder`),
          );
        renewedAt = clock.now();
      } catch (error) {
        logger.warn('Could not renew the lease', { lease: lock.key, error: String(error) });
        if (clock.now() - renewedAt >= lock.leaseDurationSeconds * 1000) {
          return lost.abort(
            new Error(
              `Lease ${lock.key.namespace}/${lock.key.name} expired: not renewed for ${lock.leaseDurationSeconds}s`,
            ),
          );
        }
      }
    }
  })();

  return {
    signal: lost.signal,
    async stop() {
      stopped = true;
      wakeForStop();
      await loop;
    },
  };
}
