import { describe, expect, it } from 'vitest';
import { buildKubeClients } from '../../../lib/kube/index.ts';
import { MemoryCluster } from '../../../lib/kube/memory/index.ts';
import { recordingLogger } from '../../contract/kube/harness.ts';
import { ManualClock, flushMicrotasks } from '../../fixtures/manual-clock.ts';

describe('the bulk and lease clients', () => {
  it('acquire and renew the lease while bulk traffic waits for its rate limiter', async () => {
    // Prepare
    const clock = new ManualClock();
    const cluster = new MemoryCluster({ clock });
    const clients = buildKubeClients(() => cluster, {
      clusterName: 'prod',
      logger: recordingLogger(),
      clock,
      bulkLimits: { qps: 1, burst: 2 },
    });
    const bulk = Array.from({ length: 6 }, () => {
      const state = { done: false };
      void clients.kube.listNodeClaims().then(() => (state.done = true));
      return state;
    });
    await flushMicrotasks();
    const { lock } = clients.runLock('request-1');

    // Act
    const acquired = await lock.tryAcquire();
    const renewed = await lock.renew();

    // Assess
    expect({ acquired, renewed }).toEqual({ acquired: true, renewed: true });
    expect(bulk.filter((call) => call.done)).toHaveLength(2);
    await clock.advance(4_000);
    expect(bulk.every((call) => call.done)).toBe(true);
  });

  it('rate-limits the lease client on its own budget, which bulk traffic does not spend', async () => {
    // Prepare
    const clock = new ManualClock();
    const cluster = new MemoryCluster({ clock });
    const clients = buildKubeClients(() => cluster, {
      clusterName: 'prod',
      logger: recordingLogger(),
      clock,
      leaseLimits: { qps: 1, burst: 1 },
    });
    const { lock } = clients.runLock('request-1');

    // Act: a read, then a create, which must wait a second for the lease client's next token
    let acquired: boolean | undefined;
    void lock.tryAcquire().then((result) => (acquired = result));
    await flushMicrotasks();
    const bulkLists = await Promise.all(
      Array.from({ length: 20 }, () => clients.kube.listNodeClaims()),
    );
    const acquiredBeforeRefill = acquired;
    await clock.advance(1_000);

    // Assess
    expect(bulkLists).toHaveLength(20);
    expect(acquiredBeforeRefill).toBeUndefined();
    expect(acquired).toBe(true);
  });
});
