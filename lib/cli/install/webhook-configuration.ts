import { WEBHOOK_ROUTE } from '../../webhook/index.ts';

const WEBHOOK_CONFIGURATION_NAME = 'skyscale-pod-pending';
/** Short: with failurePolicy Ignore, an unreachable webhook delays each Pod creation by this much. */
const WEBHOOK_TIMEOUT_SECONDS = 5;

/**
 * `https://<function url>/<secret>/pods`: webhook URLs may not carry a query or user info. The
 * secret is path-safe by its schema.
 */
function webhookUrlWithSecret(webhookUrl: string, secret: string): string {
  return `${webhookUrl.replace(/\/+$/, '')}/${secret}/${WEBHOOK_ROUTE}`;
}

/**
 * Calls the pod-pending Lambda on every Pod CREATE. It can neither block (failurePolicy Ignore,
 * the handler always allows) nor change a Pod (the handler never patches). It has one side
 * effect, the provisioning signal, which it skips for dry-run requests: NoneOnDryRun.
 * kube-system is left out: its pods are few, and an unreachable webhook should never slow the
 * system pods a recovering cluster creates; the scheduled provisioning pass covers them.
 */
export function webhookConfiguration(webhookUrl: string, secret: string): object {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: {
      name: WEBHOOK_CONFIGURATION_NAME,
      labels: { 'app.kubernetes.io/name': 'skyscale' },
    },
    webhooks: [
      {
        name: 'pod-pending.skyscale.dev',
        admissionReviewVersions: ['v1'],
        clientConfig: { url: webhookUrlWithSecret(webhookUrl, secret) },
        failurePolicy: 'Ignore',
        sideEffects: 'NoneOnDryRun',
        timeoutSeconds: WEBHOOK_TIMEOUT_SECONDS,
        reinvocationPolicy: 'Never',
        matchPolicy: 'Equivalent',
        rules: [
          {
            apiGroups: [''],
            apiVersions: ['v1'],
            operations: ['CREATE'],
            resources: ['pods'],
            scope: 'Namespaced',
          },
        ],
        namespaceSelector: {
          matchExpressions: [
            { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system'] },
          ],
        },
      },
    ],
  };
}
