import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Rule } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  INTERRUPTION_MAX_RECEIVE_COUNT,
  INTERRUPTION_QUEUE_RETENTION_SECONDS,
  InterruptionEventPatterns,
} from '../../lib/interruption/constants.ts';

export interface InterruptionQueueProps {
  /** Whose events these are; named in the rules' descriptions. */
  readonly clusterName: string;
  /** How long a received message stays hidden: the consumer's timeout, which Lambda requires at least. */
  readonly visibilityTimeout: Duration;
}

/** `spotInterruption` → `SpotInterruption`, a construct ID. */
const constructId = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);

/**
 * The interruption queue and what feeds it: one EventBridge rule per interruption pattern, each
 * targeting the queue. The queue is encrypted (SQS-managed keys, which EventBridge can use),
 * keeps messages 300 s (an older event is stale), rejects plain HTTP, and its policy lets only
 * these rules send, each by its `aws:SourceArn`. A message failing `maxReceiveCount` times goes
 * to the dead-letter queue, whose alarm fires on the first message.
 */
export class InterruptionQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm: Alarm;
  readonly rules: readonly Rule[];

  constructor(scope: Construct, id: string, props: InterruptionQueueProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.seconds(INTERRUPTION_QUEUE_RETENTION_SECONDS),
      visibilityTimeout: props.visibilityTimeout,
      deadLetterQueue: {
        queue: this.deadLetterQueue,
        maxReceiveCount: INTERRUPTION_MAX_RECEIVE_COUNT,
      },
    });
    this.rules = Object.entries(InterruptionEventPatterns).map(([name, pattern]) => {
      const rule = new Rule(this, `${constructId(name)}Rule`, {
        description: `Skyscale: ${pattern['detail-type'][0]} events for cluster ${props.clusterName}`,
        eventPattern: {
          source: [...pattern.source],
          detailType: [...pattern['detail-type']],
          ...('detail' in pattern && {
            detail: Object.fromEntries(
              Object.entries(pattern.detail).map(([field, values]) => [field, [...values]]),
            ),
          }),
        },
      });
      // The queue's policy below is the target's only grant (an SqsQueue target would add its own).
      rule.addTarget({ bind: () => ({ arn: this.queue.queueArn }) });
      return rule;
    });
    this.queue.addToResourcePolicy(
      new PolicyStatement({
        sid: 'InterruptionRulesOnly',
        principals: [new ServicePrincipal('events.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [this.queue.queueArn],
        conditions: { ArnEquals: { 'aws:SourceArn': this.rules.map((rule) => rule.ruleArn) } },
      }),
    );
    this.deadLetterAlarm = new Alarm(this, 'DeadLetterAlarm', {
      alarmDescription:
        'Interruption messages that were not interruption events or kept failing: read them, then purge the queue.',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
