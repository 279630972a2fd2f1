import { setTimeout as sleep } from 'node:timers/promises';
import type { ResourceTransport } from '../../kube/index.ts';
import type { CliIo } from '../command.ts';
import {
  describeSighting,
  findRunningKarpenter,
  type KarpenterSighting,
  scaleKarpenterToZero,
} from './karpenter-detection.ts';

export interface TakeoverOptions {
  /** Scale Karpenter to zero and wait for it to stop, instead of refusing. */
  readonly takeOver: boolean;
  /** How long to wait for Karpenter's pods to go and its Lease to be released or expire. */
  readonly waitMs: number;
  readonly pollMs: number;
}

export const DEFAULT_TAKEOVER_WAIT_MS = 90_000;
const DEFAULT_POLL_MS = 1000;

function listed(sightings: readonly KarpenterSighting[]): string {
  return sightings.map((sighting) => `  ${describeSighting(sighting)}`).join('\n');
}

function refusal(sightings: readonly KarpenterSighting[]): string {
  const deployments = sightings.filter(({ kind }) => kind === 'Deployment');
  const scale = deployments.map(
    ({ namespace, name }) =>
      `  kubectl scale deployment --namespace ${namespace} ${name} --replicas 0`,
  );
  return [
    'skyscale install: a Karpenter controller is running in this cluster, and Skyscale and Karpenter',
    'must never act on the same NodePools at once:',
    listed(sightings),
    'Scale it to zero first, then run install again:',
    ...(scale.length > 0 ? scale : ['  (stop the holder of the Lease)']),
    'or pass --take-over-from-karpenter to have install do it and wait for Karpenter to stop.',
  ].join('\n');
}

/**
 * Whether Skyscale may be installed: no Karpenter controller runs, or (with `takeOver`) its
 * Deployments were scaled to zero and it stopped within `waitMs`. Explains itself on stderr.
 */
export async function makeRoomForSkyscale(
  transport: ResourceTransport,
  io: CliIo,
  {
    takeOver,
    waitMs,
    pollMs = DEFAULT_POLL_MS,
  }: Omit<TakeoverOptions, 'pollMs'> & { pollMs?: number },
  now: () => Date = () => new Date(),
): Promise<boolean> {
  let sightings = await findRunningKarpenter(transport, now());
  if (sightings.length === 0) return true;
  if (!takeOver) {
    io.err(refusal(sightings));
    return false;
  }
  await scaleKarpenterToZero(transport, sightings);
  io.err(`skyscale install: scaled Karpenter to zero replicas:\n${listed(sightings)}`);
  const deadline = Date.now() + waitMs;
  while (sightings.length > 0 && Date.now() < deadline) {
    await sleep(pollMs);
    sightings = await findRunningKarpenter(transport, now());
  }
  if (sightings.length > 0) {
    io.err(
      `skyscale install: Karpenter is still running after ${waitMs / 1000}s:\n${listed(sightings)}`,
    );
    return false;
  }
  io.err(
    'skyscale install: Karpenter has stopped; Skyscale takes over its NodePools and NodeClaims.',
  );
  return true;
}
