import { z } from 'zod';
import { formatZodIssues } from '../../lib/apis/index.ts';
import { KubeEnvironment } from '../../lib/kube/constants.ts';
import { ProvisionerEnvironment } from '../../lib/provisioning/constants.ts';

const SignalQueueEnvironmentSchema = z.object({
  [KubeEnvironment.clusterName]: z.string().min(1),
  [ProvisionerEnvironment.signalQueueUrl]: z.url({ protocol: /^https?$/ }),
  [ProvisionerEnvironment.deadLetterQueueUrl]: z.url({ protocol: /^https?$/ }),
});

export interface SignalQueueSettings {
  /** The signals' message group and deduplication prefix, as the webhook sends them. */
  readonly clusterName: string;
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
}

/** The provisioner's queues; a bad or missing variable is named in the error. */
export function signalQueueSettings(
  environment: Readonly<Record<string, string | undefined>>,
): SignalQueueSettings {
  const parsed = SignalQueueEnvironmentSchema.safeParse(environment);
  if (!parsed.success) {
    throw new Error(`Invalid provisioner environment: ${formatZodIssues(parsed.error).join('; ')}`);
  }
  return {
    clusterName: parsed.data[KubeEnvironment.clusterName],
    queueUrl: parsed.data[ProvisionerEnvironment.signalQueueUrl],
    deadLetterQueueUrl: parsed.data[ProvisionerEnvironment.deadLetterQueueUrl],
  };
}
