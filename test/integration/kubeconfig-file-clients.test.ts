import { beforeAll, describe, expect, it } from 'vitest';
import { kubeConfigFileClients } from '../../lib/kube/client-node/index.ts';
import { createTestNamespace, kubeConfigPath } from '../env/index.ts';
import { recordingLogger } from '../contract/kube/harness.ts';

describe('bulk and lease clients on a real kube-apiserver', () => {
  let namespace: string;
  beforeAll(async () => {
    namespace = await createTestNamespace('kube-clients');
  });

  it('acquire and renew the lease while a queue of bulk lists waits for its limiter', async () => {
    // Prepare: 8 lists at 2 per second after a burst of 1 take at least 3.5 s
    const clients = kubeConfigFileClients(kubeConfigPath(), {
      clusterName: namespace,
      leaseNamespace: namespace,
      logger: recordingLogger(),
      bulkLimits: { qps: 2, burst: 1 },
    });
    const started = performance.now();
    const bulk = Array.from({ length: 8 }, () =>
      clients.kube.listNodeClaims().then(() => performance.now() - started),
    );
    const { lock } = clients.runLock('request-1');

    // Act
    const acquired = await lock.tryAcquire();
    const renewed = await lock.renew();
    const leaseDoneAfter = performance.now() - started;
    const bulkDoneAfter = Math.max(...(await Promise.all(bulk)));

    // Assess
    expect({ acquired, renewed }).toEqual({ acquired: true, renewed: true });
    expect(bulkDoneAfter).toBeGreaterThanOrEqual(3_400);
    expect(leaseDoneAfter).toBeLessThan(1_500);
  });
});
