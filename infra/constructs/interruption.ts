import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
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
}

/**
 * Interruption handling: the queue EventBridge feeds with EC2 and AWS Health events, and the
 * function consuming it in batches of ten with partial batch failures. The function deletes the
 * NodeClaims of interrupted instances, starts their drain and signals the provisioner, so it
 * has the cluster controller's permissions and may send to the signal queue.
 */
export class Interruption extends Construct {
  readonly queue: InterruptionQueue;
  readonly handler: SkyscaleFunction;

  constructor(scope: Construct, id: string, props: InterruptionProps) {
    super(scope, id);
    const timeout = Duration.seconds(INTERRUPTION_TIMEOUT_SECONDS);
    this.queue = new InterruptionQueue(this, 'Queue', {
      clusterName: props.clusterName,
      visibilityTimeout: timeout,
    });
    this.handler = clusterControllerFunction(this, {
      ...props,
      entry: 'functions/interruption/handler.ts',
      description: `Skyscale interruption handling of cluster ${props.clusterName}`,
      serviceName: 'skyscale-interruption',
      timeout,
      environment: { [ProvisionerEnvironment.signalQueueUrl]: props.signalQueue.queueUrl },
    });
    this.handler.function.addEventSource(
      new SqsEventSource(this.queue.queue, {
        batchSize: INTERRUPTION_BATCH_SIZE,
        reportBatchItemFailures: true,
      }),
    );
    props.signalQueue.grantSendMessages(this.handler.role);
  }
}
