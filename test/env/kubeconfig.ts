import { parse, stringify } from 'yaml';

import { HttpsTransport } from '../../lib/kube/https/https-transport.ts';

import { ADMIN_USER } from './certificates.ts';

const CONTEXT = 'skyscale-test';

export interface KubeConfigInputs {
  readonly server: string;
  readonly caCertPem: string;
  readonly token: string;
}

/** A kubeconfig with one cluster, one bearer-token user and one context, all current. */
export function buildKubeConfigYaml({ server, caCertPem, token }: KubeConfigInputs): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: CONTEXT,
        cluster: {
          server,
          'certificate-authority-data': Buffer.from(caCertPem).toString('base64'),
        },
      },
    ],
    users: [{ name: ADMIN_USER, user: { token } }],
    contexts: [{ name: CONTEXT, context: { cluster: CONTEXT, user: ADMIN_USER } }],
    'current-context': CONTEXT,
  });
}

/**
 * The transport the Lambdas use (server, CA and bearer token), over a kubeconfig that
 * {@link buildKubeConfigYaml} wrote.
 */
export function httpsTransportFor(kubeConfigYaml: string): HttpsTransport {
  const config = parse(kubeConfigYaml) as {
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
