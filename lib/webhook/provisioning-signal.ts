import { z } from 'zod';
import { DEBOUNCE_IDLE_SECONDS } from './constants.ts';

/** The body of a message on the provisioning queue: "pods may be pending, run soon". */
export const ProvisioningSignalSchema = z.strictObject({
  cluster: z.string().min(1),
  /** What prompted it, e.g. `pod default/web-*` or a ping's reason. */
  reason: z.string().min(1),
  signalledAt: z.iso.datetime(),
});
export type ProvisioningSignal = z.infer<typeof ProvisioningSignalSchema>;

/** What goes into SQS SendMessage on the FIFO queue. */
export interface SignalMessage {
  readonly body: string;
  /** The cluster: one group, so the queue hands its signals to one consumer at a time, in order. */
  readonly groupId: string;
  /** Cluster and second: SQS drops every further signal of the same second. */
  readonly deduplicationId: string;
}

export function signalMessage(cluster: string, reason: string, now: number): SignalMessage {
  const signal: ProvisioningSignal = { cluster, reason, signalledAt: new Date(now).toISOString() };
  const bucket = Math.floor(now / (DEBOUNCE_IDLE_SECONDS * 1000));
  return {
    body: JSON.stringify(signal),
    groupId: cluster,
    deduplicationId: `${cluster}-${bucket}`,
  };
}
