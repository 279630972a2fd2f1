import { describe, expect, it } from 'vitest';
import { LeaseLock, leaseName } from '../../../lib/kube/index.ts';
import { MemoryCluster } from '../../../lib/kube/memory/index.ts';
import { ManualClock } from '../../fixtures/manual-clock.ts';

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
});
