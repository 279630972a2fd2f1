/**
 * What `bench:cold-start` times in a fresh process: the provisioner's handler module with all it
 * imports, then the clients its first run builds (KubeClients, EC2, SSM, Pricing, the provider).
 */
import type { Context } from 'aws-lambda';
import { provisioningDeps } from '../functions/provisioner/provisioning-deps.ts';

export { handler } from '../functions/provisioner/handler.ts';

/** A cluster's environment as the stack sets it; nothing is contacted while clients are built. */
const ENVIRONMENT = {
  CLUSTER_NAME: 'bench',
  CLUSTER_ENDPOINT: 'https://example.eks.amazonaws.com',
  CLUSTER_CA_DATA: Buffer.from('not a certificate').toString('base64'),
  CLUSTER_SERVICE_CIDR: '10.100.0.0/16',
  KUBERNETES_VERSION: '1.34',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
};

export function buildClients(): void {
  const context = {
    functionName: 'provisioner',
    awsRequestId: 'cold-start',
    getRemainingTimeInMillis: () => 60_000,
  } as Context;
  provisioningDeps(context, ENVIRONMENT);
}
