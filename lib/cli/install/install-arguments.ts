import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_LEASE_NAMESPACE } from '../../kube/index.ts';
import { WebhookSecretSchema } from '../../webhook/index.ts';
import { UsageError } from '../command.ts';
import { parseCommandOptions } from '../command-options.ts';
import { kubeConfigPathFor } from '../cluster-connection.ts';
import { DEFAULT_KUBERNETES_GROUP } from './constants.ts';

export interface InstallArguments {
  /** The stack's WebhookUrl output: the Function URL, without the secret. */
  readonly webhookUrl: string;
  readonly secret: string;
  /** The Kubernetes group the provisioner's EKS access entry maps to. */
  readonly group: string;
  /** Where the Lease lock lives. */
  readonly leaseNamespace: string;
  /** The EKS cluster's name (the stack's clusterName), which names the Lease. */
  readonly clusterName: string;
  /** Where to look for a running Karpenter; undefined with `--offline`, which looks nowhere. */
  readonly kubeConfigPath: string | undefined;
  /** Scale a running Karpenter to zero instead of refusing. */
  readonly takeOverFromKarpenter: boolean;
}

/** Kubernetes rejects webhook URLs with a query, a fragment or user info; the secret goes in the path. */
const WebhookUrlSchema = z
  .url({ protocol: /^https$/, error: 'must be an https:// URL' })
  .refine((url) => {
    const parsed = new URL(url);
    return !parsed.search && !parsed.hash && !parsed.username && !parsed.password;
  }, 'must carry no query string, fragment or user info');

/** A DNS-1123 label: names of namespaces; RBAC group names are any non-empty string. */
const NamespaceSchema = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a namespace name (DNS-1123 label)');

function optionValues(args: readonly string[]) {
  return parseCommandOptions({
    args: [...args],
    options: {
      'webhook-url': { type: 'string' },
      secret: { type: 'string' },
      'secret-file': { type: 'string' },
      group: { type: 'string', default: DEFAULT_KUBERNETES_GROUP },
      'lease-namespace': { type: 'string', default: DEFAULT_LEASE_NAMESPACE },
      'cluster-name': { type: 'string' },
      kubeconfig: { type: 'string' },
      offline: { type: 'boolean', default: false },
      'take-over-from-karpenter': { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  }).values;
}

function checked<T>(flag: string, schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new UsageError(`${flag} ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/** `--secret-file -` reads standard input, so the secret need not appear in the shell history. */
function secretFrom(values: ReturnType<typeof optionValues>): string {
  if (values.secret !== undefined && values['secret-file'] !== undefined) {
    throw new UsageError('give --secret or --secret-file, not both');
  }
  if (values.secret !== undefined) return checked('--secret', WebhookSecretSchema, values.secret);
  const file = values['secret-file'];
  if (file === undefined) throw new UsageError('--secret or --secret-file is required');
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8').trim();
  } catch (error) {
    throw new UsageError(`--secret-file cannot be read: ${(error as Error).message}`);
  }
  return checked('--secret-file', WebhookSecretSchema, text);
}

export function parseInstallArguments(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): InstallArguments {
  const values = optionValues(args);
  if (values['webhook-url'] === undefined) throw new UsageError('--webhook-url is required');
  if (values['cluster-name'] === undefined) throw new UsageError('--cluster-name is required');
  if (values.offline && (values['take-over-from-karpenter'] || values.kubeconfig !== undefined))
    throw new UsageError(
      '--offline looks at no cluster: drop --kubeconfig and --take-over-from-karpenter',
    );
  return {
    kubeConfigPath: values.offline ? undefined : kubeConfigPathFor(values.kubeconfig, env),
    takeOverFromKarpenter: values['take-over-from-karpenter'],
    webhookUrl: checked('--webhook-url', WebhookUrlSchema, values['webhook-url']),
    secret: secretFrom(values),
    group: checked('--group', z.string().min(1, 'must not be empty'), values.group),
    leaseNamespace: checked('--lease-namespace', NamespaceSchema, values['lease-namespace']),
    clusterName: checked(
      '--cluster-name',
      z.string().min(1, 'must not be empty'),
      values['cluster-name'],
    ),
  };
}
