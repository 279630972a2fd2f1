import { describe } from 'vitest';
import { ClientNodeTransport, kubeConfigFromFile } from '../../lib/kube/client-node/index.ts';
import { createTestNamespace, kubeConfigPath } from '../env/index.ts';
import { kubeClientContract } from '../contract/kube/index.ts';

describe('KubeClient contract on a real kube-apiserver', () => {
  kubeClientContract(async () => ({
    transport: new ClientNodeTransport(kubeConfigFromFile(kubeConfigPath())),
    namespace: await createTestNamespace('kube-contract'),
  }));
});
