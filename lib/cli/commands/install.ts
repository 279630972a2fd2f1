import type { CliIo, Command } from '../command.ts';
import {
  DEFAULT_KUBERNETES_GROUP,
  parseInstallArguments,
  renderInstall,
} from '../install/index.ts';

export const installCommand: Command = {
  name: 'install',
  summary: 'print the Kubernetes side (CRDs, RBAC, pod-pending webhook) for kubectl apply -f -',
  usage: [
    'Usage: skyscale install --cluster-name NAME --webhook-url URL (--secret SECRET | --secret-file FILE) [options]',
    '',
    'Prints the CRDs, the RBAC for the provisioner and the MutatingWebhookConfiguration that',
    'calls the pod-pending webhook, as multi-document YAML. Take the URL and the secret from the',
    'stack outputs WebhookUrl and WebhookSecretArn:',
    '',
    '  aws secretsmanager get-secret-value --secret-id ARN --query SecretString --output text \\',
    '    | skyscale install --cluster-name NAME --webhook-url URL --secret-file - | kubectl apply -f -',
    '',
    'Options:',
    "  --cluster-name NAME      the EKS cluster (the stack's clusterName), which names the Lease",
    '  --webhook-url URL        the Function URL (https, no query string)',
    '  --secret SECRET          the webhook secret',
    '  --secret-file FILE       read the secret from FILE ("-": standard input)',
    `  --group GROUP            the provisioner's EKS access entry group (default ${DEFAULT_KUBERNETES_GROUP})`,
    '  --lease-namespace NS     where the Lease lock lives (default kube-system)',
  ].join('\n'),
  run(args: readonly string[], io: CliIo): number {
    io.out(renderInstall(parseInstallArguments(args)));
    return 0;
  },
};
