import type { CliIo, Command } from '../command.ts';
import { clusterFailure, connectToCluster } from '../cluster-connection.ts';
import {
  DEFAULT_KUBERNETES_GROUP,
  DEFAULT_TAKEOVER_WAIT_MS,
  makeRoomForSkyscale,
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
    'calls the pod-pending webhook, as multi-document YAML. Refuses while a Karpenter controller',
    'runs in the cluster (its Deployment has replicas, or its leader-election Lease is held).',
    'Take the URL and the secret from the stack outputs WebhookUrl and WebhookSecretArn:',
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
    '  --kubeconfig FILE        the cluster to check for a running Karpenter (default: the first',
    '                           file in $KUBECONFIG, else ~/.kube/config)',
    '  --take-over-from-karpenter',
    '                           scale a running Karpenter to zero and wait for it to stop',
    '                           (without it, install refuses while Karpenter runs)',
    '  --offline                print without looking at the cluster (Karpenter must be stopped)',
  ].join('\n'),
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const options = parseInstallArguments(args);
    if (options.kubeConfigPath !== undefined) {
      try {
        const { transport } = connectToCluster(options.kubeConfigPath, io);
        const free = await makeRoomForSkyscale(transport, io, {
          takeOver: options.takeOverFromKarpenter,
          waitMs: DEFAULT_TAKEOVER_WAIT_MS,
        });
        if (!free) return 1;
      } catch (error) {
        const failure = clusterFailure(error);
        if (failure === undefined) throw error;
        io.err(
          `skyscale install: cannot check the cluster for a running Karpenter: ${failure}\n` +
            'Pass --kubeconfig FILE, or --offline to print without checking.',
        );
        return 1;
      }
    }
    io.out(renderInstall(options));
    return 0;
  },
};
