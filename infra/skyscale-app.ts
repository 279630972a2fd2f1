import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { z } from 'zod';
import { SkyscaleStack } from './skyscale-stack.ts';

/**
 * `cdk synth -c clusterName=… -c clusterEndpoint=…` (or cdk.json's context) describes the
 * cluster. The placeholders let `npm run synth` work offline; deploy with the real values.
 */
const ContextSchema = z.object({
  clusterName: z
    .string()
    .regex(
      /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/,
      'must be an EKS cluster name (letters, digits, "-" and "_", at most 100)',
    )
    .optional(),
  clusterEndpoint: z
    .url({ protocol: /^https$/, error: 'must be an https:// URL' })
    .default('https://placeholder.gr7.us-east-1.eks.amazonaws.com'),
  clusterCertificateAuthority: z
    .base64({ error: 'must be the base64-encoded CA bundle' })
    .min(1)
    .default(Buffer.from('placeholder CA bundle').toString('base64')),
  clusterServiceCidr: z.cidrv4().optional(),
  kubernetesVersion: z
    .string()
    .regex(/^1\.\d+$/, 'must be MAJOR.MINOR such as "1.34"')
    .optional(),
  nodeRoleArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'must be an IAM role ARN')
    .optional(),
  kubernetesGroup: z.string().min(1).optional(),
  /** `-c createAccessEntry=false` for clusters that authenticate through the aws-auth ConfigMap. */
  createAccessEntry: z.union([z.boolean(), z.stringbool()]).optional(),
  /** `-c registrationTtl=2m` shortens the time a launched node has to join (tests). */
  registrationTtl: z
    .string()
    .regex(/^([0-9]+(s|m|h))+$/, 'must be a duration such as "90s" or "2m"')
    .optional(),
});

const CONTEXT_KEYS = Object.keys(ContextSchema.shape);

export class InvalidContextError extends Error {
  override readonly name = 'InvalidContextError';
}

/** The CDK app: the Skyscale stack, checked against cdk-nag's AWS Solutions rules at synth time. */
export function createSkyscaleApp(props: AppProps = {}): App {
  const app = new App(props);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const context = ContextSchema.safeParse(
    Object.fromEntries(CONTEXT_KEYS.map((key) => [key, app.node.tryGetContext(key)])),
  );
  if (!context.success) {
    const [issue] = context.error.issues;
    throw new InvalidContextError(`context ${issue?.path.join('.')}: ${issue?.message}`);
  }
  new SkyscaleStack(app, 'Skyscale', context.data);
  return app;
}
