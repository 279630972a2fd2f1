import { z } from 'zod';
import { formatZodIssues } from '../../apis/zod-issues.ts';

/** What the AWS adapter needs to know about the cluster and the region; read from the environment by functions/. */
export const AwsProviderSettingsSchema = z.strictObject({
  clusterName: z.string().min(1),
  clusterEndpoint: z.url({ protocol: /^https$/ }),
  /** Base64-encoded PEM bundle of the API server's CA. */
  clusterCertificateAuthority: z.string().min(1),
  /** The cluster's service CIDR, from which nodes derive the cluster DNS address. */
  clusterServiceCidr: z.cidrv4().default('10.100.0.0/16'),
  /** `1.31`: picks the EKS-optimized AMIs behind an alias. */
  kubernetesVersion: z.string().regex(/^1\.\d+$/, 'must be MAJOR.MINOR such as "1.31"'),
  region: z.string().min(1),
  /** Share of memory the hypervisor keeps (Karpenter's VM_MEMORY_OVERHEAD_PERCENT). */
  vmMemoryOverheadPercent: z.number().min(0).max(1).default(0.075),
  /** ENIs kept out of pod networking (Karpenter's RESERVED_ENIS). */
  reservedEnis: z.int().min(0).default(0),
  /** False allows 110 pods on every type instead of what the VPC CNI can address. */
  eniLimitedPodDensity: z.boolean().default(true),
});
export type AwsProviderSettings = z.output<typeof AwsProviderSettingsSchema>;

export class AwsProviderSettingsError extends Error {
  override readonly name = 'AwsProviderSettingsError';
}

export function parseAwsProviderSettings(input: unknown): AwsProviderSettings {
  const parsed = AwsProviderSettingsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = formatZodIssues(parsed.error).join('; ');
  throw new AwsProviderSettingsError(`invalid AWS provider settings: ${problems}`);
}
