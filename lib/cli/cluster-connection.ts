import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { ClientNodeTransport, kubeConfigFromFile } from '../kube/client-node/index.ts';
import {
  createKubeClient,
  KubeApiError,
  KubeConfigError,
  type KubeClient,
  type ResourceTransport,
} from '../kube/index.ts';
import { systemClock } from '../util/index.ts';
import type { CliIo } from './command.ts';

/** The kubeconfig kubectl would use: `--kubeconfig`, else the first file in $KUBECONFIG, else ~/.kube/config. */
export function kubeConfigPathFor(option: string | undefined, env = process.env): string {
  if (option !== undefined) return option;
  const first = env['KUBECONFIG']?.split(delimiter).find((path) => path.length > 0);
  return first ?? join(homedir(), '.kube', 'config');
}

export interface ClusterConnection {
  readonly kube: KubeClient;
  /** For kinds the KubeClient port does not cover (Deployments, Leases). */
  readonly transport: ResourceTransport;
}

/** Clients for the cluster of a kubeconfig; objects that fail their schema are reported on stderr. */
export function connectToCluster(kubeConfigPath: string, io: CliIo): ClusterConnection {
  const transport = new ClientNodeTransport(kubeConfigFromFile(kubeConfigPath));
  const kube = createKubeClient(transport, {
    clock: systemClock,
    logger: {
      warn: (message, attributes) => io.err(`warning: ${message}: ${JSON.stringify(attributes)}`),
    },
  });
  return { kube, transport };
}

/**
 * The one-line reason a cluster could not be read (a bad kubeconfig, an apiserver refusal, no
 * connection), or undefined for an error that is a bug and should surface with its stack.
 */
export function clusterFailure(error: unknown): string | undefined {
  if (error instanceof KubeConfigError || error instanceof KubeApiError) return error.message;
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && error instanceof Error) return error.message;
  return undefined;
}
