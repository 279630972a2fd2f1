import type { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FunctionServices } from '../../lib/metrics/constants.ts';
import { ProvisionerEnvironment } from '../../lib/provisioning/constants.ts';
import { clusterControllerFunction, type ClusterAccessProps } from './cluster-controller.ts';
import type { SkyscaleFunction } from './skyscale-function.ts';

export interface ProvisionerProps extends ClusterAccessProps {
  readonly signalQueue: IQueue;
  /** Where the provisioner moves messages that are not signals. */
  readonly deadLetterQueue: IQueue;
  readonly timeout: Duration;
}

/**
 * The provisioning function: consumes the debounce signals and runs provisioning passes, and
 * signals itself again when a pass leaves work behind. Reserved concurrency 1 and the single FIFO
 * message group keep to one run at a time per cluster (the Lease lock guards against the other
 * functions and the CLI).
 */
export class Provisioner extends Construct {
  readonly handler: SkyscaleFunction;

  constructor(scope: Construct, id: string, props: ProvisionerProps) {
    super(scope, id);
    this.handler = clusterControllerFunction(this, {
      ...props,
      entry: 'provisioner/handler.ts',
      description: `Skyscale provisioner of cluster ${props.clusterName}`,
      serviceName: FunctionServices.provisioner,
      environment: {
        [ProvisionerEnvironment.signalQueueUrl]: props.signalQueue.queueUrl,
        [ProvisionerEnvironment.deadLetterQueueUrl]: props.deadLetterQueue.queueUrl,
      },
    });
    props.deadLetterQueue.grantSendMessages(this.handler.role);
    this.handler.function.addEventSource(
      new SqsEventSource(props.signalQueue, { batchSize: 10, reportBatchItemFailures: true }),
    );
    props.signalQueue.grantSendMessages(this.handler.role);
  }
}
