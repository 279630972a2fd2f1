/**
 * What `bench:cold-start` times in a fresh process: the provisioner's handler module with all it
 * imports, then the clients its first run builds (KubeClients, EC2, SSM, Pricing, the provider).
 * The process's environment is the stack's (`bench:cold-start` sets it); nothing is contacted.
 */
import type { Context } from 'aws-lambda';
import { provisioningDeps } from '../functions/provisioner/provisioning-deps.ts';

export { handler } from '../functions/provisioner/handler.ts';

export function buildClients(): void {
  const context = {
    functionName: 'provisioner',
    awsRequestId: 'cold-start',
    getRemainingTimeInMillis: () => 60_000,
  } as Context;
  provisioningDeps(context, process.env);
}
