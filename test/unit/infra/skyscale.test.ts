import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { PolicyStatement, type CfnRole } from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSkyscaleApp } from '../../../infra/skyscale-app.ts';
import { DEFAULT_METADATA_OPTIONS } from '../../../lib/apis/ec2nodeclass.ts';
import { createFleetInput } from '../../../lib/cloudprovider/aws/fleet.ts';
import {
  createLaunchTemplateInput,
  launchTemplateData,
  type LaunchTemplateSpec,
} from '../../../lib/cloudprovider/aws/launch-template.ts';
import type { Skyscale } from '../../../infra/skyscale.ts';

const NODE_ROLE = 'arn:aws:iam::111122223333:role/prod-nodes';
const OWNED_ON_REQUEST = { 'aws:RequestTag/kubernetes.io/cluster/prod-1': 'owned' };
const OWNED_RESOURCE = { 'aws:ResourceTag/kubernetes.io/cluster/prod-1': 'owned' };

interface Statement {
  Sid?: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/** The app without esbuild bundling (the app test bundles); cdk-nag still runs. */
function app(context: Record<string, unknown> = {}): App {
  return createSkyscaleApp({
    outdir: mkdtempSync(join(tmpdir(), 'cdk-out-')),
    context: {
      'aws:cdk:bundling-stacks': [],
      clusterName: 'prod-1',
      clusterEndpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
      clusterCertificateAuthority: 'Q0EtREFUQQ==',
      nodeRoleArn: NODE_ROLE,
      ...context,
    },
  });
}

function stackOf(app: App): Stack {
  return app.node.findChild('Skyscale') as Stack;
}

function skyscaleOf(stack: Stack): Skyscale {
  return stack.node.findChild('Skyscale') as Skyscale;
}

function statementsOf(template: Template, stack: Stack, role: CfnRole): Statement[] {
  const roleId = stack.getLogicalId(role);
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: roleId }] },
  });
  return Object.values(policies).flatMap(
    (policy) =>
      (policy as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties
        .PolicyDocument.Statement,
  );
}

const actionsOf = (statement: Statement): string[] => [statement.Action].flat();

function launchTemplateSpecFor(
  capacityType: 'spot' | 'on-demand',
  tags: Record<string, string>,
): LaunchTemplateSpec {
  return {
    clusterName: 'prod-1',
    imageId: 'ami-0123',
    userData: '',
    blockDeviceMappings: [],
    metadataOptions: { ...DEFAULT_METADATA_OPTIONS },
    securityGroupIds: [],
    instanceProfile: 'nodes',
    tags,
    capacityType,
  };
}

// One synth (with every cdk-nag rule) takes several seconds on a busy machine.
describe('the Skyscale construct in the repository’s app', { timeout: 120_000 }, () => {
  let stack: Stack;
  let skyscale: Skyscale;
  let template: Template;

  beforeAll(() => {
    const repositoryApp = app();
    repositoryApp.synth();
    stack = stackOf(repositoryApp);
    skyscale = skyscaleOf(stack);
    template = Template.fromStack(stack);
  }, 120_000);

  it('runs the four functions on Node.js 22, arm64, as bundled ESM, with log groups that expire', () => {
    // Assess
    template.resourcePropertiesCountIs(
      'AWS::Lambda::Function',
      { Runtime: 'nodejs22.x', Architectures: ['arm64'], Handler: 'index.handler' },
      4,
    );
    template.resourcePropertiesCountIs('AWS::Logs::LogGroup', { RetentionInDays: 30 }, 4);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ NODE_OPTIONS: '--enable-source-maps' }) },
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^SkyscaleWebhookHandlerLogs') } },
    });
  });

  it('gives the provisioner reserved concurrency 1 and the cluster settings', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: 1,
      MemorySize: 1769,
      Timeout: 120,
      Environment: {
        Variables: Match.objectLike({
          CLUSTER_NAME: 'prod-1',
          CLUSTER_ENDPOINT: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
          CLUSTER_CA_DATA: 'Q0EtREFUQQ==',
          CLUSTER_SERVICE_CIDR: '10.100.0.0/16',
          KUBERNETES_VERSION: '1.34',
        }),
      },
    });
  });

  it('reserves the webhook a bounded concurrency, so a flood on its public URL cannot take the account’s', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('webhook'),
      ReservedConcurrentExecutions: 10,
    });
  });

  it('carries signals on an encrypted FIFO queue with a 1 s delivery delay, a FIFO dead-letter queue and SSL enforced', () => {
    // Assess
    template.hasResourceProperties('AWS::SQS::Queue', {
      FifoQueue: true,
      ContentBasedDeduplication: false,
      DelaySeconds: 1,
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 120,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeadLetterQueue'), 'Arn'] },
        maxReceiveCount: 5,
      },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      FifoQueue: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    template.resourcePropertiesCountIs(
      'AWS::SQS::QueuePolicy',
      {
        PolicyDocument: {
          Statement: [
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sqs:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ],
        },
      },
      // The two signal queues and the interruption dead-letter queue.
      3,
    );
  });

  it('hides a received signal only for the provisioner’s timeout, which failed runs shorten to seconds', () => {
    // Assess
    const provisionerTimeout = Object.values(
      template.findResources('AWS::Lambda::Function', {
        Properties: { Description: Match.stringLikeRegexp('provisioner') },
      }),
    ).map((fn) => (fn as { Properties: { Timeout: number } }).Properties.Timeout);
    expect(provisionerTimeout).toEqual([120]);
    template.hasResourceProperties('AWS::SQS::Queue', {
      FifoQueue: true,
      VisibilityTimeout: provisionerTimeout[0],
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('provisioner'),
      Environment: {
        Variables: Match.objectLike({
          PROVISIONING_QUEUE_URL: {
            Ref: Match.stringLikeRegexp('^SkyscaleProvisioningQueue[0-9A-F]+$'),
          },
          PROVISIONING_DEAD_LETTER_QUEUE_URL: {
            Ref: Match.stringLikeRegexp('DeadLetterQueue'),
          },
        }),
      },
    });
  });

  it('raises an alarm on every dead-letter queue as soon as it holds a message', () => {
    // Prepare
    const deadLetterQueues = Object.values(template.findResources('AWS::SQS::Queue')).flatMap(
      (queue) => {
        const target = (
          queue as {
            Properties: { RedrivePolicy?: { deadLetterTargetArn: { 'Fn::GetAtt': string[] } } };
          }
        ).Properties.RedrivePolicy?.deadLetterTargetArn['Fn::GetAtt'][0];
        return target ? [target] : [];
      },
    );

    // Act
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
      (alarm) =>
        (
          alarm as {
            Properties: {
              MetricName: string;
              Threshold: number;
              ComparisonOperator: string;
              Dimensions: { Name: string; Value: { 'Fn::GetAtt': string[] } }[];
            };
          }
        ).Properties,
    );

    // Assess
    expect(deadLetterQueues.length).toBeGreaterThan(0);
    for (const queue of deadLetterQueues)
      expect(alarms).toContainEqual(
        expect.objectContaining({
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }],
        }),
      );
  });

  it('feeds the provisioner from the queue in batches with partial failures and no batching window', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumBatchingWindowInSeconds: Match.absent(),
      FunctionName: { Ref: Match.stringLikeRegexp('^SkyscaleProvisionerHandlerFunction') },
    });
  });

  it('lets the provisioner signal itself again through the queue', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 120,
      Environment: {
        Variables: Match.objectLike({
          PROVISIONING_QUEUE_URL: { Ref: Match.stringLikeRegexp('^SkyscaleProvisioningQueue') },
        }),
      },
    });
    const sends = statementsOf(
      template,
      stack,
      skyscale.provisioner.handler.role.node.defaultChild as CfnRole,
    ).filter((statement) => actionsOf(statement).includes('sqs:SendMessage'));
    const queueId = stack.getLogicalId(skyscale.signalQueue.queue.node.defaultChild as CfnElement);
    expect(sends).toContainEqual(
      expect.objectContaining({ Resource: { 'Fn::GetAtt': [queueId, 'Arn'] } }),
    );
  });

  it('invokes the tick every minute from EventBridge Scheduler with its scheduled time, without retries, one invocation at a time', () => {
    // Assess
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 minute)',
      State: 'ENABLED',
      Target: {
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SkyscaleTickHandlerFunction'), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 },
        RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SkyscaleTickSchedulerRole'), 'Arn'] },
        Input: JSON.stringify({ scheduledTime: '<aws.scheduler.scheduled-time>' }),
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: 1,
      Timeout: 57,
      Environment: {
        Variables: Match.objectLike({
          CLUSTER_NAME: 'prod-1',
          POWERTOOLS_SERVICE_NAME: 'skyscale-tick',
          TICK_PERIOD: '60s',
        }),
      },
    });
  });

  it('lets the scheduler invoke the tick function and nothing else', () => {
    // Assess
    const schedulerRole = skyscale.tick.node.findChild('SchedulerRole').node
      .defaultChild as CfnRole;
    expect(statementsOf(template, stack, schedulerRole)).toEqual([
      {
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^SkyscaleTickHandlerFunction/), 'Arn'] },
      },
    ]);
  });

  it('gives the tick the provisioner’s EC2 permissions and its own access entry', () => {
    // Assess
    const provisioner = statementsOf(
      template,
      stack,
      skyscale.provisioner.handler.role.node.defaultChild as CfnRole,
    ).filter(({ Sid }) => Sid !== undefined);
    const tick = statementsOf(
      template,
      stack,
      skyscale.tick.handler.role.node.defaultChild as CfnRole,
    ).filter(({ Sid }) => Sid !== undefined);
    expect(tick.map(({ Sid }) => Sid)).toEqual(provisioner.map(({ Sid }) => Sid));
    template.hasResourceProperties('AWS::EKS::AccessEntry', {
      KubernetesGroups: ['skyscale'],
      PrincipalArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SkyscaleTickHandlerRole'), 'Arn'] },
    });
    template.hasOutput('TickRoleArn', {});
  });

  it('exposes the webhook through a Function URL without IAM auth and a generated path-safe secret', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Url', {
      AuthType: 'NONE',
      TargetFunctionArn: {
        'Fn::GetAtt': [Match.stringLikeRegexp('^SkyscaleWebhookHandlerFunction'), 'Arn'],
      },
    });
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 48, ExcludePunctuation: true, IncludeSpace: false },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 5,
      Environment: {
        Variables: Match.objectLike({
          WEBHOOK_SECRET_ARN: { Ref: Match.stringLikeRegexp('^SkyscaleWebhookSecret') },
          PROVISIONING_QUEUE_URL: { Ref: Match.stringLikeRegexp('^SkyscaleProvisioningQueue') },
        }),
      },
    });
  });

  it('lets the webhook only write its logs, read its secret and send signals', () => {
    // Act
    const statements = statementsOf(
      template,
      stack,
      skyscale.webhook.handler.role.node.defaultChild as CfnRole,
    );

    // Assess
    expect(statements.flatMap(actionsOf).sort()).toEqual([
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:SendMessage',
    ]);
  });

  describe('the provisioner’s IAM policy', () => {
    let statements: Statement[];
    beforeAll(() => {
      statements = statementsOf(
        template,
        stack,
        skyscale.provisioner.handler.role.node.defaultChild as CfnRole,
      );
    });
    const bySid = (sid: string) => statements.find((statement) => statement.Sid === sid);

    it('creates fleets, instances and launch templates only with the cluster tag in the request', () => {
      // Assess
      expect(bySid('CreateOnlyWithClusterTag')).toMatchObject({
        Action: ['ec2:CreateFleet', 'ec2:RunInstances', 'ec2:CreateLaunchTemplate'],
        Condition: { StringEquals: OWNED_ON_REQUEST },
      });
    });

    it('tags only while creating, with the cluster tag', () => {
      // Assess
      expect(bySid('TagOnlyWhileCreatingWithClusterTag')).toMatchObject({
        Action: 'ec2:CreateTags',
        Condition: {
          StringEquals: {
            ...OWNED_ON_REQUEST,
            'ec2:CreateAction': ['CreateFleet', 'RunInstances', 'CreateLaunchTemplate'],
          },
        },
      });
    });

    it('adds only the NodeClaim tag after creation, and only to instances of the cluster launched for a NodePool', () => {
      // Assess
      expect(bySid('TagNodePoolInstancesWithTheirNodeClaim')).toMatchObject({
        Action: 'ec2:CreateTags',
        Condition: {
          StringEquals: OWNED_RESOURCE,
          StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
          'ForAllValues:StringEquals': { 'aws:TagKeys': ['karpenter.sh/nodeclaim'] },
        },
      });
      expect(JSON.stringify(bySid('TagNodePoolInstancesWithTheirNodeClaim')?.Resource)).toMatch(
        /:instance\/\*/,
      );
    });

    it('terminates only instances carrying the cluster tag and a NodePool tag, and deletes only launch templates carrying the cluster tag', () => {
      // Act
      const destructive = statements.filter((statement) =>
        actionsOf(statement).some((action) => /^ec2:(Terminate|Delete)/.test(action)),
      );

      // Assess
      expect(destructive.flatMap(actionsOf)).toEqual([
        'ec2:DeleteLaunchTemplate',
        'ec2:TerminateInstances',
      ]);
      expect(bySid('TerminateOnlyNodePoolInstances')?.Condition).toEqual({
        StringEquals: OWNED_RESOURCE,
        StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
      });
      expect(bySid('DeleteOnlyClusterLaunchTemplates')?.Condition).toEqual({
        StringEquals: OWNED_RESOURCE,
      });
      expect(JSON.stringify(bySid('DeleteOnlyClusterLaunchTemplates')?.Resource)).toMatch(
        /launch-template\/\*"/,
      );
    });

    it('manages only instance profiles under the cluster’s path, creating them with the cluster tag and changing only those that carry it', () => {
      // Act
      const onProfiles = statements.filter((statement) =>
        actionsOf(statement).some((action) => /InstanceProfile/.test(action)),
      );

      // Assess
      expect(onProfiles.map((statement) => statement.Sid)).toEqual([
        'ReadClusterInstanceProfiles',
        'CreateInstanceProfilesWithClusterTag',
        'ChangeOnlyClusterInstanceProfiles',
      ]);
      for (const statement of onProfiles)
        expect(JSON.stringify(statement.Resource)).toMatch(
          /:instance-profile\/karpenter\/.*\/prod-1\/\*"/,
        );
      expect(bySid('CreateInstanceProfilesWithClusterTag')?.Condition).toEqual({
        StringEquals: { 'aws:RequestTag/kubernetes.io/cluster/prod-1': 'owned' },
      });
      expect(bySid('ChangeOnlyClusterInstanceProfiles')?.Condition).toEqual({
        StringEquals: OWNED_RESOURCE,
      });
    });

    it('tags at creation every resource type the policy requires the cluster tag on, spot or on-demand', () => {
      // Prepare: the resource types of the create statement, and what the launch path tags
      const required = [
        ...JSON.stringify(bySid('CreateOnlyWithClusterTag')?.Resource).matchAll(/:([a-z-]+)\/\*/g),
      ].map(([, type]) => type);
      const taggedByLaunch = (capacityType: 'spot' | 'on-demand') => {
        const tags = { 'kubernetes.io/cluster/prod-1': 'owned' };
        const template = launchTemplateSpecFor(capacityType, tags);
        const fleet = createFleetInput({
          launchTemplates: [],
          capacityType,
          subnetsByZone: new Map(),
          tags,
          nodeClaimUid: 'uid',
          attempt: 0,
        });
        return [
          ...(fleet.TagSpecifications ?? []),
          ...(launchTemplateData(template).TagSpecifications ?? []),
          ...(createLaunchTemplateInput(template).TagSpecifications ?? []),
        ]
          .filter(({ Tags }) =>
            Tags?.some(
              ({ Key, Value }) => Key === 'kubernetes.io/cluster/prod-1' && Value === 'owned',
            ),
          )
          .map(({ ResourceType }) => ResourceType)
          .sort();
      };

      // Act
      const spot = taggedByLaunch('spot');
      const onDemand = taggedByLaunch('on-demand');

      // Assess
      expect(required.length).toBeGreaterThan(0);
      expect(spot).toEqual([...required].sort());
      expect(onDemand).toEqual(required.filter((type) => type !== 'spot-instances-request').sort());
    });

    it('allows an unconditioned launch only into existing subnets, security groups, images and snapshots', () => {
      // Act
      const unconditioned = statements.filter(
        (statement) =>
          statement.Condition === undefined &&
          actionsOf(statement).some((action) =>
            /^ec2:(CreateFleet|RunInstances|CreateTags|Terminate)/.test(action),
          ),
      );

      // Assess
      expect(unconditioned.map((statement) => statement.Sid)).toEqual([
        'LaunchIntoSelectedNetworkAndImages',
      ]);
      expect(JSON.stringify(unconditioned[0]?.Resource)).toMatch(
        /subnet\/\*.*security-group\/\*.*image\/\*.*snapshot\/\*/,
      );
      expect(JSON.stringify(unconditioned[0]?.Resource)).not.toMatch(/instance|fleet|volume/);
    });

    it('reads only Describe* and prices on *, and the public EKS and Bottlerocket AMI parameters', () => {
      // Act
      const onEverything = statements.filter((statement) => statement.Resource === '*');

      // Assess
      expect(onEverything.flatMap(actionsOf).length).toBeGreaterThan(0);
      expect(
        onEverything
          .flatMap(actionsOf)
          .every((action) => /^(ec2:Describe|pricing:GetProducts$)/.test(action)),
      ).toBe(true);
      expect(JSON.stringify(bySid('ReadEksAmiParameters'))).toMatch(
        /ssm:GetParameter.*::parameter\/aws\/service\/eks\/\*.*::parameter\/aws\/service\/bottlerocket\/\*/,
      );
    });

    it('describes only its cluster and passes only the node role, only to EC2', () => {
      // Assess
      expect(JSON.stringify(bySid('DescribeCluster')?.Resource)).toMatch(/:cluster\/prod-1"/);
      expect(bySid('PassNodeRole')).toMatchObject({
        Action: 'iam:PassRole',
        Resource: NODE_ROLE,
        Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
      });
    });
  });

  it('maps the provisioner role to the skyscale group through an EKS access entry', () => {
    // Assess
    template.hasResourceProperties('AWS::EKS::AccessEntry', {
      ClusterName: 'prod-1',
      KubernetesGroups: ['skyscale'],
      Type: 'STANDARD',
      PrincipalArn: {
        'Fn::GetAtt': [Match.stringLikeRegexp('^SkyscaleProvisionerHandlerRole'), 'Arn'],
      },
    });
    template.hasOutput('WebhookUrl', {});
    template.hasOutput('WebhookSecretArn', {});
  });
});

describe('the repository app’s options', { timeout: 120_000 }, () => {
  it('creates no access entry when the context says createAccessEntry=false', () => {
    // Prepare / Act
    const skyscale = app({ createAccessEntry: 'false' });

    // Assess
    Template.fromStack(stackOf(skyscale)).resourceCountIs('AWS::EKS::AccessEntry', 0);
  });

  it('maps the role to the group given in the context', () => {
    // Prepare / Act
    const skyscale = app({ kubernetesGroup: 'autoscalers' });

    // Assess
    Template.fromStack(stackOf(skyscale)).hasResourceProperties('AWS::EKS::AccessEntry', {
      KubernetesGroups: ['autoscalers'],
    });
  });

  it('acknowledges each wildcard finding, not all: a new wildcard on the provisioner’s role fails synth', () => {
    // Prepare
    const skyscale = app();
    skyscaleOf(stackOf(skyscale)).provisioner.handler.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['ec2:DeleteVolume'],
        resources: ['arn:aws:ec2:*:*:volume/*'],
      }),
    );

    // Act
    const synth = () => skyscale.synth();

    // Assess
    expect(synth).toThrow(/AwsSolutions-IAM5/);
  });

  it('rejects a bad cluster endpoint in the context, naming the field', () => {
    // Prepare / Act
    const create = () => app({ clusterEndpoint: 'http://insecure.example.com' });

    // Assess
    expect(create).toThrow(/^context clusterEndpoint: must be an https:\/\/ URL/);
  });
});
