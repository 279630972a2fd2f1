import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSkyscaleApp } from '../../../infra/skyscale-app.ts';
import type { Skyscale } from '../../../infra/skyscale.ts';
import { InterruptionEventPatterns } from '../../../lib/interruption/index.ts';

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Principal?: unknown;
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

// One synth (with every cdk-nag rule, which fails it on any unacknowledged finding) takes seconds.
describe('the interruption resources of the Skyscale construct', { timeout: 120_000 }, () => {
  let stack: Stack;
  let skyscale: Skyscale;
  let template: Template;
  let resources: Resources;
  const logicalId = (element: unknown): string =>
    stack.getLogicalId((element as { node: { defaultChild: CfnElement } }).node.defaultChild);

  const createdQueue = () => {
    const created = skyscale.interruption.createdQueue;
    if (!created) throw new Error('the app creates its interruption queue');
    return created;
  };

  beforeAll(() => {
    const app = createSkyscaleApp({
      outdir: mkdtempSync(join(tmpdir(), 'cdk-out-')),
      context: {
        'aws:cdk:bundling-stacks': [],
        clusterName: 'prod-1',
        clusterEndpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
        clusterCertificateAuthority: 'Q0EtREFUQQ==',
      },
    });
    app.synth();
    stack = app.node.findChild('Skyscale') as Stack;
    skyscale = stack.node.findChild('Skyscale') as Skyscale;
    template = Template.fromStack(stack);
    resources = template.toJSON().Resources as Resources;
  }, 120_000);

  it('keeps events 300 s on an encrypted queue with SSL enforced and a dead-letter queue after 3 receives', () => {
    // Prepare
    const queueId = logicalId(skyscale.interruption.queue);
    const deadLetterId = logicalId(createdQueue().deadLetterQueue);

    // Assess
    expect(resources[queueId]?.Properties).toEqual({
      MessageRetentionPeriod: 300,
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 60,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterId, 'Arn'] },
        maxReceiveCount: 3,
      },
      Tags: [{ Key: 'skyscale:cluster', Value: 'prod-1' }],
    });
    expect(resources[deadLetterId]?.Properties).toMatchObject({ SqsManagedSseEnabled: true });
  });

  it('has one rule per shared pattern, each sending to the queue', () => {
    // Prepare
    const queueId = logicalId(skyscale.interruption.queue);
    const rules = Object.values(resources).filter(({ Type }) => Type === 'AWS::Events::Rule');

    // Assess
    expect(rules.map(({ Properties }) => Properties['EventPattern'])).toEqual(
      Object.values(InterruptionEventPatterns),
    );
    for (const { Properties } of rules)
      expect(Properties['Targets']).toEqual([
        { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] }, Id: 'Target0' },
      ]);
    expect(rules.map(({ Properties }) => Properties['EventPattern'])).toContainEqual({
      source: ['aws.health'],
      'detail-type': ['AWS Health Event'],
      detail: { service: ['EC2'], eventTypeCategory: ['scheduledChange'] },
    });
    expect(rules).toHaveLength(5);
  });

  it('lets only EventBridge send to the queue, and only from the stack’s own five rules', () => {
    // Prepare
    const queueId = logicalId(skyscale.interruption.queue);
    const policy = Object.values(resources).find(
      ({ Type, Properties }) =>
        Type === 'AWS::SQS::QueuePolicy' &&
        JSON.stringify(Properties['Queues']) === JSON.stringify([{ Ref: queueId }]),
    );
    const statements = (policy?.Properties['PolicyDocument'] as { Statement: Statement[] })
      .Statement;
    const ruleArns = createdQueue().rules.map((rule) => ({
      'Fn::GetAtt': [logicalId(rule), 'Arn'],
    }));

    // Assess
    expect(statements.filter(({ Effect }) => Effect === 'Allow')).toEqual([
      {
        Sid: 'InterruptionRulesOnly',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: { 'Fn::GetAtt': [queueId, 'Arn'] },
        Condition: { ArnEquals: { 'aws:SourceArn': ruleArns } },
      },
    ]);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  });

  it('consumes the queue in batches of 10 with partial batch failures', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      EventSourceArn: { 'Fn::GetAtt': [logicalId(skyscale.interruption.queue), 'Arn'] },
      FunctionName: { Ref: Match.stringLikeRegexp('^SkyscaleInterruptionHandlerFunction') },
    });
  });

  it('runs one invocation at a time within the queue’s visibility timeout, signalling the provisioner', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: 1,
      Timeout: 60,
      Environment: {
        Variables: Match.objectLike({
          CLUSTER_NAME: 'prod-1',
          POWERTOOLS_SERVICE_NAME: 'skyscale-interruption',
          PROVISIONING_QUEUE_URL: { Ref: logicalId(skyscale.signalQueue.queue) },
        }),
      },
    });
  });

  it('grants the function only its queue, the signal queue and the controller’s EC2 permissions', () => {
    // Prepare
    const roleId = stack.getLogicalId(
      skyscale.interruption.handler.role.node.defaultChild as CfnRole,
    );
    const statements = Object.values(
      template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }),
    ).flatMap(
      (policy) =>
        (policy as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties
          .PolicyDocument.Statement,
    );
    const tickRoleId = stack.getLogicalId(skyscale.tick.handler.role.node.defaultChild as CfnRole);
    const tickSids = Object.values(
      template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: tickRoleId }] } }),
    ).flatMap(
      (policy) =>
        (policy as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties
          .PolicyDocument.Statement,
    );
    const sqsResources = statements
      .filter(({ Action }) => [Action].flat().some((action) => action.startsWith('sqs:')))
      .map(({ Resource }) => Resource);

    // Assess
    expect(sqsResources).toEqual(
      expect.arrayContaining([
        { 'Fn::GetAtt': [logicalId(skyscale.interruption.queue), 'Arn'] },
        { 'Fn::GetAtt': [logicalId(skyscale.signalQueue.queue), 'Arn'] },
      ]),
    );
    expect(sqsResources).toHaveLength(2);
    expect(statements.flatMap(({ Sid }) => Sid ?? [])).toEqual(
      tickSids.flatMap(({ Sid }) => Sid ?? []),
    );
    template.hasResourceProperties('AWS::EKS::AccessEntry', {
      KubernetesGroups: ['skyscale'],
      PrincipalArn: {
        'Fn::GetAtt': [Match.stringLikeRegexp('^SkyscaleInterruptionHandlerRole'), 'Arn'],
      },
    });
    template.hasOutput('InterruptionRoleArn', {});
  });
});
