import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Cluster, type ICluster } from 'aws-cdk-lib/aws-eks';
import { Role, type IRole } from 'aws-cdk-lib/aws-iam';
import { ApplicationLogLevel } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { Skyscale, type SkyscaleProps } from '../../../infra/index.ts';

const ENDPOINT = 'https://XYZ.yl4.eu-central-1.eks.amazonaws.com';
const CA_DATA = 'VVNFUi1DQQ==';

/** A user's app: its own stack, its cluster, and Skyscale from the package's `cdk` export. */
function userApp(props: (stack: Stack, cluster: ICluster) => Partial<SkyscaleProps> = () => ({})) {
  const app = new App({
    outdir: mkdtempSync(join(tmpdir(), 'cdk-out-')),
    context: { 'aws:cdk:bundling-stacks': [] },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stack = new Stack(app, 'Platform', {
    env: { account: '111122223333', region: 'eu-central-1' },
  });
  const cluster = Cluster.fromClusterAttributes(stack, 'Cluster', {
    clusterName: 'platform',
    clusterEndpoint: ENDPOINT,
    clusterCertificateAuthorityData: CA_DATA,
  });
  const skyscale = new Skyscale(stack, 'Autoscaler', { cluster, ...props(stack, cluster) });
  return { app, stack, skyscale };
}

type Resource = { Properties: Record<string, unknown> };
const propertiesOf = (resources: Record<string, unknown>) =>
  Object.values(resources).map((resource) => (resource as Resource).Properties);

// Each synth runs every cdk-nag rule, which takes seconds on a busy machine.
describe('a user’s CDK app with the Skyscale construct', { timeout: 120_000 }, () => {
  let template: Template;
  let stack: Stack;
  let skyscale: Skyscale;
  let nodeRole: IRole;

  beforeAll(() => {
    const user = userApp((scope) => ({
      nodeRole: (nodeRole = Role.fromRoleName(scope, 'Nodes', 'platform-nodes')),
      tickRate: Duration.minutes(5),
      logLevel: ApplicationLogLevel.DEBUG,
      logRetention: RetentionDays.ONE_WEEK,
      alarmTopic: new Topic(scope, 'Operations', { enforceSSL: true }),
      interruptionQueue: new Queue(scope, 'KarpenterInterruptionQueue', {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        visibilityTimeout: Duration.minutes(1),
        deadLetterQueue: {
          maxReceiveCount: 3,
          queue: new Queue(scope, 'KarpenterDeadLetters', {
            encryption: QueueEncryption.SQS_MANAGED,
            enforceSSL: true,
          }),
        },
      }),
    }));
    // Act: synthesis fails on any unacknowledged cdk-nag finding.
    user.app.synth();
    stack = user.stack;
    skyscale = user.skyscale;
    template = Template.fromStack(stack);
  }, 120_000);

  it('reaches the cluster described by the ICluster from every function that calls it', () => {
    // Assess
    const functions = propertiesOf(template.findResources('AWS::Lambda::Function'));
    const reachingCluster = functions.filter(
      (fn) =>
        (fn['Environment'] as { Variables: Record<string, string> }).Variables['CLUSTER_ENDPOINT'],
    );
    expect(functions).toHaveLength(4);
    expect(reachingCluster).toHaveLength(3);
    for (const fn of reachingCluster)
      expect(fn['Environment']).toEqual({
        Variables: expect.objectContaining({
          CLUSTER_NAME: 'platform',
          CLUSTER_ENDPOINT: ENDPOINT,
          CLUSTER_CA_DATA: CA_DATA,
        }),
      });
    template.resourcePropertiesCountIs(
      'AWS::EKS::AccessEntry',
      { ClusterName: 'platform', KubernetesGroups: ['skyscale'] },
      3,
    );
    expect(skyscale.clusterName).toBe('platform');
  });

  it('logs at the given level and keeps the logs as long as asked', () => {
    // Assess
    template.resourcePropertiesCountIs(
      'AWS::Lambda::Function',
      { Environment: { Variables: Match.objectLike({ POWERTOOLS_LOG_LEVEL: 'DEBUG' }) } },
      4,
    );
    template.resourcePropertiesCountIs('AWS::Logs::LogGroup', { RetentionInDays: 7 }, 4);
  });

  it('passes only the given node role to EC2', () => {
    // Assess
    const passRole = propertiesOf(template.findResources('AWS::IAM::Policy'))
      .flatMap(
        (policy) => (policy['PolicyDocument'] as { Statement: { Sid?: string }[] }).Statement,
      )
      .filter(({ Sid }) => Sid === 'PassNodeRole');
    expect(passRole).toHaveLength(3);
    for (const statement of passRole)
      expect(statement).toMatchObject({ Resource: stack.resolve(nodeRole.roleArn) });
    expect(JSON.stringify(passRole[0])).toMatch(/:iam::111122223333:role\/platform-nodes"/);
  });

  it('ticks at the given rate, an event never outliving its period, and tells the tick its period', () => {
    // Assess
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(5 minutes)',
      Target: Match.objectLike({
        RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 300 },
      }),
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: 'skyscale-tick',
          TICK_PERIOD: '300s',
        }),
      },
    });
  });

  it('reads the dashboard and alarms of the cluster the ICluster names', () => {
    // Assess
    const alarms = propertiesOf(template.findResources('AWS::CloudWatch::Alarm'));
    const insights = alarms.flatMap((alarm) =>
      ((alarm['Metrics'] ?? []) as { Expression?: string }[]).flatMap(({ Expression }) =>
        Expression?.startsWith('SELECT') ? [Expression] : [],
      ),
    );
    expect(insights).toHaveLength(2);
    for (const query of insights) expect(query).toMatch(/ WHERE cluster = 'platform'$/);
  });

  it('consumes the brought interruption queue and creates no queue or rule of its own', () => {
    // Assess
    template.resourceCountIs('AWS::Events::Rule', 0);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: {
        'Fn::GetAtt': [Match.stringLikeRegexp('^KarpenterInterruptionQueue'), 'Arn'],
      },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(skyscale.interruption.createdQueue).toBeUndefined();
    // Its own two queues (signals and their dead letters) and the user's two.
    template.resourceCountIs('AWS::SQS::Queue', 4);
  });

  it('sends every alarm and its recovery to the topic', () => {
    // Assess
    const alarms = propertiesOf(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBe(skyscale.alarms.length);
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) {
      expect(alarm['AlarmActions']).toEqual([{ Ref: expect.stringMatching(/^Operations/) }]);
      expect(alarm['OKActions']).toEqual([{ Ref: expect.stringMatching(/^Operations/) }]);
    }
  });
});

describe('the Skyscale construct’s props', { timeout: 60_000 }, () => {
  const clusterProps = {
    clusterName: 'prod',
    clusterEndpoint: ENDPOINT,
    clusterCertificateAuthority: CA_DATA,
  };
  const construct = (props: SkyscaleProps) => () =>
    new Skyscale(
      new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Stack'),
      'Skyscale',
      props,
    );

  it('takes the cluster as name, endpoint and CA instead of an ICluster', () => {
    // Prepare
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Stack');

    // Act
    new Skyscale(stack, 'Skyscale', clusterProps);

    // Assess
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ CLUSTER_NAME: 'prod', CLUSTER_ENDPOINT: ENDPOINT }),
      },
    });
  });

  it.each<[string, SkyscaleProps, RegExp]>([
    ['no cluster', {}, /^Skyscale clusterName: required unless cluster is given$/],
    [
      'no CA',
      { clusterName: 'prod', clusterEndpoint: ENDPOINT },
      /^Skyscale clusterCertificateAuthority: required unless cluster is given$/,
    ],
    [
      'a plain-HTTP endpoint',
      { ...clusterProps, clusterEndpoint: 'http://prod.example.com' },
      /^Skyscale clusterEndpoint: must be an https:\/\/ URL$/,
    ],
    [
      'a bad Kubernetes version',
      { ...clusterProps, kubernetesVersion: '1.34.2' },
      /^Skyscale kubernetesVersion: must be MAJOR\.MINOR/,
    ],
    [
      'a tick rate that is not whole minutes',
      { ...clusterProps, tickRate: Duration.seconds(90) },
      /^Skyscale tickRate: must be whole minutes, at least one \(got 1 minute 30 seconds\)$/,
    ],
    [
      'a tick rate under a minute',
      { ...clusterProps, tickRate: Duration.seconds(30) },
      /^Skyscale tickRate: must be whole minutes/,
    ],
    [
      'a bad registration TTL',
      { ...clusterProps, registrationTtl: '15 minutes' },
      /^Skyscale registrationTtl: must be a duration/,
    ],
  ])('rejects %s, naming the prop', (_case, props, message) => {
    // Act / Assess
    expect(construct(props)).toThrow(message);
  });

  it('rejects a cluster given both ways', () => {
    // Prepare
    const stack = new Stack(new App(), 'Stack');
    const cluster = Cluster.fromClusterAttributes(stack, 'Cluster', {
      clusterName: 'prod',
      clusterEndpoint: ENDPOINT,
      clusterCertificateAuthorityData: CA_DATA,
    });

    // Act
    const create = () => new Skyscale(stack, 'Skyscale', { cluster, clusterName: 'other' });

    // Assess
    expect(create).toThrow(
      /^Skyscale clusterName: give either cluster or clusterName, clusterEndpoint and clusterCertificateAuthority, not both$/,
    );
  });
});
