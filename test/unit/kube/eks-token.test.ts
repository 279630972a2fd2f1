import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  EksTokenSource,
  TOKEN_REFRESH_AFTER_MS,
  createEksToken,
  presignedCallerIdentityUrl,
} from '../../../lib/kube/eks/eks-token.ts';
import { ManualClock } from '../../fixtures/manual-clock.ts';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const request = {
  clusterName: 'demo',
  region: 'us-east-1',
  credentials,
  now: Date.parse('2026-01-02T03:04:05Z'),
};

/** SigV4 for a presigned GET, written out from the AWS specification with node:crypto. */
function expectedSignature(canonicalQuery: string): string {
  const canonicalRequest = [
    'GET',
    '/',
    canonicalQuery,
    'host:sts.us-east-1.amazonaws.com\nx-k8s-aws-id:demo\n',
    'host;x-k8s-aws-id',
    createHash('sha256').update('').digest('hex'),
  ].join('\n');
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    '20260102T030405Z',
    '20260102/us-east-1/sts/aws4_request',
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n');
  const hmac = (key: string | Buffer, data: string) =>
    createHmac('sha256', key).update(data).digest();
  const signingKey = ['20260102', 'us-east-1', 'sts', 'aws4_request'].reduce<Buffer | string>(
    (key, part) => hmac(key, part),
    `AWS4${credentials.secretAccessKey}`,
  );
  return createHmac('sha256', signingKey).update(stringToSign).digest('hex');
}

describe('EKS bearer token', () => {
  it('presigns STS GetCallerIdentity for 60 s with the cluster header signed', async () => {
    // Prepare
    const canonicalQuery =
      'Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256' +
      '&X-Amz-Credential=AKIDEXAMPLE%2F20260102%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Date=20260102T030405Z' +
      '&X-Amz-Expires=60&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id';

    // Act
    const url = await presignedCallerIdentityUrl(request);

    // Assess
    expect(url).toBe(
      `https://sts.us-east-1.amazonaws.com/?${canonicalQuery}&X-Amz-Signature=${expectedSignature(canonicalQuery)}`,
    );
    expect(new URL(url).searchParams.get('X-Amz-Signature')).toBe(
      '9d9cbee2b4614b1e42d1079cf7146884d43c6e23661cb8a4d5c80d42829227ed',
    );
  });

  it('carries the session token of temporary credentials', async () => {
    // Prepare
    const temporary = {
      ...request,
      credentials: { ...credentials, sessionToken: 'session/token+1' },
    };

    // Act
    const url = new URL(await presignedCallerIdentityUrl(temporary));

    // Assess
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe('session/token+1');
  });

  it('wraps the URL as k8s-aws-v1. + unpadded base64url', async () => {
    // Prepare
    const url = await presignedCallerIdentityUrl(request);

    // Act
    const token = await createEksToken(request);

    // Assess
    expect(token.startsWith('k8s-aws-v1.')).toBe(true);
    const encoded = token.slice('k8s-aws-v1.'.length);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(encoded, 'base64url').toString()).toBe(url);
  });

  it('reuses a token until shortly before EKS would reject it, then makes a new one', async () => {
    // Prepare
    const clock = new ManualClock();
    let credentialReads = 0;
    const source = new EksTokenSource({
      clusterName: 'demo',
      region: 'eu-west-1',
      credentials: () => {
        credentialReads++;
        return Promise.resolve(credentials);
      },
      clock,
    });

    // Act
    const first = await source.token();
    await clock.advance(TOKEN_REFRESH_AFTER_MS - 1);
    const reused = await source.token();
    await clock.advance(1);
    const refreshed = await source.token();

    // Assess
    expect(reused).toBe(first);
    expect(refreshed).not.toBe(first);
    expect(credentialReads).toBe(2);
    expect(TOKEN_REFRESH_AFTER_MS).toBeLessThan(14 * 60_000);
  });
});
