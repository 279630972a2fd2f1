/** One CreateFleet call for a NodeClaim, and what its outcome means for the launch loop. */
import { Labels, type CapacityType } from '../../apis/labels.ts';
import type { NodeClaim } from '../../apis/nodeclaim.ts';
import { CloudProviderError } from '../errors.ts';
import type { LaunchCandidate } from '../ec2-model/offering-selection.ts';
import {
  IDEMPOTENT_PARAMETER_MISMATCH,
  isCapacityErrorCode,
  isLaunchTemplateNotFoundCode,
} from './ec2-errors.ts';
import {
  createFleetInput,
  readFleetOutput,
  type FleetError,
  type FleetLaunchTemplate,
  type FleetOutcome,
} from './fleet.ts';
import type { LaunchContext } from './launch-context.ts';
import { launchTemplatesFor } from './node-launch-templates.ts';
import type { ResolvedSubnet } from './subnets.ts';
import { instanceTags } from './tags.ts';

/** The offerings one attempt asks EC2 for, all of one capacity type. */
export interface FleetSelection {
  readonly capacityType: CapacityType;
  readonly chosen: readonly LaunchCandidate[];
  readonly subnetsByZone: ReadonlyMap<string, ResolvedSubnet>;
  readonly subnetZones: ReadonlyMap<string, string>;
}

/** What one attempt came to, and so what the launch does next. */
export type AttemptResult =
  | {
      readonly kind: 'launched';
      readonly candidate: LaunchCandidate;
      readonly instanceId: string;
      readonly template: FleetLaunchTemplate | undefined;
    }
  /** The token was used by an earlier call; look for its instance, else try the next token. */
  | { readonly kind: 'token-reused' }
  /** A launch template was deleted behind the cache's back; recreate them and retry. */
  | { readonly kind: 'templates-missing'; readonly templates: readonly FleetLaunchTemplate[] }
  /** These offerings are out of capacity; mark them and try the rest. */
  | {
      readonly kind: 'out-of-capacity';
      readonly exhausted: readonly LaunchCandidate[];
      readonly errors: readonly FleetError[];
    };

export function describeErrors(errors: readonly FleetError[]): string {
  return errors
    .map(
      (error) =>
        `${error.code} (${error.instanceType ?? '?'} in ${error.zone ?? '?'}): ${error.message}`,
    )
    .join('; ');
}

/** Sorts a CreateFleet outcome into what the launch does next; throws when nothing can be retried. */
function classify(
  outcome: FleetOutcome,
  chosen: readonly LaunchCandidate[],
  templates: readonly FleetLaunchTemplate[],
  retryTemplates: boolean,
): AttemptResult {
  if (outcome.errors.some(({ code }) => code === IDEMPOTENT_PARAMETER_MISMATCH))
    return { kind: 'token-reused' };
  const candidate =
    outcome.instanceId &&
    chosen.find(
      (option) =>
        option.instanceType.name === outcome.instanceType && option.offering.zone === outcome.zone,
    );
  if (outcome.instanceId && candidate) {
    const template = templates.find((entry) => entry.candidates.includes(candidate));
    return { kind: 'launched', candidate, instanceId: outcome.instanceId, template };
  }
  if (retryTemplates && outcome.errors.some((error) => isLaunchTemplateNotFoundCode(error.code)))
    return { kind: 'templates-missing', templates };
  const errors = outcome.errors.filter((error) => isCapacityErrorCode(error.code));
  const exhausted = chosen.filter((option) =>
    errors.some(
      (error) =>
        error.instanceType === option.instanceType.name &&
        (error.zone === undefined || error.zone === option.offering.zone),
    ),
  );
  if (exhausted.length === 0) {
    throw new CloudProviderError(
      `CreateFleet launched nothing: ${describeErrors(outcome.errors) || 'no errors reported'}`,
    );
  }
  return { kind: 'out-of-capacity', exhausted, errors };
}

/**
 * Makes sure the launch templates exist, then asks EC2 for one instance among `selection`, with
 * the ClientToken of the claim's `attempt`-th call (shared with claims asking the same at once). `retryTemplates` is false once templates have
 * been recreated, so a template that keeps disappearing fails the launch instead of looping.
 */
export async function fleetAttempt(
  context: LaunchContext,
  nodeClaim: NodeClaim,
  selection: FleetSelection,
  attempt: number,
  retryTemplates: boolean,
): Promise<AttemptResult> {
  const { capacityType, chosen } = selection;
  const templates = await launchTemplatesFor(context, nodeClaim, chosen, capacityType);
  const input = createFleetInput({
    launchTemplates: templates,
    capacityType,
    subnetsByZone: selection.subnetsByZone,
    tags: instanceTags({
      clusterName: context.settings.clusterName,
      nodePool: nodeClaim.metadata.labels?.[Labels.nodePool] ?? '',
      nodeClaim: nodeClaim.metadata.name ?? '',
      nodeClass: context.nodeClass.metadata.name ?? '',
      ...(context.nodeClass.spec.tags && { nodeClassTags: context.nodeClass.spec.tags }),
    }),
    nodeClaimUid: nodeClaim.metadata.uid ?? nodeClaim.metadata.name ?? '',
    attempt,
  });
  const output = await context.createFleet(input);
  const outcome = readFleetOutput(output, capacityType, selection.subnetZones);
  return classify(outcome, chosen, templates, retryTemplates);
}
