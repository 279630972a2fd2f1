/** The provisioner: consumes the webhook's debounce signals and runs one provisioning pass per batch. */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { runProvisioning } from '../../lib/provisioning/index.ts';
import { signalMessage } from '../../lib/webhook/index.ts';
import { provisioningDeps } from '../shared/provisioning-deps.ts';
import { provisionerHandler } from './provisioner-handler.ts';
import { provisionerSignalSettings } from './signal-settings.ts';

const settings = provisionerSignalSettings(process.env);
const sqs = new SQSClient({});

export const handler = provisionerHandler(
  (context) => runProvisioning(provisioningDeps(context, process.env)),
  async (reason) => {
    const message = signalMessage(settings.clusterName, reason, Date.now());
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: settings.signalQueueUrl,
        MessageBody: message.body,
        MessageGroupId: message.groupId,
        MessageDeduplicationId: message.deduplicationId,
      }),
    );
  },
);
