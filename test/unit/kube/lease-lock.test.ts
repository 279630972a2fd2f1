import { describe, expect, it } from 'vitest';
import { LeaseLock, leaseName } from '../../../lib/kube/index.ts';
import { MemoryCluster } from '../../../lib/kube/memory/index.ts';
import { ManualClock } from '../../fixtures/manual-clock.ts';
import { withRivalWrites } from '../../contract/kube/harness.ts';

describe('LeaseLock', () => {
  it.each([
    ['prod', 'skyscale-prod'],
    ['My_Cluster', 'skyscale-my-cluster'],
    ['edge-', 'skyscale-edge'],
  ])('names the Lease for cluster %s as a valid object name', (cluster, expected) => {
    // Prepare / Act
    const name = leaseName(cluster);

    // Assess
    expect(name).toBe(expected);
  });

  it('lives in kube-system for 30 s by default', () => {
    // Prepare
    const clock = new ManualClock();

    // Act
    const lock = new LeaseLock(new MemoryCluster({ clock }), clock, {
      clusterName: 'prod',
      holder: 'request-1',
    });

    // Assess
    expect(lock.key).toEqual({ namespace: 'kube-system', name: 'skyscale-prod' });
    expect(lock.leaseDurationSeconds).toBe(30);
  });

  it('rejects a lock without a holder, naming the field', () => {
    // Prepare
    const clock = new ManualClock();

    // Act
    const build = () =>
      new LeaseLock(new MemoryCluster({ clock }), clock, { clusterName: 'prod', holder: '' });

    // Assess
    expect(build).toThrow(/holder/);
  });

  it('is free after release even when a write lands between its read and its own write', async () => {
    // Prepare: the run's own renewal (any write) changes the Lease just before release writes.
    const clock = new ManualClock();
    const cluster = new MemoryCluster({ clock });
    const options = { clusterName: 'prod', holder: 'request-1' };
    expect(await new LeaseLock(cluster, clock, options).tryAcquire()).toBe(true);
    const racing = withRivalWrites(cluster, 1);
    const lock = new LeaseLock(racing, clock, options);

    // Act
    await lock.release();

    // Assess
    expect(racing.rivalWrites()).toBe(1);
    expect(
      await new LeaseLock(cluster, clock, { ...options, holder: 'request-2' }).tryAcquire(),
    ).toBe(true);
  });
});
