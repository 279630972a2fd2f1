import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import type { Context, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { provisionerHandler } from '../../functions/provisioner/provisioner-handler.ts';
import { sqsSignalQueue } from '../../functions/provisioner/sqs-signal-queue.ts';
import { Labels } from '../../lib/apis/index.ts';
import { runProvisioning } from '../../lib/provisioning/index.ts';
import type { WebhookResponse } from '../../lib/webhook/index.ts';
import { awsClientConfig, createTestNamespace, kubeConfigPath, resetAws } from '../env/index.ts';
import {
  functionUrlEvent,
  lambdaContext,
  podCreateReview,
  sqsRecord,
} from '../fixtures/lambda-events.ts';
import { recordingRunLogger } from '../fixtures/recording-run-logger.ts';
import {
  createPendingPods,
  deleteTestPods,
  createProvisioningWorld,
  waitUntilUnschedulable,
  type ProvisioningWorld,
} from './provisioning-fixtures.ts';

const POOL = 'webhook-e2e';
const SECRET = 'Zq3x9Lw2Pp7Tt5Rr1Mm8Nn4Kk6Jj0Hh2Gg';

type Handler = (event: unknown, context: Context) => Promise<WebhookResponse>;

/**
 * The pod-pending Lambda as deployed (its module builds real SQS and Secrets Manager clients
 * from the environment, here pointed at moto), the provisioner handler consuming what it queued,
 * and a NodePool whose pods are pending in the real kube-apiserver.
 */
describe('the pod-pending webhook against moto SQS and the real kube-apiserver', () => {
  let webhook: Handler;
  let sqs: SQSClient;
  let queueUrl: string;
  let deadLetterQueueUrl: string;
  let world: ProvisioningWorld;
  let namespace: string;

  async function call(body: unknown, path = `/${SECRET}/pods`): Promise<WebhookResponse> {
    const event = functionUrlEvent({
      rawPath: path,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return webhook(event, lambdaContext());
  }

  async function queuedSignals(): Promise<number> {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return (
      Number(Attributes?.ApproximateNumberOfMessages) +
      Number(Attributes?.ApproximateNumberOfMessagesNotVisible)
    );
  }

  async function receive(url = queueUrl): Promise<Message[]> {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
        // The queue's own (moto's default) is 30 s; Lambda's event source uses the queue's.
        VisibilityTimeout: 120,
      }),
    );
    return Messages;
  }

  /**
   * What Lambda's event source does: hand the batch to the provisioner, delete what succeeded.
   * Returns the IDs of the messages that failed.
   */
  async function deliverToProvisioner(
    messages: Message[],
    run = (context: Context) => runProvisioning(world.deps(context.awsRequestId)),
  ): Promise<string[]> {
    if (messages.length === 0) return [];
    const event: SQSEvent = {
      Records: messages.map((message) => ({
        ...sqsRecord(message.MessageId ?? '', message.Body ?? ''),
        receiptHandle: message.ReceiptHandle ?? '',
      })),
    };
    const handler = provisionerHandler(
      run,
      sqsSignalQueue(sqs, { clusterName: POOL, queueUrl, deadLetterQueueUrl }),
    );
    const { batchItemFailures } = await handler(
      event,
      lambdaContext({ requestId: `delivery-${Date.now()}` }),
    );
    const failed = batchItemFailures.map(({ itemIdentifier }) => itemIdentifier);
    for (const { MessageId, ReceiptHandle } of messages)
      if (!failed.includes(MessageId ?? ''))
        await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle }));
    return failed;
  }

  /** Deletes what earlier tests left in the queue, so a test sees only its own messages. */
  async function drain(): Promise<void> {
    for (let messages = await receive(); messages.length > 0; messages = await receive())
      for (const { ReceiptHandle } of messages)
        await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle }));
  }

  async function poolClaims(): Promise<number> {
    return (await world.kube.kube.listNodeClaims()).items.filter(
      ({ metadata }) => metadata.labels?.[Labels.nodePool] === POOL,
    ).length;
  }

  beforeAll(async () => {
    await resetAws();
    const aws = awsClientConfig();
    sqs = new SQSClient(aws);
    ({ QueueUrl: queueUrl = '' } = await sqs.send(
      new CreateQueueCommand({
        QueueName: 'signals.fifo',
        Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'false' },
      }),
    ));
    ({ QueueUrl: deadLetterQueueUrl = '' } = await sqs.send(
      new CreateQueueCommand({
        QueueName: 'signals-dead-letters.fifo',
        Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'false' },
      }),
    ));
    const { ARN } = await new SecretsManagerClient(aws).send(
      new CreateSecretCommand({ Name: 'webhook-secret', SecretString: SECRET }),
    );
    vi.stubEnv('AWS_ENDPOINT_URL', aws.endpoint);
    vi.stubEnv('AWS_REGION', aws.region);
    vi.stubEnv('AWS_ACCESS_KEY_ID', aws.credentials.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', aws.credentials.secretAccessKey);
    vi.stubEnv('CLUSTER_NAME', POOL);
    vi.stubEnv('PROVISIONING_QUEUE_URL', queueUrl);
    vi.stubEnv('WEBHOOK_SECRET_ARN', ARN ?? '');
    ({ handler: webhook } = await import('../../functions/pod-pending/handler.ts'));

    namespace = await createTestNamespace('webhook');
    world = await createProvisioningWorld({
      kubeConfigPath: kubeConfigPath(),
      aws,
      pool: POOL,
      logger: recordingRunLogger(),
    });
    const pods = await createPendingPods(world, namespace, POOL, { prefix: 'web', count: 5 });
    await waitUntilUnschedulable(world, namespace, pods);
  });

  afterAll(async () => {
    vi.unstubAllEnvs();
    await deleteTestPods(world, namespace);
  });

  it('rejects bad secrets and bad bodies, and nothing is queued or created', async () => {
    // Act
    const responses = await Promise.all([
      call(podCreateReview(), '/pods'),
      call(podCreateReview(), `/${SECRET.slice(0, -1)}X/pods`),
      call(podCreateReview(), `/${SECRET}${SECRET}/pods`),
      call('{"apiVersion":'),
      call(podCreateReview({ uid: undefined })),
      call({ reason: 42 }),
    ]);
    expect(await deliverToProvisioner(await receive())).toEqual([]);

    // Assess
    expect(responses.map(({ statusCode }) => statusCode)).toEqual([401, 401, 401, 400, 400, 400]);
    expect(JSON.parse(responses[4]?.body ?? '').message).toMatch(/^request\.uid: /);
    expect(JSON.parse(responses[5]?.body ?? '').message).toMatch(/^reason: /);
    expect(await queuedSignals()).toBe(0);
    expect(await poolClaims()).toBe(0);
  });

  it('allows a Pod CREATE with its uid and queues a signal that provisions the pending pods', async () => {
    // Act
    const response = await call(podCreateReview({ uid: 'review-1' }));
    const messages = await receive();
    const failed = await deliverToProvisioner(messages);

    // Assess
    expect(failed).toEqual([]);
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: { uid: 'review-1', allowed: true },
    });
    expect(messages).toHaveLength(1);
    expect(JSON.parse(messages[0]?.Body ?? '')).toMatchObject({
      cluster: POOL,
      reason: 'pod shop/web-7d9f-*',
    });
    expect(await poolClaims()).toBeGreaterThan(0);
  });

  it('turns a burst of 1,000 Pod CREATEs into at most one signal per second', async () => {
    // Prepare
    const burst = 200;
    const startedSecond = Math.floor(Date.now() / 1000);

    // Act
    const responses = await Promise.all(
      Array.from({ length: burst }, (_, index) => call(podCreateReview({ uid: `burst-${index}` }))),
    );
    const secondsSpanned = Math.floor(Date.now() / 1000) - startedSecond + 1;

    // Assess
    expect(responses.every(({ statusCode }) => statusCode === 200)).toBe(true);
    const signals = await queuedSignals();
    expect(signals).toBeGreaterThanOrEqual(1);
    expect(signals).toBeLessThanOrEqual(secondsSpanned);
    expect(signals).toBeLessThan(burst / 20);
  });

  it('moves a foreign message at the head of the group to the dead-letter queue and provisions for the signal behind it', async () => {
    // Prepare
    await drain();
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: '{"hello":"world"}',
        MessageGroupId: POOL,
        MessageDeduplicationId: 'foreign-1',
      }),
    );
    await call({ reason: 'behind the foreign message' });
    const messages = await receive();

    // Act
    const failed = await deliverToProvisioner(messages);

    // Assess
    expect(messages.map(({ Body }) => JSON.parse(Body ?? '').reason)).toEqual([
      undefined,
      'behind the foreign message',
    ]);
    expect(failed).toEqual([]);
    const deadLetters = await receive(deadLetterQueueUrl);
    expect(deadLetters.map(({ Body }) => Body)).toEqual(['{"hello":"world"}']);
    expect(deadLetters[0]?.MessageAttributes?.['reason']?.StringValue).toMatch(/^body\.cluster: /);
    expect(await queuedSignals()).toBe(0);
  });

  it('makes the signals of a failed run visible again within seconds, not after the visibility timeout', async () => {
    // Prepare
    await drain();
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // a new deduplication second
    await call({ reason: 'a run that fails' });
    const messages = await receive();

    // Act
    const failed = await deliverToProvisioner(messages, () =>
      Promise.reject(new Error('apiserver unreachable')),
    );
    const atOnce = await receive();
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const afterTheRetryDelay = await receive();

    // Assess
    expect(messages).toHaveLength(1);
    expect(failed).toEqual([messages[0]?.MessageId]);
    expect(atOnce).toEqual([]);
    expect(afterTheRetryDelay.map(({ MessageId }) => MessageId)).toEqual([messages[0]?.MessageId]);
  });
});
