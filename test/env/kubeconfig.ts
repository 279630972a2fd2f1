import { stringify } from 'yaml';

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
