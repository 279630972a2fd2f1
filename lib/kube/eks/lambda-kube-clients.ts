import { systemClock } from '../../util/clock.ts';
import {
  buildKubeClients,
  type KubeClients,
  type KubeClientsOptions,
} from '../bulk-and-lease-clients.ts';
import { HttpsTransport } from '../https/https-transport.ts';
import { EksTokenSource } from './eks-token.ts';
import { lambdaKubeSettings } from './lambda-environment.ts';

type ClusterIndependentOptions = Omit<
  KubeClientsOptions,
  'clusterName' | 'bulkLimits' | 'leaseNamespace'
>;

/**
 * The clients of a Lambda function, configured from its environment (see KubeEnvironment): over
 * Node's HTTPS client with an EKS token made in-process, so no Kubernetes client library loads.
 */
export function lambdaKubeClients(
  environment: Readonly<Record<string, string | undefined>>,
  options: ClusterIndependentOptions,
): KubeClients {
  const settings = lambdaKubeSettings(environment);
  const clock = options.clock ?? systemClock;
  const tokens = new EksTokenSource({
    clusterName: settings.clusterName,
    region: settings.region,
    credentials: () => Promise.resolve(settings.credentials),
    clock,
  });
  const ca = Buffer.from(settings.caData, 'base64');
  return buildKubeClients(
    () => new HttpsTransport({ server: settings.endpoint, ca, token: () => tokens.token() }),
    {
      ...options,
      clock,
      clusterName: settings.clusterName,
      bulkLimits: settings.bulkLimits,
      leaseNamespace: settings.leaseNamespace,
    },
  );
}
