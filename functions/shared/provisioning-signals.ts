import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { z } from 'zod';
import { formatZodIssues } from '../../lib/apis/index.ts';
import { KubeEnvironment } from '../../lib/kube/constants.ts';
import { ProvisionerEnvironment } from '../../lib/provisioning/constants.ts';
import { signalMessage } from '../../lib/webhook/index.ts';

/** The environment of a function that signals the provisioner. */
export const SignalTargetEnvironmentSchema = z.object({
  [KubeEnvironment.clusterName]: z.string().min(1),
  [ProvisionerEnvironment.signalQueueUrl]: z.url({ protocol: /^https?$/ }),
});

/** Where provisioning signals go. */
export interface SignalTarget {
  /** The signals' message group and deduplication prefix, as the webhook sends them. */
  readonly clusterName: string;
  readonly queueUrl: string;
}

/** Sends a provisioning signal as the webhook does, so a pass starts within seconds. */
export async function sendProvisioningSignal(
  sqs: SQSClient,
  target: SignalTarget,
  reason: string,
): Promise<void> {
  const message = signalMessage(target.clusterName, reason, Date.now());
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: target.queueUrl,
      MessageBody: message.body,
      MessageGroupId: message.groupId,
      MessageDeduplicationId: message.deduplicationId,
    }),
  );
}

/** The signal queue from a function's environment; a bad or missing variable is named in the error. */
export function signalTarget(
  environment: Readonly<Record<string, string | undefined>>,
  functionKind: string,
): SignalTarget {
  const parsed = SignalTargetEnvironmentSchema.safeParse(environment);
  if (!parsed.success)
    throw new Error(
      `Invalid ${functionKind} environment: ${formatZodIssues(parsed.error).join('; ')}`,
    );
  return {
    clusterName: parsed.data[KubeEnvironment.clusterName],
    queueUrl: parsed.data[ProvisionerEnvironment.signalQueueUrl],
  };
}
