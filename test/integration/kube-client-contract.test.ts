import { describe } from 'vitest';
import { parse } from 'yaml';
import { ClientNodeTransport, kubeConfigFromFile } from '../../lib/kube/client-node/index.ts';
import { HttpsTransport } from '../../lib/kube/https/https-transport.ts';
import { createTestNamespace, kubeConfigPath, kubeConfigYaml } from '../env/index.ts';
import { kubeClientContract } from '../contract/kube/index.ts';

describe('KubeClient contract on a real kube-apiserver', () => {
  kubeClientContract(async () => ({
    transport: new ClientNodeTransport(kubeConfigFromFile(kubeConfigPath())),
    namespace: await createTestNamespace('kube-contract'),
  }));
});

/** The test cluster's server, CA and bearer token, read from its kubeconfig. */
function httpsTransport(): HttpsTransport {
  const config = parse(kubeConfigYaml()) as {
    clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
    users: { user: { token: string } }[];
  };
  const cluster = config.clusters[0]?.cluster;
  const token = config.users[0]?.user.token ?? '';
  return new HttpsTransport({
    server: cluster?.server ?? '',
    ca: Buffer.from(cluster?.['certificate-authority-data'] ?? '', 'base64'),
    token: () => Promise.resolve(token),
  });
}

describe('KubeClient contract on a real kube-apiserver over the Lambdas’ HTTPS transport', () => {
  kubeClientContract(async () => ({
    transport: httpsTransport(),
    namespace: await createTestNamespace('kube-contract-https'),
  }));
});
