import { Duration, Tags, Token } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ICluster } from 'aws-cdk-lib/aws-eks';
import { Role, type IRole } from 'aws-cdk-lib/aws-iam';
import type { ApplicationLogLevel } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { z } from 'zod';
import { DEFAULT_KUBERNETES_GROUP } from '../lib/cli/install/constants.ts';
import { TICK_PERIOD_SECONDS } from '../lib/tick/constants.ts';
import type { ClusterAccessProps } from './constructs/cluster-controller.ts';
import { Interruption } from './constructs/interruption.ts';
import { Observability } from './constructs/observability.ts';
import { Provisioner } from './constructs/provisioner.ts';
import { ProvisioningQueue } from './constructs/provisioning-queue.ts';
import { Tick } from './constructs/tick.ts';
import { WebhookEndpoint } from './constructs/webhook-endpoint.ts';
import {
  CertificateAuthoritySchema,
  ClusterEndpointSchema,
  ClusterNameSchema,
  DEFAULT_KUBERNETES_VERSION,
  DEFAULT_SERVICE_CIDR,
  defaultNodeRoleName,
  KubernetesVersionSchema,
  RegistrationTtlSchema,
  ServiceCidrSchema,
} from './skyscale-settings.ts';

export interface SkyscaleProps {
  /**
   * The EKS cluster Skyscale scales; an imported one needs its endpoint and CA data
   * (`Cluster.fromClusterAttributes(…, { clusterName, clusterEndpoint,
   * clusterCertificateAuthorityData })`). Give either this or the three `cluster…` values.
   * @default - `clusterName`, `clusterEndpoint` and `clusterCertificateAuthority` describe it
   */
  readonly cluster?: ICluster;
  /**
   * Name of the EKS cluster. Every resource is tagged with it, and the IAM conditions require it
   * on everything Skyscale creates in EC2.
   * @default - the name of `cluster`
   */
  readonly clusterName?: string;
  /**
   * The cluster's API server endpoint (`aws eks describe-cluster … endpoint`), `https://…`.
   * @default - the endpoint of `cluster`
   */
  readonly clusterEndpoint?: string;
  /**
   * The cluster's CA bundle, base64-encoded as `describe-cluster` returns it.
   * @default - the CA data of `cluster`
   */
  readonly clusterCertificateAuthority?: string;
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
   * The IAM role the nodes run as; the functions may pass only this role to EC2.
   * @default - the role `KarpenterNodeRole-<clusterName>` of the stack's account
   */
  readonly nodeRole?: IRole;
  /**
   * The Kubernetes group the functions' EKS access entries map to; `skyscale install --group`
   * binds Skyscale's ClusterRole to it.
   * @default 'skyscale'
   */
  readonly kubernetesGroup?: string;
  /**
   * Whether to create the EKS access entries. Turn it off for clusters that still authenticate
   * through the aws-auth ConfigMap (map `controllerRoles` to the group there).
   * @default true
   */
  readonly createAccessEntry?: boolean;
  /**
   * How often the tick runs (lifecycle, disruption, garbage collection and the safety-net
   * provisioning pass), in whole minutes.
   * @default Duration.minutes(1)
   */
  readonly tickRate?: Duration;
  /**
   * An interruption queue EventBridge already feeds with EC2 and AWS Health events (for
   * instance Karpenter's); its visibility timeout must be at least 60 seconds.
   * @default - a queue and one EventBridge rule per interruption event are created
   */
  readonly interruptionQueue?: IQueue;
  /**
   * Lambda timeout of the provisioner; a run plans and launches within it.
   * @default Duration.minutes(2)
   */
  readonly provisionerTimeout?: Duration;
  /**
   * How long a launched NodeClaim may take to register before the tick replaces it (a duration
   * such as `15m`).
   * @default '15m', Karpenter's
   */
  readonly registrationTtl?: string;
  /**
   * The functions' log level.
   * @default ApplicationLogLevel.INFO
   */
  readonly logLevel?: ApplicationLogLevel;
  /**
   * How long the functions' logs are kept.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
  /**
   * How long the oldest pending pod may wait for a node before its alarm fires.
   * @default Duration.minutes(10)
   */
  readonly pendingPodAlarmAge?: Duration;
  /**
   * Where the alarms notify when they fire and when they recover.
   * @default - the alarms notify no one
   */
  readonly alarmTopic?: ITopic;
}

/** The tag every Skyscale resource carries, naming its cluster. */
export const CLUSTER_TAG = 'skyscale:cluster';

/** A prop `Skyscale` cannot use, named with what it must be. */
export class InvalidSkyscalePropsError extends Error {
  override readonly name = 'InvalidSkyscalePropsError';
}

/** Checks a prop against its rule unless it is a token, which is known only at deploy time. */
function check<T extends string | undefined>(prop: string, schema: z.ZodType, value: T): T {
  if (value === undefined || Token.isUnresolved(value)) return value;
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new InvalidSkyscalePropsError(`Skyscale ${prop}: ${parsed.error.issues[0]?.message}`);
  return value;
}

function clusterAttributes(props: SkyscaleProps): {
  name: string;
  endpoint: string;
  certificateAuthority: string;
} {
  const given = (['clusterName', 'clusterEndpoint', 'clusterCertificateAuthority'] as const).filter(
    (prop) => props[prop] !== undefined,
  );
  if (props.cluster) {
    if (given.length > 0)
      throw new InvalidSkyscalePropsError(
        `Skyscale ${given[0]}: give either cluster or clusterName, clusterEndpoint and clusterCertificateAuthority, not both`,
      );
    return {
      name: props.cluster.clusterName,
      endpoint: props.cluster.clusterEndpoint,
      certificateAuthority: props.cluster.clusterCertificateAuthorityData,
    };
  }
  const { clusterName, clusterEndpoint, clusterCertificateAuthority } = props;
  if (clusterName === undefined || clusterEndpoint === undefined || !clusterCertificateAuthority) {
    const missing =
      clusterName === undefined
        ? 'clusterName'
        : clusterEndpoint === undefined
          ? 'clusterEndpoint'
          : 'clusterCertificateAuthority';
    throw new InvalidSkyscalePropsError(`Skyscale ${missing}: required unless cluster is given`);
  }
  return {
    name: check('clusterName', ClusterNameSchema, clusterName),
    endpoint: check('clusterEndpoint', ClusterEndpointSchema, clusterEndpoint),
    certificateAuthority: check(
      'clusterCertificateAuthority',
      CertificateAuthoritySchema,
      clusterCertificateAuthority,
    ),
  };
}

function tickRate(props: SkyscaleProps): Duration {
  const rate = props.tickRate ?? Duration.seconds(TICK_PERIOD_SECONDS);
  const seconds = rate.toSeconds();
  if (seconds < 60 || seconds % 60 !== 0)
    throw new InvalidSkyscalePropsError(
      `Skyscale tickRate: must be whole minutes, at least one (got ${rate.toHumanString()})`,
    );
  return rate;
}

/**
 * Skyscale: a serverless, Karpenter-compatible node autoscaler for an EKS cluster. It creates the
 * pod-pending webhook (a Function URL and its secret), the signal queue and the provisioner, the
 * tick on its schedule, and interruption handling (EventBridge rules, their queue and its
 * consumer), each function with least-privilege IAM and an EKS access entry, and a CloudWatch
 * dashboard with alarms on Skyscale's metrics.
 *
 * After deploying, `skyscale install` applies the Kubernetes side: give it `webhookUrl` and the
 * value of `webhookSecret`.
 *
 * @example
 * const cluster = Cluster.fromClusterAttributes(this, 'Cluster', {
 *   clusterName: 'prod',
 *   clusterEndpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
 *   clusterCertificateAuthorityData: 'LS0tLS1CRUdJTi…',
 * });
 * new Skyscale(this, 'Skyscale', { cluster, alarmTopic: operations });
 */
export class Skyscale extends Construct {
  readonly clusterName: string;
  readonly webhook: WebhookEndpoint;
  readonly provisioner: Provisioner;
  readonly signalQueue: ProvisioningQueue;
  readonly tick: Tick;
  readonly interruption: Interruption;
  /** The dashboard and the alarms on Skyscale's metrics. */
  readonly observability: Observability;
  /** Every alarm Skyscale raises; each notifies `alarmTopic` when given. */
  readonly alarms: readonly Alarm[];

  constructor(scope: Construct, id: string, props: SkyscaleProps) {
    super(scope, id);
    const cluster = clusterAttributes(props);
    this.clusterName = cluster.name;
    Tags.of(this).add(CLUSTER_TAG, this.clusterName);

    const provisionerTimeout = props.provisionerTimeout ?? Duration.minutes(2);
    const logging = { logRetention: props.logRetention, logLevel: props.logLevel };
    this.signalQueue = new ProvisioningQueue(this, 'ProvisioningQueue', {
      visibilityTimeout: provisionerTimeout,
    });
    this.webhook = new WebhookEndpoint(this, 'Webhook', {
      ...logging,
      clusterName: this.clusterName,
      signalQueue: this.signalQueue.queue,
    });
    const clusterAccess: ClusterAccessProps = {
      ...logging,
      clusterName: this.clusterName,
      clusterEndpoint: cluster.endpoint,
      clusterCertificateAuthority: cluster.certificateAuthority,
      clusterServiceCidr: check(
        'clusterServiceCidr',
        ServiceCidrSchema,
        props.clusterServiceCidr ?? DEFAULT_SERVICE_CIDR,
      ),
      kubernetesVersion: check(
        'kubernetesVersion',
        KubernetesVersionSchema,
        props.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION,
      ),
      nodeRoleArn: (
        props.nodeRole ?? Role.fromRoleName(this, 'NodeRole', defaultNodeRoleName(this.clusterName))
      ).roleArn,
      kubernetesGroup: props.kubernetesGroup ?? DEFAULT_KUBERNETES_GROUP,
      createAccessEntry: props.createAccessEntry ?? true,
    };
    this.provisioner = new Provisioner(this, 'Provisioner', {
      ...clusterAccess,
      signalQueue: this.signalQueue.queue,
      deadLetterQueue: this.signalQueue.deadLetterQueue,
      timeout: provisionerTimeout,
    });
    this.tick = new Tick(this, 'Tick', {
      ...clusterAccess,
      rate: tickRate(props),
      registrationTtl: check('registrationTtl', RegistrationTtlSchema, props.registrationTtl),
    });
    this.interruption = new Interruption(this, 'Interruption', {
      ...clusterAccess,
      signalQueue: this.signalQueue.queue,
      queue: props.interruptionQueue,
    });

    this.observability = new Observability(this, 'Observability', {
      clusterName: this.clusterName,
      dashboardName: Token.isUnresolved(this.clusterName)
        ? undefined
        : `Skyscale-${this.clusterName}`,
      pendingPodAlarmAge: props.pendingPodAlarmAge ?? Duration.minutes(10),
    });
    this.alarms = [
      this.signalQueue.deadLetterAlarm,
      ...(this.interruption.createdQueue ? [this.interruption.createdQueue.deadLetterAlarm] : []),
      ...this.observability.alarms,
    ];
    if (props.alarmTopic) {
      const action = new SnsAction(props.alarmTopic);
      for (const alarm of this.alarms) {
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
      }
    }
  }

  /** The URL to give `skyscale install --webhook-url`. */
  get webhookUrl(): string {
    return this.webhook.url.url;
  }

  /** The secret whose value `skyscale install --secret-file` reads. */
  get webhookSecret(): WebhookEndpoint['secret'] {
    return this.webhook.secret;
  }

  /** The roles that reach the cluster, which its access entries (or aws-auth) map to the group. */
  get controllerRoles(): readonly IRole[] {
    return [this.provisioner.handler.role, this.tick.handler.role, this.interruption.handler.role];
  }
}
