import {
  buildKubeClients,
  type KubeClients,
  type KubeClientsOptions,
} from '../bulk-and-lease-clients.ts';
import { ClientNodeTransport } from './client-node-transport.ts';
import { kubeConfigFromFile } from './kube-config.ts';

/** The clients for a kubeconfig file (the CLI, integration tests). */
export function kubeConfigFileClients(path: string, options: KubeClientsOptions): KubeClients {
  return buildKubeClients(() => new ClientNodeTransport(kubeConfigFromFile(path)), options);
}
