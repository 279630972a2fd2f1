import { z } from 'zod';
import type { Clock } from '../../util/clock.ts';
import { isKubeError } from '../errors.ts';
import { parseObject } from '../invalid-object.ts';
import { ResourceTypes } from '../resource-types.ts';
import type { JsonObject, ObjectKey, ResourceTransport } from '../transport.ts';
import { LeaseSchema, microTime, type Lease } from './lease-schema.ts';

export const DEFAULT_LEASE_NAMESPACE = 'kube-system';
export const DEFAULT_LEASE_DURATION_SECONDS = 30;

export const LeaseLockOptionsSchema = z.strictObject({
  clusterName: z.string().min(1),
  /** Who holds the lock: the run's request ID. */
  holder: z.string().min(1),
  namespace: z.string().min(1).default(DEFAULT_LEASE_NAMESPACE),
  /** How long a holder that stops renewing keeps the lock before others may take it over. */
  leaseDurationSeconds: z.int().min(1).default(DEFAULT_LEASE_DURATION_SECONDS),
});
export type LeaseLockOptions = z.input<typeof LeaseLockOptionsSchema>;

const RELEASE_ATTEMPTS = 3;
/**
 * The Lease name for a cluster. EKS cluster names may hold capitals and underscores, which object
 * names may not, so those become lower case and dashes.
 */
export function leaseName(clusterName: string): string {
  const name = `skyscale-${clusterName}`.toLowerCase().replace(/[^a-z0-9.-]/g, '-');
  return name.slice(0, 253).replace(/[^a-z0-9]+$/, '');
}

function expiresAt(lease: Lease): number {
  const spec = lease.spec ?? {};
  const renewed = spec.renewTime ?? spec.acquireTime;
  return renewed === undefined ? 0 : Date.parse(renewed) + (spec.leaseDurationSeconds ?? 0) * 1000;
}

/**
 * Mutual exclusion for runs against one cluster: a coordination.k8s.io/v1 Lease whose holder is
 * the run's request ID. A run acquires it when it is free, released or expired, renews it while
 * it works and releases it at the end. Every write carries the resourceVersion it was decided on,
 * so of two runs racing for the same Lease exactly one write succeeds; the other gets a Conflict
 * and knows it lost.
 */
export class LeaseLock {
  readonly key: Required<ObjectKey>;
  readonly holder: string;
  readonly leaseDurationSeconds: number;
  /**
   * How long after starting its last successful acquisition or renewal a holder may act: two
   * thirds of the lease, as client-go's leader election (15 s lease, 10 s renew deadline). The
   * last third absorbs clock skew between runs and a write already on the wire when it closes.
   */
  readonly renewDeadlineMs: number;

  constructor(
    private readonly transport: ResourceTransport,
    private readonly clock: Clock,
    options: LeaseLockOptions,
  ) {
    const parsed = LeaseLockOptionsSchema.parse(options);
    this.key = { name: leaseName(parsed.clusterName), namespace: parsed.namespace };
    this.holder = parsed.holder;
    this.leaseDurationSeconds = parsed.leaseDurationSeconds;
    this.renewDeadlineMs = (parsed.leaseDurationSeconds * 1000 * 2) / 3;
  }

  /** True when this run now holds the lock; false when another live holder has it or won the race. */
  async tryAcquire(): Promise<boolean> {
    const current = await this.read();
    if (current === undefined) return this.create();
    const spec = current.spec ?? {};
    if (spec.holderIdentity === this.holder) return this.write(current, { renewTime: this.now() });
    const free = !spec.holderIdentity || expiresAt(current) <= this.clock.now();
    if (!free) return false;
    const now = this.now();
    return this.write(current, {
      holderIdentity: this.holder,
      leaseDurationSeconds: this.leaseDurationSeconds,
      acquireTime: now,
      renewTime: now,
      leaseTransitions: (spec.leaseTransitions ?? 0) + 1,
    });
  }

  /** Extends the lock; false when it is no longer ours (taken over after expiry, or a lost race). */
  async renew(): Promise<boolean> {
    const current = await this.read();
    if (current?.spec?.holderIdentity !== this.holder) return false;
    return this.write(current, { renewTime: this.now() });
  }

  /**
   * Frees the lock at once if this run still holds it, so the next run need not wait for expiry.
   * A conflict means the Lease changed since it was read (typically the run's own last renewal
   * landing late), so it is read again rather than left held until it expires.
   */
  async release(): Promise<void> {
    for (let attempt = 0; attempt < RELEASE_ATTEMPTS; attempt++) {
      const current = await this.read();
      if (current?.spec?.holderIdentity !== this.holder) return;
      if (await this.write(current, { holderIdentity: null, acquireTime: null, renewTime: null }))
        return;
    }
  }

  private async read(): Promise<Lease | undefined> {
    try {
      return parseObject(
        ResourceTypes.lease,
        LeaseSchema,
        await this.transport.get(ResourceTypes.lease, this.key),
      );
    } catch (error) {
      if (isKubeError(error, 'NotFound')) return undefined;
      throw error;
    }
  }

  private async create(): Promise<boolean> {
    const now = this.now();
    const spec = {
      holderIdentity: this.holder,
      leaseDurationSeconds: this.leaseDurationSeconds,
      acquireTime: now,
      renewTime: now,
      leaseTransitions: 0,
    };
    try {
      await this.transport.create(ResourceTypes.lease, { metadata: { ...this.key }, spec });
      return true;
    } catch (error) {
      if (isKubeError(error, 'AlreadyExists')) return false;
      throw error;
    }
  }

  private async write(current: Lease, spec: JsonObject): Promise<boolean> {
    try {
      await this.transport.patch(ResourceTypes.lease, this.key, {
        metadata: { resourceVersion: current.metadata.resourceVersion },
        spec,
      });
      return true;
    } catch (error) {
      if (isKubeError(error, 'Conflict')) return false;
      throw error;
    }
  }

  private now(): string {
    return microTime(this.clock.now());
  }
}
