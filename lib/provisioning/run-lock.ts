import type { LeaseRenewer } from '../kube/index.ts';
import type { ProvisioningDeps } from './types.ts';

/**
 * Runs `work` holding the cluster's Lease, renewed while it works and released afterwards; gives
 * undefined without running it when another run holds the Lease.
 */
export async function withRunLock<T>(
  deps: Pick<ProvisioningDeps, 'kube' | 'logger' | 'runId'>,
  work: (lease: LeaseRenewer) => Promise<T>,
): Promise<T | undefined> {
  const { kube, logger, runId } = deps;
  const runLock = kube.runLock(runId);
  const lease = await runLock.acquire();
  if (!lease) {
    logger.info('Another run holds the lock; skipping', { runId, lease: runLock.lock.key });
    return undefined;
  }
  try {
    return await work(lease);
  } finally {
    await lease.stop();
    await runLock.lock
      .release()
      .catch((error: unknown) =>
        logger.warn('Could not release the lease; it expires on its own', { error: String(error) }),
      );
  }
}
