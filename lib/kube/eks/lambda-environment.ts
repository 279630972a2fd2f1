import { z } from 'zod';
import { KubeEnvironment } from '../constants.ts';
import { KubeConfigError } from '../errors.ts';
import { formatZodIssues } from '../../apis/zod-issues.ts';
import { DEFAULT_LEASE_NAMESPACE } from '../lease/lease-lock.ts';
import { BULK_RATE_LIMITS } from '../rate-limit/rate-limits.ts';
import type { AwsCredentials } from './eks-token.ts';

const LambdaEnvironmentSchema = z.object({
  [KubeEnvironment.clusterName]: z.string().min(1),
  [KubeEnvironment.clusterEndpoint]: z.url({
    protocol: /^https$/,
    error: 'must be an https:// URL',
  }),
  [KubeEnvironment.clusterCaData]: z
    .base64({ error: 'must be the base64-encoded CA bundle' })
    .min(1),
  [KubeEnvironment.qps]: z.coerce.number().positive().default(BULK_RATE_LIMITS.qps),
  [KubeEnvironment.burst]: z.coerce.number().int().min(1).default(BULK_RATE_LIMITS.burst),
  [KubeEnvironment.leaseNamespace]: z.string().min(1).default(DEFAULT_LEASE_NAMESPACE),
  /** Set by the Lambda runtime, as are the credentials of the function's role. */
  AWS_REGION: z.string().min(1),
  AWS_ACCESS_KEY_ID: z.string().min(1),
  AWS_SECRET_ACCESS_KEY: z.string().min(1),
  AWS_SESSION_TOKEN: z.string().min(1).optional(),
});

/** How a Lambda function reaches its EKS cluster. */
export interface LambdaKubeSettings {
  readonly clusterName: string;
  readonly endpoint: string;
  readonly caData: string;
  readonly region: string;
  readonly credentials: AwsCredentials;
  readonly bulkLimits: { readonly qps: number; readonly burst: number };
  readonly leaseNamespace: string;
}

/** Reads the settings from the function's environment; a bad or missing variable is named in the error. */
export function lambdaKubeSettings(
  environment: Readonly<Record<string, string | undefined>>,
): LambdaKubeSettings {
  const parsed = LambdaEnvironmentSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = formatZodIssues(parsed.error).join('; ');
    throw new KubeConfigError(`Invalid Lambda environment: ${problems}`);
  }
  const env = parsed.data;
  return {
    clusterName: env[KubeEnvironment.clusterName],
    endpoint: env[KubeEnvironment.clusterEndpoint],
    caData: env[KubeEnvironment.clusterCaData],
    region: env.AWS_REGION,
    credentials: {
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      sessionToken: env.AWS_SESSION_TOKEN,
    },
    bulkLimits: { qps: env[KubeEnvironment.qps], burst: env[KubeEnvironment.burst] },
    leaseNamespace: env[KubeEnvironment.leaseNamespace],
  };
}
