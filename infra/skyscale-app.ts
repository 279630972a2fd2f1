import { App, CfnOutput, Duration, Stack, Validations, type AppProps } from 'aws-cdk-lib';
import { Role } from 'aws-cdk-lib/aws-iam';
import { ApplicationLogLevel } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { z } from 'zod';
import { Skyscale } from './skyscale.ts';
import {
  CertificateAuthoritySchema,
  ClusterEndpointSchema,
  ClusterNameSchema,
  KubernetesVersionSchema,
  RegistrationTtlSchema,
  RoleArnSchema,
  ServiceCidrSchema,
} from './skyscale-settings.ts';

const DESCRIBE_CLUSTER = 'aws eks describe-cluster --name <cluster> --query';
const RETENTION_DAYS = new Set<unknown>(Object.values(RetentionDays));

/** Each context key with its rule and what to pass for it. */
const CONTEXT = {
  clusterName: { schema: ClusterNameSchema, pass: '-c clusterName=<EKS cluster name>' },
  clusterEndpoint: {
    schema: ClusterEndpointSchema,
    pass: `-c clusterEndpoint="$(${DESCRIBE_CLUSTER} cluster.endpoint --output text)"`,
  },
  clusterCertificateAuthority: {
    schema: CertificateAuthoritySchema,
    pass: `-c clusterCertificateAuthority="$(${DESCRIBE_CLUSTER} cluster.certificateAuthority.data --output text)"`,
  },
  clusterServiceCidr: {
    schema: ServiceCidrSchema.optional(),
    pass: `-c clusterServiceCidr="$(${DESCRIBE_CLUSTER} cluster.kubernetesNetworkConfig.serviceIpv4Cidr --output text)"`,
  },
  kubernetesVersion: {
    schema: KubernetesVersionSchema.optional(),
    pass: `-c kubernetesVersion="$(${DESCRIBE_CLUSTER} cluster.version --output text)"`,
  },
  nodeRoleArn: {
    schema: RoleArnSchema.optional(),
    pass: '-c nodeRoleArn=arn:aws:iam::<account>:role/<node role>',
  },
  kubernetesGroup: {
    schema: z.string().min(1, 'must not be empty').optional(),
    pass: '-c kubernetesGroup=<group>',
  },
  createAccessEntry: {
    schema: z.union([z.boolean(), z.stringbool()], { error: 'must be true or false' }).optional(),
    pass: '-c createAccessEntry=false for a cluster on the aws-auth ConfigMap',
  },
  registrationTtl: { schema: RegistrationTtlSchema.optional(), pass: '-c registrationTtl=15m' },
  tickRateMinutes: {
    schema: z.coerce.number().int().min(1, 'must be a whole number of minutes').optional(),
    pass: '-c tickRateMinutes=1',
  },
  logLevel: {
    schema: z.enum(ApplicationLogLevel, { error: 'must be a Lambda log level' }).optional(),
    pass: `-c logLevel=${Object.values(ApplicationLogLevel).join('|')}`,
  },
  logRetentionDays: {
    schema: z.coerce
      .number()
      .refine((days) => RETENTION_DAYS.has(days), 'must be a CloudWatch Logs retention')
      .optional(),
    pass: '-c logRetentionDays=30 (1, 3, 5, 7, 14, 30, 60, 90, … 3653)',
  },
  alarmTopicArn: {
    schema: z
      .string()
      .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:.+$/, 'must be an SNS topic ARN')
      .optional(),
    pass: '-c alarmTopicArn=arn:aws:sns:<region>:<account>:<topic>',
  },
  interruptionQueueArn: {
    schema: z
      .string()
      .regex(/^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:.+$/, 'must be an SQS queue ARN')
      .optional(),
    pass: '-c interruptionQueueArn=arn:aws:sqs:<region>:<account>:<queue>',
  },
} satisfies Record<string, { schema: z.ZodType; pass: string }>;

type Context = { [Key in keyof typeof CONTEXT]: z.output<(typeof CONTEXT)[Key]['schema']> };

/** A missing or invalid context value; its message is one line naming the key and what to pass. */
export class InvalidContextError extends Error {
  override readonly name = 'InvalidContextError';
}

function readContext(app: App): Context {
  const entries = Object.entries(CONTEXT).map(([key, { schema, pass }]) => {
    const value: unknown = app.node.tryGetContext(key);
    const parsed = schema.safeParse(value);
    if (parsed.success) return [key, parsed.data];
    const problem = value === undefined ? 'missing' : parsed.error.issues[0]?.message;
    throw new InvalidContextError(`context ${key}: ${problem}; pass ${pass}`);
  });
  return Object.fromEntries(entries) as Context;
}

/**
 * The repository's CDK app: one stack holding the Skyscale construct, described by the CDK
 * context (`cdk deploy -c clusterName=…`), with the outputs `skyscale install` needs, checked
 * against cdk-nag's AWS Solutions rules at synth time.
 */
export function createSkyscaleApp(props: AppProps = {}): App {
  const app = new App(props);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const context = readContext(app);
  const stack = new Stack(app, 'Skyscale');
  const skyscale = new Skyscale(stack, 'Skyscale', {
    clusterName: context.clusterName,
    clusterEndpoint: context.clusterEndpoint,
    clusterCertificateAuthority: context.clusterCertificateAuthority,
    clusterServiceCidr: context.clusterServiceCidr,
    kubernetesVersion: context.kubernetesVersion,
    nodeRole:
      context.nodeRoleArn === undefined
        ? undefined
        : Role.fromRoleArn(stack, 'NodeRole', context.nodeRoleArn),
    kubernetesGroup: context.kubernetesGroup,
    createAccessEntry: context.createAccessEntry,
    registrationTtl: context.registrationTtl,
    tickRate:
      context.tickRateMinutes === undefined ? undefined : Duration.minutes(context.tickRateMinutes),
    logLevel: context.logLevel,
    logRetention: context.logRetentionDays,
    alarmTopic:
      context.alarmTopicArn === undefined
        ? undefined
        : Topic.fromTopicArn(stack, 'AlarmTopic', context.alarmTopicArn),
    interruptionQueue:
      context.interruptionQueueArn === undefined
        ? undefined
        : Queue.fromQueueArn(stack, 'InterruptionQueue', context.interruptionQueueArn),
  });
  const outputs: Record<string, [description: string, value: string]> = {
    WebhookUrl: ['skyscale install --webhook-url', skyscale.webhookUrl],
    WebhookSecretArn: [
      'the secret for skyscale install (aws secretsmanager get-secret-value)',
      skyscale.webhookSecret.secretArn,
    ],
    ProvisionerRoleArn: [
      'a role the cluster must grant access (EKS access entry)',
      skyscale.provisioner.handler.role.roleArn,
    ],
    TickRoleArn: [
      'a role the cluster must grant access (EKS access entry)',
      skyscale.tick.handler.role.roleArn,
    ],
    InterruptionRoleArn: [
      'a role the cluster must grant access (EKS access entry)',
      skyscale.interruption.handler.role.roleArn,
    ],
    InterruptionQueueUrl: [
      'the queue EventBridge feeds with EC2 and AWS Health events',
      skyscale.interruption.queue.queueUrl,
    ],
  };
  for (const [id, [description, value]] of Object.entries(outputs))
    new CfnOutput(stack, id, { description, value });
  return app;
}
