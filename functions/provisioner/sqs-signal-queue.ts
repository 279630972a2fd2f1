import {
  ChangeMessageVisibilityCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { sendProvisioningSignal } from '../shared/provisioning-signals.ts';
import type { SignalQueueSettings } from './signal-queue-environment.ts';
import type { SignalQueue } from './provisioner-handler.ts';

/** SQS message attribute values are at most 256 KiB; a reason this long is already unreadable. */
const MAX_REASON_LENGTH = 1_024;

/** The SignalQueue on SQS: the dead-letter queue is FIFO too, so the message keeps its group. */
export function sqsSignalQueue(sqs: SQSClient, settings: SignalQueueSettings): SignalQueue {
  return {
    async deadLetter(record, reason) {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: settings.deadLetterQueueUrl,
          MessageBody: record.body,
          MessageGroupId: record.attributes.MessageGroupId ?? record.messageId,
          MessageDeduplicationId: record.messageId,
          MessageAttributes: {
            reason: { DataType: 'String', StringValue: reason.slice(0, MAX_REASON_LENGTH) },
          },
        }),
      );
    },
    requestAnotherPass: (reason) => sendProvisioningSignal(sqs, settings, reason),
    async retryAfter(record, seconds) {
      await sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: settings.queueUrl,
          ReceiptHandle: record.receiptHandle,
          VisibilityTimeout: seconds,
        }),
      );
    },
  };
}
