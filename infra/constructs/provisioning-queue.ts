import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DEBOUNCE_IDLE_SECONDS } from '../../lib/webhook/constants.ts';

export interface ProvisioningQueueProps {
  /** How long a received signal stays hidden; at least the consumer's timeout. */
  readonly visibilityTimeout: Duration;
  /**
   * Deliveries before a message goes to the dead-letter queue.
   * @default 3
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
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 3 },
    });
  }
}
