import { createServer, type Server } from 'node:https';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EksTokenSource } from '../../../lib/kube/eks/eks-token.ts';
import { lambdaKubeClients } from '../../../lib/kube/eks/lambda-kube-clients.ts';
import { writeControlPlaneCredentials } from '../../env/certificates.ts';
import { recordingLogger } from '../../contract/kube/harness.ts';
import { ManualClock } from '../../fixtures/manual-clock.ts';

let server: Server | undefined;

afterEach(() => {
  server?.close();
  server = undefined;
});

/** An HTTPS server with a certificate from a fresh CA, answering every request with an empty list. */
async function listServer(seen: { path?: string; authorization?: string }[]) {
  const credentials = await writeControlPlaneCredentials(
    await mkdtemp(join(tmpdir(), 'lambda-kube-')),
  );
  const https = createServer(
    {
      cert: await readFile(credentials.servingCertPath),
      key: await readFile(credentials.servingKeyPath),
    },
    (request, response) => {
      seen.push({ path: request.url, authorization: request.headers.authorization });
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ items: [], metadata: {} }));
    },
  );
  server = https;
  await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
  const address = https.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { endpoint: `https://127.0.0.1:${port}`, caCertPem: credentials.caCertPem };
}

describe('lambdaKubeClients', () => {
  it('reaches the cluster endpoint over TLS trusting its CA, with a fresh-enough EKS token on every request', async () => {
    // Prepare
    const seen: { path?: string; authorization?: string }[] = [];
    const { endpoint, caCertPem } = await listServer(seen);
    const clock = new ManualClock();
    const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
    const clients = lambdaKubeClients(
      {
        CLUSTER_NAME: 'prod',
        CLUSTER_ENDPOINT: endpoint,
        CLUSTER_CA_DATA: Buffer.from(caCertPem).toString('base64'),
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      },
      { logger: recordingLogger(), clock },
    );
    const expected = await new EksTokenSource({
      clusterName: 'prod',
      region: 'eu-west-1',
      credentials: () => Promise.resolve(credentials),
      clock,
    }).token();

    // Act
    const nodes = await clients.kube.listNodes();

    // Assess
    expect(nodes.items).toEqual([]);
    expect(seen).toEqual([
      { path: '/api/v1/nodes?limit=500', authorization: `Bearer ${expected}` },
    ]);
    const url = Buffer.from(expected.replace('k8s-aws-v1.', ''), 'base64url').toString();
    expect(url).toContain('X-Amz-SignedHeaders=host%3Bx-k8s-aws-id');
  });
});
