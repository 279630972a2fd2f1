import { CfnOutput, Duration, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { DEFAULT_KUBERNETES_GROUP } from '../lib/cli/install/constants.ts';
import { Interruption } from './constructs/interruption.ts';
import { Provisioner } from './constructs/provisioner.ts';
import { ProvisioningQueue } from './constructs/provisioning-queue.ts';
import { Tick } from './constructs/tick.ts';
import { WebhookEndpoint } from './constructs/webhook-endpoint.ts';

export interface SkyscaleStackProps extends StackProps {
  /**
   * Name of the EKS cluster Skyscale scales. Every resource is tagged with it, and the IAM
   * conditions require it on everything Skyscale creates in EC2.
   * @default 'my-cluster'
   */
  readonly clusterName?: string;
  /** The cluster's API server endpoint (`aws eks describe-cluster … endpoint`), `https://…`. */
  readonly clusterEndpoint: string;
  /** The cluster's CA bundle, base64-encoded as `describe-cluster` returns it. */
  readonly clusterCertificateAuthority: string;
  /**
   * The cluster's service CIDR (nodes derive the cluster DNS address from it).
   * @default '10.100.0.0/16'
   */
  readonly clusterServiceCidr?: string;
  /**
   * The cluster's Kubernetes version, MAJOR.MINOR; picks the EKS-optimized AMIs.
   * @default '1.34'
   */
  readonly kubernetesVersion?: string;
  /**
   * The IAM role the nodes run as; the provisioner may pass only this role to EC2.
   * @default `arn:<partition>:iam::<account>:role/KarpenterNodeRole-<clusterName>`
   */
  readonly nodeRoleArn?: string;
  /**
   * The Kubernetes group the provisioner role's EKS access entry maps to; `skyscale install
   * --group` binds Skyscale's ClusterRole to it.
   * @default 'skyscale'
   */
  readonly kubernetesGroup?: string;
  /**
   * Whether to create the EKS access entry. Turn it off for clusters that still authenticate
   * through the aws-auth ConfigMap (map the ProvisionerRoleArn output to the group there).
   * @default true
   */
  readonly createAccessEntry?: boolean;
  /**
   * Lambda timeout of the provisioner; a run plans and launches within it.
   * @default Duration.minutes(2)
   */
  readonly provisionerTimeout?: Duration;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /**
   * How long a launched NodeClaim may take to register before the tick replaces it (a duration).
   * @default Karpenter's 15m
   */
  readonly registrationTtl?: string;
}

export const DEFAULT_CLUSTER_NAME = 'my-cluster';
export const CLUSTER_TAG = 'skyscale:cluster';

/**
 * Skyscale's AWS resources: the pod-pending webhook, the signal queue, the provisioner, the tick,
 * and interruption handling (EventBridge rules, their queue and its consumer).
 */
export class SkyscaleStack extends Stack {
  readonly clusterName: string;
  readonly webhook: WebhookEndpoint;
  readonly provisioner: Provisioner;
  readonly signalQueue: ProvisioningQueue;
  readonly tick: Tick;
  readonly interruption: Interruption;

  constructor(scope: Construct, id: string, props: SkyscaleStackProps) {
    super(scope, id, props);
    this.clusterName = props.clusterName ?? DEFAULT_CLUSTER_NAME;
    Tags.of(this).add(CLUSTER_TAG, this.clusterName);

    const provisionerTimeout = props.provisionerTimeout ?? Duration.minutes(2);
    this.signalQueue = new ProvisioningQueue(this, 'ProvisioningQueue', {
      visibilityTimeout: provisionerTimeout,
    });
    this.webhook = new WebhookEndpoint(this, 'Webhook', {
      clusterName: this.clusterName,
      signalQueue: this.signalQueue.queue,
      logRetention: props.logRetention,
    });
    const clusterAccess = {
      clusterName: this.clusterName,
      clusterEndpoint: props.clusterEndpoint,
      clusterCertificateAuthority: props.clusterCertificateAuthority,
      clusterServiceCidr: props.clusterServiceCidr ?? '10.100.0.0/16',
      kubernetesVersion: props.kubernetesVersion ?? '1.34',
      nodeRoleArn:
        props.nodeRoleArn ??
        this.formatArn({
          service: 'iam',
          region: '',
          resource: 'role',
          resourceName: `KarpenterNodeRole-${this.clusterName}`,
        }),
      kubernetesGroup: props.kubernetesGroup ?? DEFAULT_KUBERNETES_GROUP,
      createAccessEntry: props.createAccessEntry ?? true,
      logRetention: props.logRetention ?? RetentionDays.ONE_MONTH,
    };
    this.provisioner = new Provisioner(this, 'Provisioner', {
      ...clusterAccess,
      signalQueue: this.signalQueue.queue,
      deadLetterQueue: this.signalQueue.deadLetterQueue,
      timeout: provisionerTimeout,
    });
    this.tick = new Tick(this, 'Tick', {
      ...clusterAccess,
      registrationTtl: props.registrationTtl,
    });
    this.interruption = new Interruption(this, 'Interruption', {
      ...clusterAccess,
      signalQueue: this.signalQueue.queue,
    });

    new CfnOutput(this, 'WebhookUrl', {
      description: 'skyscale install --webhook-url',
      value: this.webhook.url.url,
    });
    new CfnOutput(this, 'WebhookSecretArn', {
      description: 'the secret for skyscale install (aws secretsmanager get-secret-value)',
      value: this.webhook.secret.secretArn,
    });
    new CfnOutput(this, 'ProvisionerRoleArn', {
      description: 'a role the cluster must grant access (EKS access entry)',
      value: this.provisioner.handler.role.roleArn,
    });
    new CfnOutput(this, 'TickRoleArn', {
      description: 'a role the cluster must grant access (EKS access entry)',
      value: this.tick.handler.role.roleArn,
    });
    new CfnOutput(this, 'InterruptionRoleArn', {
      description: 'a role the cluster must grant access (EKS access entry)',
      value: this.interruption.handler.role.roleArn,
    });
    new CfnOutput(this, 'InterruptionQueueUrl', {
      description: 'the queue EventBridge feeds with EC2 and AWS Health events',
      value: this.interruption.queue.queue.queueUrl,
    });
  }
}
