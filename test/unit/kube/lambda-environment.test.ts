import { describe, expect, it } from 'vitest';
import { lambdaKubeSettings } from '../../../lib/kube/eks/lambda-environment.ts';
import { KubeConfigError, KubeEnvironment } from '../../../lib/kube/index.ts';

const environment = {
  [KubeEnvironment.clusterName]: 'prod',
  [KubeEnvironment.clusterEndpoint]: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
  [KubeEnvironment.clusterCaData]: Buffer.from('-----BEGIN CERTIFICATE-----').toString('base64'),
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'secret',
  AWS_SESSION_TOKEN: 'session',
};

describe('Lambda cluster settings', () => {
  it('reads the cluster and credentials, with Karpenter’s client limits by default', () => {
    // Prepare / Act
    const settings = lambdaKubeSettings(environment);

    // Assess
    expect(settings).toEqual({
      clusterName: 'prod',
      endpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
      caData: environment[KubeEnvironment.clusterCaData],
      region: 'eu-west-1',
      credentials: {
        accessKeyId: 'ASIAEXAMPLE',
        secretAccessKey: 'secret',
        sessionToken: 'session',
      },
      bulkLimits: { qps: 200, burst: 300 },
      leaseNamespace: 'kube-system',
    });
  });

  it('takes client limits and the lease namespace from the environment', () => {
    // Prepare
    const tuned = {
      ...environment,
      KUBE_CLIENT_QPS: '50',
      KUBE_CLIENT_BURST: '75',
      SKYSCALE_LEASE_NAMESPACE: 'skyscale',
    };

    // Act
    const settings = lambdaKubeSettings(tuned);

    // Assess
    expect(settings.bulkLimits).toEqual({ qps: 50, burst: 75 });
    expect(settings.leaseNamespace).toBe('skyscale');
  });

  it.each([
    ['a missing variable', { ...environment, CLUSTER_NAME: undefined }, /CLUSTER_NAME/],
    [
      'a plain-http endpoint',
      { ...environment, CLUSTER_ENDPOINT: 'http://cluster.example' },
      /CLUSTER_ENDPOINT: must be an https:\/\/ URL/,
    ],
    [
      'a CA that is not base64',
      { ...environment, CLUSTER_CA_DATA: 'not base64!' },
      /CLUSTER_CA_DATA/,
    ],
    ['a burst of zero', { ...environment, KUBE_CLIENT_BURST: '0' }, /KUBE_CLIENT_BURST/],
  ])('names the variable at fault for %s', (_case, broken, message) => {
    // Prepare / Act
    const read = () => lambdaKubeSettings(broken);

    // Assess
    expect(read).toThrow(KubeConfigError);
    expect(read).toThrow(message);
  });
});
