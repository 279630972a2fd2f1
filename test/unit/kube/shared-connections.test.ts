import { HttpMethod, KubeConfig, RequestContext } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { shareConnections } from '../../../lib/kube/client-node/shared-connections.ts';

function kubeConfig(): KubeConfig {
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [
      {
        name: 'test',
        server: 'https://127.0.0.1:6443',
        caData: Buffer.from('a CA bundle').toString('base64'),
        skipTLSVerify: false,
      },
    ],
    users: [{ name: 'admin', token: 'admin-token' }],
    contexts: [{ name: 'test', cluster: 'test', user: 'admin' }],
    currentContext: 'test',
  });
  return config;
}

async function authenticatedRequests(config: KubeConfig): Promise<RequestContext[]> {
  const requests = [1, 2].map(
    () => new RequestContext('https://127.0.0.1:6443/api/v1/pods', HttpMethod.GET),
  );
  for (const request of requests) await config.applySecurityAuthentication(request);
  return requests;
}

describe('shareConnections', () => {
  it('hands every request the same connection pool, where client-node alone builds one per request', async () => {
    // Prepare
    const shared = shareConnections(kubeConfig());

    // Act
    const [plainFirst, plainSecond] = await authenticatedRequests(kubeConfig());
    const [sharedFirst, sharedSecond] = await authenticatedRequests(shared);

    // Assess
    expect(plainFirst?.getDispatcher()).not.toBe(plainSecond?.getDispatcher());
    expect(sharedFirst?.getDispatcher()).toBeDefined();
    expect(sharedSecond?.getDispatcher()).toBe(sharedFirst?.getDispatcher());
  });

  it('still authenticates each request', async () => {
    // Prepare
    const shared = shareConnections(kubeConfig());

    // Act
    const requests = await authenticatedRequests(shared);

    // Assess
    expect(requests.map((request) => request.getHeaders()['Authorization'])).toEqual([
      'Bearer admin-token',
      'Bearer admin-token',
    ]);
  });
});
