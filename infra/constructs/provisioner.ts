import { Duration, Stack } from 'aws-cdk-lib';
import { CfnAccessEntry } from 'aws-cdk-lib/aws-eks';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { KubeEnvironment } from '../../lib/kube/constants.ts';
import { ProvisionerEnvironment } from '../../lib/provisioning/constants.ts';
import { controllerPermissions } from './controller-permissions.ts';
import { acknowledgeWildcardResources } from './nag-acknowledgements.ts';
import { SkyscaleFunction } from './skyscale-function.ts';

export interface ProvisionerProps {
  readonly clusterName: string;
  readonly clusterEndpoint: string;
  readonly clusterCertificateAuthority: string;
  readonly clusterServiceCidr: string;
  readonly kubernetesVersion: string;
  readonly nodeRoleArn: string;
  readonly signalQueue: IQueue;
  /** Where the provisioner moves messages that are not signals. */
  readonly deadLetterQueue: IQueue;
  /** The Kubernetes group of the role's EKS access entry. */
  readonly kubernetesGroup: string;
  readonly createAccessEntry: boolean;
  readonly timeout: Duration;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
}

/**
 * The provisioning function: consumes the debounce signals and runs provisioning passes. Reserved
 * concurrency 1 and the single FIFO message group keep to one run at a time per cluster (the
 * Lease lock guards against the other functions and the CLI).
 */
export class Provisioner extends Construct {
  readonly handler: SkyscaleFunction;

  constructor(scope: Construct, id: string, props: ProvisionerProps) {
    super(scope, id);
    this.handler = new SkyscaleFunction(this, 'Handler', {
      entry: 'functions/provisioner/handler.ts',
      description: `Skyscale provisioner of cluster ${props.clusterName}`,
      timeout: props.timeout,
      // One full vCPU for the scheduler (Lambda allots a vCPU per 1,769 MB).
      memorySize: 1769,
      reservedConcurrentExecutions: 1,
      logRetention: props.logRetention,
      environment: {
        [KubeEnvironment.clusterName]: props.clusterName,
        [KubeEnvironment.clusterEndpoint]: props.clusterEndpoint,
        [KubeEnvironment.clusterCaData]: props.clusterCertificateAuthority,
        [ProvisionerEnvironment.clusterServiceCidr]: props.clusterServiceCidr,
        [ProvisionerEnvironment.kubernetesVersion]: props.kubernetesVersion,
        [ProvisionerEnvironment.signalQueueUrl]: props.signalQueue.queueUrl,
        [ProvisionerEnvironment.deadLetterQueueUrl]: props.deadLetterQueue.queueUrl,
        POWERTOOLS_SERVICE_NAME: 'skyscale-provisioner',
      },
    });
    for (const { statement, wildcardReason } of controllerPermissions(Stack.of(this), props)) {
      this.handler.role.addToPrincipalPolicy(statement);
      if (wildcardReason)
        acknowledgeWildcardResources(this.handler.role, statement, wildcardReason);
    }
    props.deadLetterQueue.grantSendMessages(this.handler.role);
    this.handler.function.addEventSource(
      new SqsEventSource(props.signalQueue, { batchSize: 10, reportBatchItemFailures: true }),
    );
    if (props.createAccessEntry) {
      new CfnAccessEntry(this, 'AccessEntry', {
        clusterName: props.clusterName,
        principalArn: this.handler.role.roleArn,
        kubernetesGroups: [props.kubernetesGroup],
        type: 'STANDARD',
      });
    }
  }
}
