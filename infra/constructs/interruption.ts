import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FunctionServices } from '../../lib/metrics/constants.ts';
import {
  INTERRUPTION_BATCH_SIZE,
  INTERRUPTION_TIMEOUT_SECONDS,
} from '../../lib/interruption/constants.ts';
import { ProvisionerEnvironment } from '../../lib/provisioning/constants.ts';
import { clusterControllerFunction, type ClusterAccessProps } from './cluster-controller.ts';
import { InterruptionQueue } from './interruption-queue.ts';
import type { SkyscaleFunction } from './skyscale-function.ts';

export interface InterruptionProps extends ClusterAccessProps {
  /** Where the function asks for replacements. */
  readonly signalQueue: IQueue;
  /**
   * An interruption queue that EventBridge already feeds (Karpenter's, for one): the function
   * consumes it and no queue or rule is created. Its visibility timeout must be at least the
   * function's timeout (INTERRUPTION_TIMEOUT_SECONDS).
   * @default a queue fed by one EventBridge rule per interruption event
   */
  readonly queue?: IQueue;
}

/**
 * Interruption handling: the queue EventBridge feeds with EC2 and AWS Health events (created, or
 * brought), and the function consuming it in batches of ten with partial batch failures. The function deletes the
 * NodeClaims of interrupted instances, starts their drain and signals the provisioner, so it
 * has the cluster controller's permissions and may send to the signal queue.
 */
export class Interruption extends Construct {
  /** The queue the function consumes. */
  readonly queue: IQueue;
  /** The queue and rules created when none was brought. */
  readonly createdQueue?: InterruptionQueue;
  readonly handler: SkyscaleFunction;

  constructor(scope: Construct, id: string, props: InterruptionProps) {
    super(scope, id);
    const timeout = Duration.seconds(INTERRUPTION_TIMEOUT_SECONDS);
    if (props.queue) {
      this.queue = props.queue;
    } else {
      this.createdQueue = new InterruptionQueue(this, 'Queue', {
        clusterName: props.clusterName,
        visibilityTimeout: timeout,
      });
      this.queue = this.createdQueue.queue;
    }
    this.handler = clusterControllerFunction(this, {
      ...props,
      entry: 'interruption/handler.ts',
      description: `Skyscale interruption handling of cluster ${props.clusterName}`,
      serviceName: FunctionServices.interruption,
      timeout,
      environment: { [ProvisionerEnvironment.signalQueueUrl]: props.signalQueue.queueUrl },
    });
    this.handler.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: INTERRUPTION_BATCH_SIZE,
        reportBatchItemFailures: true,
      }),
    );
    props.signalQueue.grantSendMessages(this.handler.role);
  }
}
