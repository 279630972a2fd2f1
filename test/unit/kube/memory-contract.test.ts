import { describe } from 'vitest';
import { MemoryCluster } from '../../../lib/kube/memory/index.ts';
import { kubeClientContract } from '../../contract/kube/index.ts';
import { ManualClock } from '../../fixtures/manual-clock.ts';

describe('KubeClient contract on the in-memory cluster', () => {
  kubeClientContract(() =>
    Promise.resolve({
      transport: new MemoryCluster({ clock: new ManualClock() }),
      namespace: 'contract',
    }),
  );
});
