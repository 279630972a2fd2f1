import { DescribeInstanceTypesCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { awsClientConfig, resetAws } from '../env/index.ts';

const EventBridgeEnvelopeSchema = z.object({
  version: z.string(),
  id: z.string().min(1),
  'detail-type': z.string(),
  source: z.string(),
  // Real EventBridge always sets `account`; moto 5.2's SQS delivery drops it.
  account: z.string().optional(),
  time: z.iso.datetime({ offset: true }),
  region: z.string(),
  resources: z.array(z.string()),
  detail: z.record(z.string(), z.unknown()),
});

async function createQueue(sqs: SQSClient, name: string): Promise<{ url: string; arn: string }> {
  const { QueueUrl: url } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  if (url === undefined) throw new Error('CreateQueue returned no QueueUrl');
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  const arn = Attributes?.QueueArn;
  if (arn === undefined) throw new Error('GetQueueAttributes returned no QueueArn');
  return { url, arn };
}

describe('moto as the AWS endpoint', () => {
  beforeEach(async () => {
    await resetAws();
  });

  it('serves the real EC2 instance-type catalog through DescribeInstanceTypes', async () => {
    // Prepare
    const ec2 = new EC2Client(awsClientConfig());

    // Act
    const { InstanceTypes } = await ec2.send(
      new DescribeInstanceTypesCommand({ InstanceTypes: ['m5.large', 'm6g.xlarge'] }),
    );

    // Assess
    const byName = new Map(InstanceTypes?.map((type) => [type.InstanceType, type]));
    expect(byName.get('m5.large')?.VCpuInfo?.DefaultVCpus).toBe(2);
    expect(byName.get('m5.large')?.MemoryInfo?.SizeInMiB).toBe(8192);
    expect(byName.get('m5.large')?.ProcessorInfo?.SupportedArchitectures).toContain('x86_64');
    expect(byName.get('m6g.xlarge')?.VCpuInfo?.DefaultVCpus).toBe(4);
    expect(byName.get('m6g.xlarge')?.MemoryInfo?.SizeInMiB).toBe(16384);
    expect(byName.get('m6g.xlarge')?.ProcessorInfo?.SupportedArchitectures).toEqual(['arm64']);
  });

  it('sends, receives and deletes SQS messages over the JSON protocol', async () => {
    // Prepare
    const sqs = new SQSClient(awsClientConfig());
    const { url } = await createQueue(sqs, 'environment-sqs');

    // Act
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: '{"hello":"moto"}' }));
    const received = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    const [message] = received.Messages ?? [];
    await sqs.send(
      new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message?.ReceiptHandle }),
    );
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );

    // Assess
    expect(received.Messages).toHaveLength(1);
    expect(message?.Body).toBe('{"hello":"moto"}');
    expect(Attributes?.ApproximateNumberOfMessages).toBe('0');
    expect(Attributes?.ApproximateNumberOfMessagesNotVisible).toBe('0');
  });

  it('delivers a matching aws.ec2 event from PutEvents to the SQS target of an EventBridge rule', async () => {
    // Prepare
    const sqs = new SQSClient(awsClientConfig());
    const events = new EventBridgeClient(awsClientConfig());
    const queue = await createQueue(sqs, 'environment-interruptions');
    await events.send(
      new PutRuleCommand({
        Name: 'spot-interruptions',
        EventPattern: JSON.stringify({
          source: ['aws.ec2'],
          'detail-type': ['EC2 Spot Instance Interruption Warning'],
        }),
      }),
    );
    await events.send(
      new PutTargetsCommand({
        Rule: 'spot-interruptions',
        Targets: [{ Id: 'queue', Arn: queue.arn }],
      }),
    );
    const instanceArn = 'arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0';

    // Act
    const put = await events.send(
      new PutEventsCommand({
        Entries: [
          {
            Source: 'aws.ec2',
            DetailType: 'EC2 Spot Instance Interruption Warning',
            Resources: [instanceArn],
            Detail: JSON.stringify({
              'instance-id': 'i-0123456789abcdef0',
              'instance-action': 'terminate',
            }),
          },
          {
            Source: 'aws.ec2',
            DetailType: 'EC2 Instance Rebalance Recommendation',
            Detail: JSON.stringify({ 'instance-id': 'i-0123456789abcdef0' }),
          },
        ],
      }),
    );
    const received = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queue.url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
      }),
    );

    // Assess
    expect(put.FailedEntryCount).toBe(0);
    expect(received.Messages).toHaveLength(1);
    const envelope = EventBridgeEnvelopeSchema.parse(
      JSON.parse(received.Messages?.[0]?.Body ?? ''),
    );
    expect(envelope).toMatchObject({
      source: 'aws.ec2',
      'detail-type': 'EC2 Spot Instance Interruption Warning',
      region: 'us-east-1',
      resources: [instanceArn],
      detail: { 'instance-id': 'i-0123456789abcdef0', 'instance-action': 'terminate' },
    });
  });
});
