import { describe, expect, it } from 'vitest';
import {
  KubeApiError,
  LeaseLock,
  ResourceTypes,
  type ResourceTransport,
} from '../../../lib/kube/index.ts';
import { startRenewing } from '../../../lib/kube/lease/lease-renewer.ts';
import { MemoryCluster } from '../../../lib/kube/memory/index.ts';
import { overriding, recordingLogger } from './contract/harness.ts';
import { ManualClock } from '../../fixtures/manual-clock.ts';

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
  return { clock, cluster, logger, lock, spec };
}

describe('lease renewer', () => {
  it('renews every interval until stopped, keeping others out well past one lease duration', async () => {
    // Prepare
    const { clock, logger, lock, spec } = setup();
    const holder = lock('request-1');
    await holder.tryAcquire();

    // Act
    const renewer = startRenewing(holder, clock, logger, 10_000);
    await clock.advance(95_000);
    const othersRefused = !(await lock('request-2').tryAcquire());
    await renewer.stop();

    // Assess
    expect(othersRefused).toBe(true);
    expect(Date.parse((await spec()).renewTime ?? '')).toBe(clock.now() - 5_000);
    expect(renewer.signal.aborted).toBe(false);
    expect(clock.pendingSleepers).toBe(1);
  });

  it('signals loss when another holder has taken the lease', async () => {
    // Prepare
    const { clock, logger, lock } = setup();
    const holder = lock('request-1');
    await holder.tryAcquire();
    const renewer = startRenewing(holder, clock, logger, 40_000);
    await clock.advance(31_000);
    await lock('request-2').tryAcquire();

    // Act
    await clock.advance(9_000);

    // Assess
    expect(renewer.signal.aborted).toBe(true);
    expect(String(renewer.signal.reason)).toMatch(/taken by another holder/);
    await renewer.stop();
  });

  it('rides out failed renewals, but signals loss once the lease has gone unrenewed for its duration', async () => {
    // Prepare
    let failing = false;
    const { clock, logger, lock } = setup((cluster) =>
      overriding(cluster, {
        get: (type, key) =>
          failing
            ? Promise.reject(new KubeApiError(500, 'InternalError', 'etcd unavailable'))
            : cluster.get(type, key),
      }),
    );
    const holder = lock('request-1');
    await holder.tryAcquire();
    const renewer = startRenewing(holder, clock, logger, 10_000);
    failing = true;

    // Act
    await clock.advance(20_000);
    const abortedEarly = renewer.signal.aborted;
    await clock.advance(10_000);

    // Assess
    expect(abortedEarly).toBe(false);
    expect(
      logger.warnings.filter((warning) => warning.message === 'Could not renew the lease'),
    ).toHaveLength(3);
    expect(renewer.signal.aborted).toBe(true);
    expect(String(renewer.signal.reason)).toMatch(/not renewed for 30s/);
    await renewer.stop();
  });
});
