import { z } from 'zod';
import { formatZodIssues } from '../../lib/apis/index.ts';
import { KubeEnvironment } from '../../lib/kube/index.ts';
import { WebhookEnvironment } from '../../lib/webhook/index.ts';

const SignalEnvironmentSchema = z.object({
  [KubeEnvironment.clusterName]: z.string().min(1),
  [WebhookEnvironment.signalQueueUrl]: z.url({ protocol: /^https?$/ }),
});

export interface SignalSettings {
  readonly clusterName: string;
  readonly signalQueueUrl: string;
}

/** Where the provisioner sends the signal for another pass; a bad or missing variable is named. */
export function provisionerSignalSettings(
  environment: Readonly<Record<string, string | undefined>>,
): SignalSettings {
  const parsed = SignalEnvironmentSchema.safeParse(environment);
  if (!parsed.success)
    throw new Error(`Invalid provisioner environment: ${formatZodIssues(parsed.error).join('; ')}`);
  return {
    clusterName: parsed.data[KubeEnvironment.clusterName],
    signalQueueUrl: parsed.data[WebhookEnvironment.signalQueueUrl],
  };
}
