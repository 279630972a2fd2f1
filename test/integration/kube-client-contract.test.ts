import { describe } from 'vitest';
import { ClientNodeTransport, kubeConfigFromFile } from '../../lib/kube/client-node/index.ts';
import { httpsTransportFor } from '../env/kubeconfig.ts';
import { createTestNamespace, kubeConfigPath, kubeConfigYaml } from '../env/index.ts';
import { kubeClientContract } from '../contract/kube/index.ts';

describe('KubeClient contract on a real kube-apiserver', () => {
  kubeClientContract(async () => ({
    transport: new ClientNodeTransport(kubeConfigFromFile(kubeConfigPath())),
    namespace: await createTestNamespace('kube-contract'),
  }));
});

describe('KubeClient contract on a real kube-apiserver over the Lambdas’ HTTPS transport', () => {
  kubeClientContract(async () => ({
    transport: httpsTransportFor(kubeConfigYaml()),
    namespace: await createTestNamespace('kube-contract-https'),
  }));
});
