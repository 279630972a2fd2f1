/**
 * Interruption end to end on the real kube-apiserver (KWOK nodes, kube-controller-manager) and
 * moto's EventBridge and SQS: an EC2 event put on the bus travels through the rule to the queue,
 * the handler consumes the batch, the claim is deleted, its node drains, the provisioning signal
 * reaches the signal queue and its pass launches a replacement that runs the evicted workload.
 */
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { AppsV1Api, KubeConfig } from '@kubernetes/client-node';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isConditionTrue, NodeClaimConditionTypes, type NodeClaim } from '../../lib/apis/index.ts';
import {
  INTERRUPTION_MAX_RECEIVE_COUNT,
  type InterruptionResult,
} from '../../lib/interruption/index.ts';
import { runProvisioning } from '../../lib/provisioning/index.ts';
import { offeringEntryKey } from '../../lib/state/index.ts';
import { ProvisioningSignalSchema } from '../../lib/webhook/index.ts';
import { awsClientConfig, createTestNamespace, kubeConfigYaml, resetAws } from '../env/index.ts';
import { spotInterruptionWarning } from '../fixtures/interruption-events.ts';
import { lambdaContext } from '../fixtures/lambda-events.ts';
import { recordingRunLogger } from '../fixtures/recording-run-logger.ts';
import {
  createInterruptionQueues,
  interruptionFunction,
  putEvent,
  receive,
  sqsEvent,
  type InterruptionQueues,
} from './interruption-fixtures.ts';
import { createLifecycleWorld, type LifecycleWorld } from './lifecycle-fixtures.ts';
import { deploymentOf, onPool, pauseContainer, upPods } from './workload-fixtures.ts';

const POOL = 'interrupt';
const WAIT = { timeout: 60_000, interval: 250 };

describe('interruption through EventBridge and SQS', { timeout: 180_000 }, () => {
  let world: LifecycleWorld;
  let queues: InterruptionQueues;
  let namespace: string;
  let apps: AppsV1Api;
  const logger = recordingRunLogger();
  const results: InterruptionResult[] = [];

  let handler: ReturnType<typeof interruptionFunction>;
  const context = lambdaContext() as unknown as Context;

  const webPods = () => upPods(world.core, namespace, 'web');

  beforeAll(async () => {
    await resetAws();
    namespace = await createTestNamespace('interrupt');
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(kubeConfigYaml());
    apps = kubeConfig.makeApiClient(AppsV1Api);
    world = await createLifecycleWorld({ pool: POOL, logger, bootDelayMs: 500 });
    queues = await createInterruptionQueues(POOL, awsClientConfig());
    handler = interruptionFunction(
      () => world.deps('interruption'),
      queues,
      POOL,
      (result) => results.push(result),
    );
  });

  afterAll(async () => {
    await apps.deleteNamespacedDeployment({ name: 'web', namespace });
    await world.core.deleteCollectionNamespacedPod({ namespace, gracePeriodSeconds: 0 });
    await world.stop();
  });

  it('drains the warned node and runs its workload on a replacement the signal launched', async () => {
    // Prepare: a Deployment's pod on one initialized claim of the pool
    await apps.createNamespacedDeployment({
      namespace,
      body: deploymentOf('web', 1, {
        ...onPool(POOL),
        terminationGracePeriodSeconds: 0,
        containers: [pauseContainer('web', { cpu: '500m', memory: '256Mi' })],
      }),
    });
    const claim = await vi.waitFor(async () => {
      await runProvisioning(world.deps('seed'));
      await world.pass();
      const [initialized] = (await world.claims()).filter((candidate) =>
        isConditionTrue(candidate.status?.conditions, NodeClaimConditionTypes.initialized),
      );
      const [pod] = await webPods();
      expect(pod?.spec?.nodeName).toBeDefined();
      expect(pod?.spec?.nodeName).toBe(initialized?.status?.nodeName);
      return initialized as NodeClaim;
    }, WAIT);
    const instanceId = claim.status?.providerID?.split('/').at(-1) ?? '';
    const warning = spotInterruptionWarning({ instanceId });

    // Act: EC2 puts the warning on the bus; Lambda hands the queue's batch to the handler
    await putEvent(queues, warning);
    const delivered = await receive(queues.sqs, queues.queueUrl, 1);
    const receivedAt = Date.now();
    const response = await handler(sqsEvent(delivered, queues.queueArn), context);
    const handledMs = Date.now() - receivedAt;
    const [signal] = await receive(queues.sqs, queues.signalQueueUrl, 1);

    // Assess: the claim is on its way out, its node drained at once, the signal asks for a pass
    expect(delivered).toHaveLength(1);
    expect(JSON.parse(delivered[0]?.Body ?? '')).toMatchObject({
      source: 'aws.ec2',
      'detail-type': 'EC2 Spot Instance Interruption Warning',
      detail: { 'instance-id': instanceId },
    });
    expect(response).toEqual({ batchItemFailures: [] });
    expect(results.at(-1)?.nodeClaimsDeleted).toEqual([claim.metadata.name]);
    expect(results.at(-1)?.termination?.evicted).toBe(1);
    const marked = results.at(-1)?.offeringsMarkedUnavailable ?? [];
    expect([...(await world.kube.unavailableOfferings.read()).keys()]).toEqual(
      marked.map(offeringEntryKey),
    );
    expect(handledMs).toBeLessThan(5_000);
    expect(ProvisioningSignalSchema.parse(JSON.parse(signal?.Body ?? '')).reason).toBe(
      `interrupted NodeClaim(s) ${claim.metadata.name ?? ''}`,
    );

    // Act: the provisioner's pass, then the tick's passes until the old node is gone
    const replacement = await vi.waitFor(async () => {
      await runProvisioning(world.deps('provisioner'));
      await world.pass();
      const [pod] = await webPods();
      const node = pod?.spec?.nodeName;
      expect(node).toBeDefined();
      expect(node).not.toBe(claim.status?.nodeName);
      expect(pod?.status?.phase).toBe('Running');
      return node;
    }, WAIT);
    await vi.waitFor(async () => {
      await world.pass();
      expect((await world.claims()).map(({ metadata }) => metadata.name)).not.toContain(
        claim.metadata.name,
      );
    }, WAIT);

    // Assess: the old instance is terminated, the replacement runs
    const terminated = (await world.instances(['shutting-down', 'terminated'])).map(
      ({ InstanceId }) => InstanceId,
    );
    expect(terminated).toContain(instanceId);
    const running = await world.instances(['running']);
    expect(running.map(({ InstanceId }) => InstanceId)).not.toContain(instanceId);
    expect(running).toHaveLength(1);
    expect(replacement).toBeDefined();
  });

  it('fails only the malformed message of a batch, which reaches the dead-letter queue after its retries', async () => {
    // Prepare: a warning for an instance of another cluster, and a message that is no event
    await putEvent(queues, spotInterruptionWarning({ instanceId: 'i-0aaaaaaaaaaaaaaa1' }));
    await queues.sqs.send(
      new SendMessageCommand({ QueueUrl: queues.queueUrl, MessageBody: '{"hello": "world"}' }),
    );
    const batch = await receive(queues.sqs, queues.queueUrl, 2);
    const bad = batch.find(({ Body }) => Body === '{"hello": "world"}');

    // Act
    const response = await handler(sqsEvent(batch, queues.queueArn), context);

    // Assess
    expect(batch).toHaveLength(2);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: bad?.MessageId }] });
    expect(results.at(-1)?.outcomes.size).toBe(1);
    expect([...(results.at(-1)?.outcomes.values() ?? [])]).toEqual([
      { status: 'ignored', reason: 'no NodeClaim of this cluster runs i-0aaaaaaaaaaaaaaa1' },
    ]);

    // Act: Lambda deletes the acknowledged message; the failed one fails on every delivery
    // (made visible at once instead of after the visibility timeout) until SQS dead-letters it
    const good = batch.find((message) => message !== bad);
    await queues.sqs.send(
      new DeleteMessageCommand({ QueueUrl: queues.queueUrl, ReceiptHandle: good?.ReceiptHandle }),
    );
    const retry = (receiptHandle: string | undefined) =>
      queues.sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queues.queueUrl,
          ReceiptHandle: receiptHandle,
          VisibilityTimeout: 0,
        }),
      );
    await retry(bad?.ReceiptHandle);
    const failures: unknown[] = [];
    const deadLettered = await vi.waitFor(async () => {
      for (const again of await receive(queues.sqs, queues.queueUrl, 1, 1_000)) {
        failures.push(
          ...(await handler(sqsEvent([again], queues.queueArn), context)).batchItemFailures,
        );
        await retry(again.ReceiptHandle);
      }
      const found = await receive(queues.sqs, queues.deadLetterQueueUrl, 1, 500);
      expect(found).toHaveLength(1);
      return found[0];
    }, WAIT);

    // Assess
    expect(failures).toEqual(
      Array.from({ length: INTERRUPTION_MAX_RECEIVE_COUNT - 1 }, () => ({
        itemIdentifier: bad?.MessageId,
      })),
    );
    expect(deadLettered?.Body).toBe('{"hello": "world"}');
  });
});
