/**
 * Merging NodeClaims' one-instance CreateFleet requests into one call and splitting its answer:
 * requests that differ only in their NodeClaim (its tag and its ClientToken) ask for the same
 * thing, so one request for as many instances serves them all.
 */
import { createHash } from 'node:crypto';
import type { CreateFleetCommandInput, CreateFleetError } from '@aws-sdk/client-ec2';
import type { FleetAnswer } from './fleet.ts';
import { NODECLAIM_TAG } from './tags.ts';

/** The request without what belongs to its NodeClaim. */
function sharedPart(input: CreateFleetCommandInput): CreateFleetCommandInput {
  const shared = { ...input };
  delete shared.ClientToken;
  if (input.TagSpecifications)
    shared.TagSpecifications = input.TagSpecifications.map((specification) => ({
      ...specification,
      Tags: specification.Tags?.filter(({ Key }) => Key !== NODECLAIM_TAG),
    }));
  return shared;
}

/** Requests with the same key differ only in their NodeClaim and may share a call. */
export function fleetBatchKey(input: CreateFleetCommandInput): string {
  return JSON.stringify(sharedPart(input));
}

/** The NodeClaim a request launches for, from its instance tag. */
export function fleetNodeClaim(input: CreateFleetCommandInput): string | undefined {
  return input.TagSpecifications?.find(
    ({ ResourceType }) => ResourceType === 'instance',
  )?.Tags?.find(({ Key }) => Key === NODECLAIM_TAG)?.Value;
}

/**
 * One request for an instance per input. Its ClientToken is derived from every input's token, so
 * a run that retries the same claims at the same attempts sends the same token and EC2 answers
 * with the instances it launched before instead of launching more.
 */
export function mergedFleetInput(
  inputs: readonly CreateFleetCommandInput[],
): CreateFleetCommandInput {
  const [first] = inputs;
  if (!first) throw new Error('a merged CreateFleet request needs at least one request');
  const shared = sharedPart(first);
  const tokens = inputs.map(({ ClientToken }) => ClientToken ?? '').sort();
  return {
    ...shared,
    TargetCapacitySpecification: {
      ...shared.TargetCapacitySpecification,
      TotalTargetCapacity: inputs.length,
    },
    ClientToken: createHash('sha256').update(tokens.join('\n')).digest('hex').slice(0, 64),
  };
}

const TOO_FEW_INSTANCES: CreateFleetError = {
  ErrorCode: 'TooFewInstancesLaunched',
  ErrorMessage: 'CreateFleet launched fewer instances than requested and reported no error',
};

/**
 * Deals a merged answer out to `count` requests: one instance each, in the answer's order, and
 * the call's errors to every request (they describe offerings, which all requests share). A
 * request left without an instance gets the errors alone, or, if EC2 reported none, an
 * UnfulfillableCapacity error naming no offering. Instances beyond `count` are not handed out;
 * they carry no NodeClaim tag, so garbage collection terminates them.
 */
export function splitFleetAnswer(answer: FleetAnswer, count: number): FleetAnswer[] {
  const errors = answer.Errors ?? [];
  const launched = (answer.Instances ?? []).flatMap((reservation) =>
    (reservation.InstanceIds ?? []).map((instanceId) => ({
      ...reservation,
      InstanceIds: [instanceId],
    })),
  );
  return Array.from({ length: count }, (_, index) => {
    const instance = launched[index];
    if (instance) return { Instances: [instance], Errors: errors };
    return { Instances: [], Errors: errors.length > 0 ? errors : [TOO_FEW_INSTANCES] };
  });
}
