import { Stack, Validations } from 'aws-cdk-lib';
import type { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';

/** A resolved ARN as cdk-nag prints it in finding IDs: `{ Ref: X }` becomes `<X>`. */
function nagResource(stack: Stack, arn: string): string {
  const resolved: unknown = stack.resolve(arn);
  if (typeof resolved === 'string') return resolved;
  const [, parts] = (resolved as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  return parts
    .map((part) => (typeof part === 'string' ? part : `<${(part as { Ref: string }).Ref}>`))
    .join('');
}

/**
 * Acknowledges cdk-nag's AwsSolutions-IAM5 finding for each wildcard resource of `statement`,
 * one finding at a time, so a wildcard added later without a reason still fails synth.
 */
export function acknowledgeWildcardResources(
  scope: IConstruct,
  statement: PolicyStatement,
  reason: string,
): void {
  const stack = Stack.of(scope);
  for (const resource of statement.resources) {
    const rendered = nagResource(stack, resource);
    if (!rendered.includes('*')) continue;
    Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${rendered}]`, reason });
  }
}
