/** The one-minute tick: lifecycle, termination, garbage collection and the safety-net provisioning pass. */
import { UnseenNodePools } from '../../lib/disruption/index.ts';
import { runTick } from '../../lib/tick/index.ts';
import { provisioningDeps } from '../provisioner/provisioning-deps.ts';
import { tickHandler, tickOptions } from './tick-handler.ts';

const settings = tickOptions(process.env);
// The container keeps what single-node consolidation did not reach from one tick to the next.
const options = {
  ...settings,
  disruption: { ...settings.disruption, unseenNodePools: new UnseenNodePools() },
};

export const handler = tickHandler((context, scheduledAt) =>
  runTick(provisioningDeps(context, process.env), {
    ...options,
    ...(scheduledAt !== undefined && { scheduledAt }),
  }),
);
