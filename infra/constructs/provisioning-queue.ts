import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DEBOUNCE_IDLE_SECONDS } from '../../lib/webhook/constants.ts';

export interface ProvisioningQueueProps {
  /**
   * How long a received signal stays hidden: the consumer's timeout, which Lambda requires at
   * least. It matters only when the consumer dies; a failed run makes its messages visible again
   * after seconds.
   */
  readonly visibilityTimeout: Duration;
  /**
   * Deliveries before a message goes to the dead-letter queue.
   * @default 5
   */
  readonly maxReceiveCount?: number;
}

/**
 * The FIFO queue carrying the webhook's debounce signals to the provisioner, with a FIFO
 * dead-letter queue. One message group per cluster means SQS hands the signals to one consumer
 * at a time; the delivery delay holds each signal until its deduplication second is over, so the
 * run it starts sees every pod created in that second (see DEBOUNCE_IDLE_SECONDS).
 */
export class ProvisioningQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  /** In alarm while any message waits in the dead-letter queue. */
  readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: ProvisioningQueueProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      fifo: true,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'Queue', {
      fifo: true,
      contentBasedDeduplication: false,
      deliveryDelay: Duration.seconds(DEBOUNCE_IDLE_SECONDS),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // A signal older than this has been overtaken by later signals and the scheduled pass.
      retentionPeriod: Duration.hours(1),
      visibilityTimeout: props.visibilityTimeout,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 5 },
    });
    this.deadLetterAlarm = new Alarm(this, 'DeadLetterAlarm', {
      alarmDescription:
        'Provisioning signals that were not signals or kept failing: read them, then purge the queue.',
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
