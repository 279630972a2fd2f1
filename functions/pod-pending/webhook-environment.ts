import { z } from 'zod';
import { formatZodIssues } from '../../lib/apis/index.ts';
import { KubeEnvironment } from '../../lib/kube/index.ts';
import { WebhookEnvironment } from '../../lib/webhook/index.ts';
import type { SecretLocation } from './webhook-secret-reader.ts';

const WebhookEnvironmentSchema = z
  .object({
    [KubeEnvironment.clusterName]: z.string().min(1),
    [WebhookEnvironment.signalQueueUrl]: z.url({ protocol: /^https?$/ }),
    [WebhookEnvironment.secretArn]: z.string().min(1).optional(),
    [WebhookEnvironment.secretParameter]: z.string().min(1).optional(),
  })
  .refine(
    (env) =>
      (env[WebhookEnvironment.secretArn] === undefined) !==
      (env[WebhookEnvironment.secretParameter] === undefined),
    {
      path: [WebhookEnvironment.secretArn],
      message: `set exactly one of ${WebhookEnvironment.secretArn} and ${WebhookEnvironment.secretParameter}`,
    },
  );

export interface WebhookSettings {
  readonly clusterName: string;
  readonly signalQueueUrl: string;
  readonly secret: SecretLocation;
}

export class WebhookEnvironmentError extends Error {
  override readonly name = 'WebhookEnvironmentError';
}

/** The webhook function's settings; a bad or missing variable is named in the error. */
export function webhookSettings(
  environment: Readonly<Record<string, string | undefined>>,
): WebhookSettings {
  const parsed = WebhookEnvironmentSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = formatZodIssues(parsed.error).join('; ');
    throw new WebhookEnvironmentError(`Invalid webhook environment: ${problems}`);
  }
  const env = parsed.data;
  const secretArn = env[WebhookEnvironment.secretArn];
  return {
    clusterName: env[KubeEnvironment.clusterName],
    signalQueueUrl: env[WebhookEnvironment.signalQueueUrl],
    secret:
      secretArn === undefined
        ? { store: 'ssm', parameterName: env[WebhookEnvironment.secretParameter] ?? '' }
        : { store: 'secrets-manager', secretId: secretArn },
  };
}
