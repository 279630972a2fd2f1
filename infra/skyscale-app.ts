import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { z } from 'zod';
import { SkyscaleStack } from './skyscale-stack.ts';

/** `cdk synth -c clusterName=…` (or cdk.json's context) picks the cluster. */
const ContextSchema = z.object({
  clusterName: z
    .string()
    .regex(
      /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/,
      'must be an EKS cluster name (letters, digits, "-" and "_", at most 100)',
    )
    .optional(),
});

export class InvalidContextError extends Error {
  override readonly name = 'InvalidContextError';
}

/** The CDK app: the Skyscale stack, checked against cdk-nag's AWS Solutions rules at synth time. */
export function createSkyscaleApp(props: AppProps = {}): App {
  const app = new App(props);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const context = ContextSchema.safeParse({ clusterName: app.node.tryGetContext('clusterName') });
  if (!context.success) {
    const [issue] = context.error.issues;
    throw new InvalidContextError(`context ${issue?.path.join('.')}: ${issue?.message}`);
  }
  new SkyscaleStack(app, 'Skyscale', { clusterName: context.data.clusterName });
  return app;
}
