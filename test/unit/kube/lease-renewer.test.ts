import { describe, expect, it } from 'vitest';
import {
  KubeApiError,
  LeaseLock,
  ResourceTypes,
  type ResourceTransport,
} from '../../../lib/kube/index.ts';
import { startRenewing } from '../../../lib/kube/lease/lease-renewer.ts';
import { MemoryCluster } from '../../../lib/kube/memory/index.ts';
import { overriding, recordingLogger } from '../../contract/kube/harness.ts';
import { flushMicrotasks, ManualClock } from '../../fixtures/manual-clock.ts';

interface LeaseSpec {
  holderIdentity?: string;
  renewTime?: string;
}

function setup(transportFor: (cluster: MemoryCluster) => ResourceTransport = (cluster) => cluster) {
  const clock = new ManualClock();
  const cluster = new MemoryCluster({ clock });
  const logger = recordingLogger();
  const lock = (holder: string) =>
    new LeaseLock(transportFor(cluster), clock, {
      clusterName: 'prod',
      holder,
      namespace: 'kube-system',
      leaseDurationSeconds: 30,
    });
  const spec = async () =>
    (await cluster.get(ResourceTypes.lease, { name: 'skyscale-prod', namespace: 'kube-system' }))[
      'spec'
    ] as LeaseSpec;
  /** Acquires the lock for `holder` and starts renewing it, as a run does. */
  const hold = async (holder: string, intervalMs?: number) => {
    const acquiredAt = clock.now();
    const held = lock(holder);
    expect(await held.tryAcquire()).toBe(true);
    return startRenewing(held, clock, logger, acquiredAt, intervalMs);
  };
  return { clock, cluster, logger, lock, spec, hold };
}

/** A transport whose Lease writes hang while `stalled.on` is set, released when it is cleared. */
function stallingLeaseWrites(stalled: { on: boolean; release: () => void }) {
  return (cluster: MemoryCluster): ResourceTransport =>
    overriding(cluster, {
      patch: async (type, key, patch, subresource) => {
        if (stalled.on && type === ResourceTypes.lease)
          await new Promise<void>((resolve) => (stalled.release = resolve));
        return cluster.patch(type, key, patch, subresource);
      },
    });
}

describe('lease renewer', () => {
  it('renews every interval until stopped, keeping others out well past one lease duration', async () => {
    // Prepare
    const { clock, lock, spec, hold } = setup();
    const renewer = await hold('request-1', 10_000);

    // Act
    await clock.advance(95_000);
    const othersRefused = !(await lock('request-2').tryAcquire());
    await renewer.stop();

    // Assess
    expect(othersRefused).toBe(true);
    expect(Date.parse((await spec()).renewTime ?? '')).toBe(clock.now() - 5_000);
    expect(renewer.held()).toBe(true);
    expect(renewer.signal.aborted).toBe(false);
  });

  it('renews every sixth of the lease by default, so three attempts fit in the renew deadline', async () => {
    // Prepare
    const { clock, spec, hold } = setup();
    const acquiredAt = clock.now();
    const renewer = await hold('request-1');

    // Act
    await clock.advance(5_000);
    const renewTime = Date.parse((await spec()).renewTime ?? '');
    await renewer.stop();

    // Assess
    expect(renewTime).toBe(acquiredAt + 5_000);
  });

  it('signals loss when another holder has taken the lease', async () => {
    // Prepare: a competing holder overwrites the lease (as one whose clock runs ahead would)
    const { clock, cluster, hold } = setup();
    const renewer = await hold('request-1', 10_000);
    await cluster.patch(
      ResourceTypes.lease,
      { name: 'skyscale-prod', namespace: 'kube-system' },
      { spec: { holderIdentity: 'request-2' } },
    );

    // Act
    await clock.advance(10_000);

    // Assess
    expect(renewer.held()).toBe(false);
    expect(renewer.signal.aborted).toBe(true);
    expect(String(renewer.signal.reason)).toMatch(/taken by another holder/);
    await renewer.stop();
  });

  it('closes the fence at the renew deadline while renewals stall, before anyone else could take the lease', async () => {
    // Prepare
    const stalled = { on: false, release: () => undefined };
    const { clock, lock, hold, spec } = setup(stallingLeaseWrites(stalled));
    const acquiredAt = clock.now();
    const renewer = await hold('request-1');
    stalled.on = true;

    // Act
    await clock.advance(19_999);
    const heldBeforeDeadline = renewer.held();
    const remainingBeforeDeadline = renewer.remainingMs();
    await clock.advance(1);
    const heldAtDeadline = renewer.held();
    stalled.on = false; // for request-2's writes; request-1's renewal is still hanging
    await clock.advance(9_999);
    const othersRefusedUntilExpiry = !(await lock('request-2').tryAcquire());
    await clock.advance(1);
    const takenAtExpiry = await lock('request-2').tryAcquire();
    stalled.release();
    await flushMicrotasks();

    // Assess
    expect({ heldBeforeDeadline, remainingBeforeDeadline }).toEqual({
      heldBeforeDeadline: true,
      remainingBeforeDeadline: 1,
    });
    expect(heldAtDeadline).toBe(false);
    expect(String(renewer.signal.reason)).toMatch(/not renewed within its renew deadline of 20s/);
    expect(othersRefusedUntilExpiry).toBe(true);
    expect(clock.now()).toBe(acquiredAt + 30_000);
    expect(takenAtExpiry).toBe(true);
    // The stalled renewal, answered at last, changes nothing: the fence stays closed, the lease theirs.
    expect(renewer.held()).toBe(false);
    expect(renewer.remainingMs()).toBe(0);
    expect((await spec()).holderIdentity).toBe('request-2');
    await renewer.stop();
  });

  it('extends the fence from when a renewal was sent, not from when it was answered', async () => {
    // Prepare
    const stalled = { on: false, release: () => undefined };
    const { clock, hold } = setup(stallingLeaseWrites(stalled));
    const acquiredAt = clock.now();
    const renewer = await hold('request-1', 10_000);
    stalled.on = true;
    await clock.advance(10_000);

    // Act: the renewal sent at 10 s is answered at 18 s
    await clock.advance(8_000);
    stalled.on = false;
    stalled.release();
    await flushMicrotasks();

    // Assess
    expect(renewer.held()).toBe(true);
    expect(renewer.remainingMs()).toBe(acquiredAt + 10_000 + 20_000 - clock.now());
    await renewer.stop();
  });

  it('joins a renewal already in flight instead of racing itself into a conflict', async () => {
    // Prepare
    const stalled = { on: false, release: () => undefined };
    const { clock, cluster, hold } = setup(stallingLeaseWrites(stalled));
    const renewer = await hold('request-1', 10_000);
    stalled.on = true;
    await clock.advance(10_000);

    // Act: a renewal asked for while the background one is still unanswered
    renewer.renewNow();
    stalled.on = false;
    stalled.release();
    await flushMicrotasks();
    const lease = await cluster.get(ResourceTypes.lease, {
      name: 'skyscale-prod',
      namespace: 'kube-system',
    });

    // Assess
    expect(renewer.held()).toBe(true);
    expect(renewer.signal.aborted).toBe(false);
    expect((lease['spec'] as LeaseSpec).holderIdentity).toBe('request-1');
    await renewer.stop();
  });

  it('rides out failed renewals, but closes the fence at the renew deadline', async () => {
    // Prepare
    let failing = false;
    const { clock, logger, hold } = setup((cluster) =>
      overriding(cluster, {
        get: (type, key) =>
          failing
            ? Promise.reject(new KubeApiError(500, 'InternalError', 'etcd unavailable'))
            : cluster.get(type, key),
      }),
    );
    const renewer = await hold('request-1');
    failing = true;

    // Act
    await clock.advance(19_000);
    const heldEarly = renewer.held();
    await clock.advance(1_000);

    // Assess
    expect(heldEarly).toBe(true);
    expect(
      logger.warnings.filter((warning) => warning.message === 'Could not renew the lease'),
    ).toHaveLength(3);
    expect(renewer.held()).toBe(false);
    expect(String(renewer.signal.reason)).toMatch(/not renewed within its renew deadline/);
    await renewer.stop();
  });

  it('stops at once even while a renewal stalls', async () => {
    // Prepare
    const stalled = { on: false, release: () => undefined };
    const { clock, hold } = setup(stallingLeaseWrites(stalled));
    const renewer = await hold('request-1');
    stalled.on = true;
    await clock.advance(5_000);

    // Act
    let stopped = false;
    void renewer.stop().then(() => (stopped = true));
    await flushMicrotasks();

    // Assess
    expect(stopped).toBe(true);
    stalled.release();
  });
});
