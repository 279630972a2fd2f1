/**
 * The interruption plumbing in moto, built from the same patterns as the CDK stack: the queue and
 * its dead-letter queue, one EventBridge rule per interruption pattern targeting the queue, and
 * the provisioning signal queue. Received messages become the SQS event Lambda would deliver.
 */
import {
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  EventBridgeClient,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { AppsV1Api, KubeConfig } from '@kubernetes/client-node';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { Labels } from '../../lib/apis/index.ts';
import { deploymentOf, onPool, pauseContainer } from './workload-fixtures.ts';
import { interruptionHandler } from '../../functions/interruption/interruption-handler.ts';
import { sendProvisioningSignal } from '../../functions/shared/provisioning-signals.ts';
import {
  INTERRUPTION_MAX_RECEIVE_COUNT,
  INTERRUPTION_QUEUE_RETENTION_SECONDS,
  InterruptionEventPatterns,
  runInterruption,
  type InterruptionDeps,
  type InterruptionResult,
} from '../../lib/interruption/index.ts';

export interface InterruptionQueues {
  readonly sqs: SQSClient;
  readonly events: EventBridgeClient;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly deadLetterQueueUrl: string;
  readonly signalQueueUrl: string;
}

async function queueArn(sqs: SQSClient, queueUrl: string): Promise<string> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  return Attributes?.['QueueArn'] ?? '';
}

/** Clients' settings for moto (test/env's awsClientConfig, or the benchmark's own). */
export interface MotoConfig {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export async function createInterruptionQueues(
  name: string,
  config: MotoConfig,
): Promise<InterruptionQueues> {
  const sqs = new SQSClient(config);
  const events = new EventBridgeClient(config);
  const create = async (queueName: string, attributes: Record<string, string> = {}) =>
    (await sqs.send(new CreateQueueCommand({ QueueName: queueName, Attributes: attributes })))
      .QueueUrl ?? '';
  const deadLetterQueueUrl = await create(`${name}-dlq`);
  const queueUrl = await create(name, {
    MessageRetentionPeriod: String(INTERRUPTION_QUEUE_RETENTION_SECONDS),
    VisibilityTimeout: '30',
    RedrivePolicy: JSON.stringify({
      deadLetterTargetArn: await queueArn(sqs, deadLetterQueueUrl),
      maxReceiveCount: INTERRUPTION_MAX_RECEIVE_COUNT,
    }),
  });
  const arn = await queueArn(sqs, queueUrl);
  for (const [rule, pattern] of Object.entries(InterruptionEventPatterns)) {
    await events.send(
      new PutRuleCommand({ Name: `${name}-${rule}`, EventPattern: JSON.stringify(pattern) }),
    );
    await events.send(
      new PutTargetsCommand({ Rule: `${name}-${rule}`, Targets: [{ Id: 'queue', Arn: arn }] }),
    );
  }
  const signalQueueUrl = await create(`${name}-signals.fifo`, {
    FifoQueue: 'true',
    ContentBasedDeduplication: 'false',
  });
  return { sqs, events, queueUrl, queueArn: arn, deadLetterQueueUrl, signalQueueUrl };
}

/** An event as AWS puts it on the default bus: source, detail type and detail. */
export async function putEvent(
  queues: InterruptionQueues,
  event: { source: string; 'detail-type': string; resources: string[]; detail: object },
): Promise<void> {
  const { FailedEntryCount } = await queues.events.send(
    new PutEventsCommand({
      Entries: [
        {
          Source: event.source,
          DetailType: event['detail-type'],
          Resources: event.resources,
          Detail: JSON.stringify(event.detail),
        },
      ],
    }),
  );
  if (FailedEntryCount) throw new Error('PutEvents failed');
}

/** Receives until `count` messages have come (long polls of up to 1 s). */
export async function receive(
  sqs: SQSClient,
  queueUrl: string,
  count: number,
  timeoutMs = 20_000,
): Promise<Message[]> {
  const messages: Message[] = [];
  const until = Date.now() + timeoutMs;
  while (messages.length < count && Date.now() < until) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    messages.push(...Messages);
  }
  return messages;
}

/** The messages as the SQS event source hands them to Lambda. */
export function sqsEvent(messages: readonly Message[], queueArnValue: string): SQSEvent {
  const region = queueArnValue.split(':')[3] ?? '';
  return {
    Records: messages.map((message): SQSRecord => ({
      messageId: message.MessageId ?? '',
      receiptHandle: message.ReceiptHandle ?? '',
      body: message.Body ?? '',
      attributes: {
        ApproximateReceiveCount: message.Attributes?.['ApproximateReceiveCount'] ?? '1',
        SentTimestamp: message.Attributes?.['SentTimestamp'] ?? '0',
        SenderId: message.Attributes?.['SenderId'] ?? '',
        ApproximateFirstReceiveTimestamp:
          message.Attributes?.['ApproximateFirstReceiveTimestamp'] ?? '0',
      },
      messageAttributes: {},
      md5OfBody: message.MD5OfBody ?? '',
      eventSource: 'aws:sqs',
      eventSourceARN: queueArnValue,
      awsRegion: region,
    })),
  };
}

/** A Deployment of `replicas` pods, `app: solo`, one per node of the pool (pod anti-affinity). */
export async function createOnePerNodeDeployment(
  kubeConfigYaml: string,
  namespace: string,
  pool: string,
  replicas: number,
): Promise<void> {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(kubeConfigYaml);
  await kubeConfig.makeApiClient(AppsV1Api).createNamespacedDeployment({
    namespace,
    body: deploymentOf('solo', replicas, {
      ...onPool(pool),
      terminationGracePeriodSeconds: 0,
      affinity: {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            { labelSelector: { matchLabels: { app: 'solo' } }, topologyKey: Labels.hostname },
          ],
        },
      },
      containers: [pauseContainer('app', { cpu: '500m', memory: '1Gi' })],
    }),
  });
}

/**
 * The interruption function as its Lambda composes it: each batch runs over `deps` and sends its
 * provisioning signal to the signal queue of `queues`; `onResult` sees each run's result.
 */
export function interruptionFunction(
  deps: () => Omit<InterruptionDeps, 'requestProvisioning'>,
  queues: InterruptionQueues,
  clusterName: string,
  onResult: (result: InterruptionResult) => void = () => undefined,
) {
  const target = { clusterName, queueUrl: queues.signalQueueUrl };
  return interruptionHandler(async (_context, messages) => {
    const result = await runInterruption(
      {
        ...deps(),
        requestProvisioning: (reason) => sendProvisioningSignal(queues.sqs, target, reason),
      },
      messages,
    );
    onResult(result);
    return result;
  });
}
