/**
 * CreateFleet through a batcher: NodeClaims launching at the same moment with the same request
 * share one call (a pass that needs 200 nodes sends a handful instead of 200, and stays far below
 * EC2's rate limits), and each gets one instance of it.
 */
import {
  CreateFleetCommand,
  CreateTagsCommand,
  type CreateFleetCommandInput,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { RequestBatcher } from '../../util/request-batcher.ts';
import {
  awsErrorCode,
  IDEMPOTENT_PARAMETER_MISMATCH,
  isLaunchTemplateNotFoundCode,
} from './ec2-errors.ts';
import {
  fleetBatchKey,
  fleetNodeClaim,
  mergedFleetInput,
  splitFleetAnswer,
} from './fleet-batch.ts';
import type { FleetAnswer } from './fleet.ts';
import { NODECLAIM_TAG } from './tags.ts';
import type { Throttled } from './throttle-retry.ts';

/** Karpenter's window: a batch closes 35 ms after its last request joined, or after 1 s. */
export const FLEET_BATCH_IDLE_MS = 35;
export const FLEET_BATCH_MAX_WAIT_MS = 1_000;
export const FLEET_BATCH_MAX_ITEMS = 1_000;

/**
 * EC2 reports a missing launch template either per override or, for the whole request, as an
 * exception; a reused token, only as an exception. Both become errors of the answer.
 */
async function sendFleet(ec2: EC2Client, input: CreateFleetCommandInput): Promise<FleetAnswer> {
  try {
    return await ec2.send(new CreateFleetCommand(input));
  } catch (error) {
    const code = awsErrorCode(error);
    if (!isLaunchTemplateNotFoundCode(code) && code !== IDEMPOTENT_PARAMETER_MISMATCH) throw error;
    return { Errors: [{ ErrorCode: code, ErrorMessage: (error as Error).message }] };
  }
}

/**
 * The merged call's tags cannot name each instance's NodeClaim, so each instance is tagged with
 * its own after the call; until then a retried launch would not find it, and an instance whose
 * claim never learns of it is terminated by garbage collection.
 */
async function tagWithNodeClaim(
  ec2: EC2Client,
  throttled: Throttled,
  answer: FleetAnswer,
  nodeClaim: string | undefined,
): Promise<FleetAnswer> {
  const instanceId = answer.Instances?.[0]?.InstanceIds?.[0];
  if (!instanceId || nodeClaim === undefined) return answer;
  await throttled('CreateTags', () =>
    ec2.send(
      new CreateTagsCommand({
        Resources: [instanceId],
        Tags: [{ Key: NODECLAIM_TAG, Value: nodeClaim }],
      }),
    ),
  );
  return answer;
}

/** Each answer settles once its own instance is tagged, so its claim records the launch meanwhile. */
async function executeFleets(
  ec2: EC2Client,
  throttled: Throttled,
  inputs: readonly CreateFleetCommandInput[],
): Promise<Promise<FleetAnswer>[]> {
  const [only] = inputs;
  if (inputs.length === 1 && only)
    return [Promise.resolve(await throttled('CreateFleet', () => sendFleet(ec2, only)))];
  const merged = await throttled('CreateFleet', () => sendFleet(ec2, mergedFleetInput(inputs)));
  const shares = splitFleetAnswer(merged, inputs.length);
  // Instances are dealt in token order, so a retry that EC2 answers from its idempotency record
  // hands each claim the instance it had.
  const position = new Map(
    inputs
      .map((input, index) => ({ token: input.ClientToken ?? '', index }))
      .sort((a, b) => a.token.localeCompare(b.token))
      .map(({ index }, rank) => [index, rank]),
  );
  return inputs.map((input, index) =>
    tagWithNodeClaim(
      ec2,
      throttled,
      shares[position.get(index) ?? index] ?? { Instances: [] },
      fleetNodeClaim(input),
    ),
  );
}

/** Sends a NodeClaim's one-instance CreateFleet request, sharing the call with identical ones. */
export type FleetSender = (input: CreateFleetCommandInput) => Promise<FleetAnswer>;

export function fleetSender(
  ec2: EC2Client,
  throttled: Throttled,
  sleep: (ms: number) => Promise<void>,
): FleetSender {
  const batcher = new RequestBatcher<CreateFleetCommandInput, FleetAnswer>({
    idleMs: FLEET_BATCH_IDLE_MS,
    maxWaitMs: FLEET_BATCH_MAX_WAIT_MS,
    maxItems: FLEET_BATCH_MAX_ITEMS,
    sleep,
    execute: (inputs) => executeFleets(ec2, throttled, inputs),
  });
  return (input) => batcher.add(fleetBatchKey(input), input);
}
