/** The one-minute tick: lifecycle, termination, garbage collection and the safety-net provisioning pass. */
import { runTick } from '../../lib/tick/index.ts';
import { provisioningDeps } from '../provisioner/provisioning-deps.ts';
import { tickHandler, tickOptions } from './tick-handler.ts';

const options = tickOptions(process.env);

export const handler = tickHandler((context, scheduledAt) =>
  runTick(provisioningDeps(context, process.env), {
    ...options,
    ...(scheduledAt !== undefined && { scheduledAt }),
  }),
);
