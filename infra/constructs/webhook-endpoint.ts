import { Duration, Validations } from 'aws-cdk-lib';
import { FunctionUrlAuthType, type FunctionUrl } from 'aws-cdk-lib/aws-lambda';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FunctionServices } from '../../lib/metrics/constants.ts';
import { KubeEnvironment } from '../../lib/kube/constants.ts';
import { WebhookEnvironment } from '../../lib/webhook/constants.ts';
import { SkyscaleFunction, type FunctionLoggingProps } from './skyscale-function.ts';

export interface WebhookEndpointProps extends FunctionLoggingProps {
  readonly clusterName: string;
  /** Where the webhook sends its debounce signals. */
  readonly signalQueue: IQueue;
  /**
   * The most webhook invocations at once; beyond it the apiserver's calls are throttled (and,
   * with failurePolicy Ignore, Pods are created without a signal: the scheduled pass catches up).
   * @default 10
   */
  readonly reservedConcurrency?: number;
}

const DEFAULT_WEBHOOK_CONCURRENCY = 10;

/**
 * The pod-pending webhook: a Lambda Function URL the cluster's MutatingWebhookConfiguration
 * calls, and the generated secret that authenticates the calls.
 *
 * The URL's auth type is NONE because the caller is the EKS control plane, which cannot sign
 * requests with SigV4 (AWS_IAM). Instead the handler requires the shared secret in the URL path
 * (webhook URLs may carry neither a query string nor user info), compares it in constant time and
 * answers 401 otherwise; it only ever enqueues a deduplicated signal, so an attacker with the
 * secret could at most trigger extra provisioning passes.
 */
export class WebhookEndpoint extends Construct {
  readonly handler: SkyscaleFunction;
  readonly url: FunctionUrl;
  readonly secret: Secret;

  constructor(scope: Construct, id: string, props: WebhookEndpointProps) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      description: `Shared secret in the path of the Skyscale webhook URL of cluster ${props.clusterName}`,
      generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The secret is also written into the cluster’s MutatingWebhookConfiguration URL by `skyscale install`; rotating it means re-running install, so rotation is a manual, coordinated step (the handler re-reads the secret every 5 minutes).',
    });
    this.handler = new SkyscaleFunction(this, 'Handler', {
      entry: 'pod-pending/handler.ts',
      description: `Skyscale pod-pending webhook of cluster ${props.clusterName}`,
      // The apiserver gives up after the webhook's timeoutSeconds; answering later is pointless.
      timeout: Duration.seconds(5),
      memorySize: 256,
      // The URL is public: a flood of requests must not take the account's whole concurrency.
      reservedConcurrentExecutions: props.reservedConcurrency ?? DEFAULT_WEBHOOK_CONCURRENCY,
      logRetention: props.logRetention,
      logLevel: props.logLevel,
      environment: {
        [KubeEnvironment.clusterName]: props.clusterName,
        [WebhookEnvironment.signalQueueUrl]: props.signalQueue.queueUrl,
        [WebhookEnvironment.secretArn]: this.secret.secretArn,
        POWERTOOLS_SERVICE_NAME: FunctionServices.webhook,
      },
    });
    this.secret.grantRead(this.handler.role);
    props.signalQueue.grantSendMessages(this.handler.role);
    this.url = this.handler.function.addFunctionUrl({ authType: FunctionUrlAuthType.NONE });
  }
}
