/** The provisioner: consumes the webhook's debounce signals and runs one provisioning pass per batch. */
import { SQSClient } from '@aws-sdk/client-sqs';
import { runProvisioning } from '../../lib/provisioning/index.ts';
import { provisioningDeps } from './provisioning-deps.ts';
import { signalQueueSettings } from './signal-queue-environment.ts';
import { provisionerHandler } from './provisioner-handler.ts';
import { sqsSignalQueue } from './sqs-signal-queue.ts';

export const handler = provisionerHandler(
  (context) => runProvisioning(provisioningDeps(context, process.env)),
  sqsSignalQueue(new SQSClient({}), signalQueueSettings(process.env)),
);
