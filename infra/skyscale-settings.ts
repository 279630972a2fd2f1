import { z } from 'zod';

/**
 * The rules for the values that describe a cluster, shared by the CDK context of the repository's
 * app and the props of the Skyscale construct, so both reject the same values with the same words.
 */
export const ClusterNameSchema = z
  .string()
  .regex(
    /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/,
    'must be an EKS cluster name (letters, digits, "-" and "_", at most 100)',
  );
export const ClusterEndpointSchema = z.url({
  protocol: /^https$/,
  error: 'must be an https:// URL',
});
export const CertificateAuthoritySchema = z
  .base64({ error: 'must be the base64-encoded CA bundle' })
  .min(1, 'must be the base64-encoded CA bundle');
export const ServiceCidrSchema = z.cidrv4({ error: 'must be an IPv4 CIDR such as 10.100.0.0/16' });
export const KubernetesVersionSchema = z
  .string()
  .regex(/^1\.\d+$/, 'must be MAJOR.MINOR such as "1.34"');
export const RoleArnSchema = z
  .string()
  .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'must be an IAM role ARN');
export const RegistrationTtlSchema = z
  .string()
  .regex(/^([0-9]+(s|m|h))+$/, 'must be a duration such as "90s" or "2m"');

/** The cluster's service CIDR when none is given: EKS's default. */
export const DEFAULT_SERVICE_CIDR = '10.100.0.0/16';
/** The Kubernetes version when none is given. */
export const DEFAULT_KUBERNETES_VERSION = '1.34';
/** Karpenter's getting-started guide names the node role this way. */
export const defaultNodeRoleName = (clusterName: string): string =>
  `KarpenterNodeRole-${clusterName}`;
