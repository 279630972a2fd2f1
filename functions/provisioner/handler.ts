/** The provisioner: consumes the webhook's debounce signals and runs one provisioning pass per batch. */
import { runProvisioning } from '../../lib/provisioning/index.ts';
import { provisioningDeps } from './provisioning-deps.ts';
import { provisionerHandler } from './provisioner-handler.ts';

export const handler = provisionerHandler((context) =>
  runProvisioning(provisioningDeps(context, process.env)),
);
