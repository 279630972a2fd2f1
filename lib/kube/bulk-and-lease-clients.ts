import { systemClock, type Clock } from '../util/clock.ts';
import type { KubeLogger } from './invalid-object.ts';
import type { KubeClient } from './kube-client-port.ts';
import { ExpiringEntries } from './expiring-entries/expiring-entries.ts';
import { DEFAULT_LEASE_NAMESPACE, LeaseLock, leaseName } from './lease/lease-lock.ts';
import { startRenewing, type LeaseRenewer } from './lease/lease-renewer.ts';
import { rateLimited } from './rate-limit/rate-limited-transport.ts';
import {
  BULK_RATE_LIMITS,
  LEASE_RATE_LIMITS,
  TokenBucket,
  type RateLimits,
} from './rate-limit/token-bucket.ts';
import type { ResourceTransport } from './transport.ts';
import { createKubeClient } from './kube-client-over-transport.ts';

export interface KubeClientsOptions {
  readonly clusterName: string;
  readonly logger: KubeLogger;
  /** Default: the system clock. */
  readonly clock?: Clock;
  /** Default 200 QPS / 300 burst, as Karpenter's KUBE_CLIENT_QPS / KUBE_CLIENT_BURST. */
  readonly bulkLimits?: RateLimits;
  /** Default 5 QPS / 10 burst, client-go's defaults. */
  readonly leaseLimits?: RateLimits;
  readonly leaseNamespace?: string;
  readonly leaseDurationSeconds?: number;
  readonly pageSize?: number;
  readonly reportingInstance?: string;
}

/** The lock of one run: acquire, then renew in the background while working, then release. */
export interface RunLock {
  readonly lock: LeaseLock;
  /** Takes the lock and starts renewing it; undefined when another holder has it. */
  acquire(intervalMs?: number): Promise<LeaseRenewer | undefined>;
}

export interface KubeClients {
  readonly kube: KubeClient;
  /** A lock held by `holder` (the run's request ID), on the lease's own client. */
  runLock(holder: string): RunLock;
  /**
   * Offerings found out of capacity, shared by every function and cold start: a ConfigMap beside
   * the Lease (see {@link unavailableOfferingsName}).
   */
  readonly unavailableOfferings: ExpiringEntries;
}

/** The ConfigMap of a cluster's unavailable offerings, named after its Lease. */
export function unavailableOfferingsName(clusterName: string): string {
  return `${leaseName(clusterName)}-unavailable-offerings`;
}

/**
 * Two clients on two transports, each with its own token bucket: one for bulk traffic, one only
 * for the Lease, as Karpenter gives leader election its own client. A renewal therefore never waits behind a large list or a
 * burst of NodeClaim writes, nor adds to their burst. `newTransport` is called once per client so
 * adapters that pool connections get a pool each.
 */
export function buildKubeClients(
  newTransport: () => ResourceTransport,
  options: KubeClientsOptions,
): KubeClients {
  const clock = options.clock ?? systemClock;
  const bulk = rateLimited(
    newTransport(),
    new TokenBucket(options.bulkLimits ?? BULK_RATE_LIMITS, clock),
  );
  const lease = rateLimited(
    newTransport(),
    new TokenBucket(options.leaseLimits ?? LEASE_RATE_LIMITS, clock),
  );
  const kube = createKubeClient(bulk, {
    logger: options.logger,
    clock,
    pageSize: options.pageSize,
    reportingInstance: options.reportingInstance,
  });
  return {
    kube,
    unavailableOfferings: new ExpiringEntries(bulk, clock, {
      namespace: options.leaseNamespace ?? DEFAULT_LEASE_NAMESPACE,
      name: unavailableOfferingsName(options.clusterName),
    }),
    runLock(holder) {
      const lock = new LeaseLock(lease, clock, {
        clusterName: options.clusterName,
        holder,
        namespace: options.leaseNamespace,
        leaseDurationSeconds: options.leaseDurationSeconds,
      });
      return {
        lock,
        async acquire(intervalMs) {
          const startedAt = clock.now();
          if (!(await lock.tryAcquire())) return undefined;
          return startRenewing(lock, clock, options.logger, startedAt, intervalMs);
        },
      };
    },
  };
}
