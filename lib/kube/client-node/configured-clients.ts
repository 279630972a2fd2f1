import { systemClock } from '../../util/clock.ts';
import { EksTokenSource } from '../eks/eks-token.ts';
import { lambdaKubeSettings } from '../eks/lambda-environment.ts';
import {
  buildKubeClients,
  type KubeClients,
  type KubeClientsOptions,
} from '../bulk-and-lease-clients.ts';
import { ClientNodeTransport } from './client-node-transport.ts';
import { kubeConfigFromFile, lambdaKubeConfig } from './kube-config.ts';

type ClusterIndependentOptions = Omit<
  KubeClientsOptions,
  'clusterName' | 'bulkLimits' | 'leaseNamespace'
>;

/** The clients of a Lambda function, configured from its environment (see KubeEnvironment). */
export function lambdaKubeClients(
  environment: Readonly<Record<string, string | undefined>>,
  options: ClusterIndependentOptions,
): KubeClients {
  const settings = lambdaKubeSettings(environment);
  const clock = options.clock ?? systemClock;
  const tokens = new EksTokenSource({
    clusterName: settings.clusterName,
    region: settings.region,
    credentials: async () => settings.credentials,
    clock,
  });
  return buildKubeClients(() => new ClientNodeTransport(lambdaKubeConfig(settings, tokens)), {
    ...options,
    clock,
    clusterName: settings.clusterName,
    bulkLimits: settings.bulkLimits,
    leaseNamespace: settings.leaseNamespace,
  });
}

/** The clients for a kubeconfig file (the CLI, integration tests). */
export function kubeConfigFileClients(path: string, options: KubeClientsOptions): KubeClients {
  return buildKubeClients(() => new ClientNodeTransport(kubeConfigFromFile(path)), options);
}
