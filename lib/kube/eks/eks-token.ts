import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Clock } from '../../util/clock.ts';

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
}

export type CredentialsProvider = () => Promise<AwsCredentials>;

export const EKS_TOKEN_PREFIX = 'k8s-aws-v1.';
/** The header aws-iam-authenticator requires to be signed, binding the token to one cluster. */
export const CLUSTER_ID_HEADER = 'x-k8s-aws-id';
const PRESIGNED_URL_EXPIRES_SECONDS = 60;
/** EKS accepts a token for 15 minutes; a fresh one is made a little before that. */
export const TOKEN_REFRESH_AFTER_MS = 14 * 60_000 - 30_000;

export interface EksTokenRequest {
  readonly clusterName: string;
  readonly region: string;
  readonly credentials: AwsCredentials;
  /** Signing time, milliseconds since the epoch. */
  readonly now: number;
}

function queryString(query: Record<string, string | string[] | null>): string {
  return Object.entries(query)
    .flatMap(([key, value]) =>
      (Array.isArray(value) ? value : [value ?? '']).map(
        (item) => `${encodeURIComponent(key)}=${encodeURIComponent(item)}`,
      ),
    )
    .join('&');
}

/** The presigned STS GetCallerIdentity URL that an EKS bearer token wraps. */
export async function presignedCallerIdentityUrl({
  clusterName,
  region,
  credentials,
  now,
}: EksTokenRequest): Promise<string> {
  const hostname = `sts.${region}.amazonaws.com`;
  const signer = new SignatureV4({ credentials, region, service: 'sts', sha256: Sha256 });
  const request = new HttpRequest({
    method: 'GET',
    protocol: 'https:',
    hostname,
    path: '/',
    query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
    headers: { host: hostname, [CLUSTER_ID_HEADER]: clusterName },
  });
  const signed = await signer.presign(request, {
    expiresIn: PRESIGNED_URL_EXPIRES_SECONDS,
    signingDate: new Date(now),
  });
  return `https://${hostname}/?${queryString(signed.query ?? {})}`;
}

/** An EKS bearer token: the prefix and the presigned URL in unpadded base64url. */
export async function createEksToken(request: EksTokenRequest): Promise<string> {
  return (
    EKS_TOKEN_PREFIX + Buffer.from(await presignedCallerIdentityUrl(request)).toString('base64url')
  );
}

export interface EksTokenSourceOptions {
  readonly clusterName: string;
  readonly region: string;
  readonly credentials: CredentialsProvider;
  readonly clock: Clock;
}

/** Tokens for one cluster, reused until shortly before EKS would reject them. */
export class EksTokenSource {
  private cached: { token: string; createdAt: number } | undefined;

  constructor(private readonly options: EksTokenSourceOptions) {}

  async token(): Promise<string> {
    const now = this.options.clock.now();
    if (this.cached && now - this.cached.createdAt < TOKEN_REFRESH_AFTER_MS)
      return this.cached.token;
    const { clusterName, region } = this.options;
    const token = await createEksToken({
      clusterName,
      region,
      credentials: await this.options.credentials(),
      now,
    });
    this.cached = { token, createdAt: now };
    return token;
  }
}
