/**
 * The pod-pending webhook: the Lambda Function URL the MutatingWebhookConfiguration calls on every
 * Pod CREATE (and a plain JSON ping). It answers `allowed: true` and sends a debounce signal to the
 * provisioning FIFO queue; the provisioner function does the work.
 */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import {
  CachedSecret,
  handleWebhook,
  SECRET_CACHE_TTL_MS,
  type WebhookDeps,
  type WebhookResponse,
} from '../../lib/webhook/index.ts';
import { countMetric, logger, metrics, portLogger } from '../shared/powertools.ts';
import { webhookSettings } from './webhook-environment.ts';
import { webhookSecretReader } from './webhook-secret-reader.ts';
import { systemClock } from '../../lib/util/clock.ts';

// The apiserver waits only the webhook's timeoutSeconds, so SQS gets one quick retry at most.
const SQS_REQUEST_TIMEOUT_MS = 1_500;

function webhookDeps(environment: Readonly<Record<string, string | undefined>>): WebhookDeps {
  const settings = webhookSettings(environment);
  const sqs = new SQSClient({
    maxAttempts: 2,
    requestHandler: { requestTimeout: SQS_REQUEST_TIMEOUT_MS, throwOnRequestTimeout: true },
  });
  return {
    clusterName: settings.clusterName,
    secret: new CachedSecret(
      webhookSecretReader(settings.secret),
      SECRET_CACHE_TTL_MS,
      systemClock,
      (error) => portLogger.error('The webhook secret could not be read', { error }),
    ),
    sendSignal: async (message) => {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: settings.signalQueueUrl,
          MessageBody: message.body,
          MessageGroupId: message.groupId,
          MessageDeduplicationId: message.deduplicationId,
        }),
      );
    },
    clock: systemClock,
    logger: portLogger,
    count: countMetric,
  };
}

const deps = webhookDeps(process.env);

export async function handler(event: unknown, context: Context): Promise<WebhookResponse> {
  logger.addContext(context);
  try {
    return await handleWebhook(event, deps);
  } finally {
    metrics.publishStoredMetrics();
  }
}
