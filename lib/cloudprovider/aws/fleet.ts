/**
 * The CreateFleet request for one NodeClaim (instant, one instance, overrides = instance type ×
 * zonal subnet) and the reading of its answer.
 */
import type {
  CreateFleetCommandInput,
  CreateFleetCommandOutput,
  FleetLaunchTemplateOverridesRequest,
} from '@aws-sdk/client-ec2';
import type { CapacityType } from '../../apis/labels.ts';
import type { OfferingKey } from '../errors.ts';
import type { LaunchCandidate } from '../ec2-model/offering-selection.ts';
import type { ResolvedSubnet } from './subnets.ts';

/** One launch template and the candidates it can launch (they share its AMI and user data). */
export interface FleetLaunchTemplate {
  readonly name: string;
  readonly candidates: readonly LaunchCandidate[];
}

export function fleetOverrides(
  candidates: readonly LaunchCandidate[],
  subnetsByZone: ReadonlyMap<string, ResolvedSubnet>,
): FleetLaunchTemplateOverridesRequest[] {
  return candidates.flatMap(({ instanceType, offering }) => {
    const subnet = subnetsByZone.get(offering.zone);
    return subnet
      ? [
          {
            InstanceType: instanceType.name as FleetLaunchTemplateOverridesRequest['InstanceType'],
            SubnetId: subnet.id,
            AvailabilityZone: offering.zone,
          },
        ]
      : [];
  });
}

export interface FleetRequest {
  readonly launchTemplates: readonly FleetLaunchTemplate[];
  readonly capacityType: CapacityType;
  readonly subnetsByZone: ReadonlyMap<string, ResolvedSubnet>;
  readonly tags: Readonly<Record<string, string>>;
  /** The NodeClaim's UID, from which the idempotency token is derived. */
  readonly nodeClaimUid: string;
  /** Which CreateFleet call of the launch this is: 0, then 1 after a capacity error, and so on. */
  readonly attempt: number;
}

/**
 * EC2's idempotency token: the NodeClaim's UID and the ordinal of the call, nothing that varies
 * with prices, caches or the container. Every run that launches the claim sends the same token
 * for the same call, so EC2 never launches it twice; when a run's request differs from the first
 * (prices re-sorted, another container's unavailable offerings), EC2 answers
 * IdempotentParameterMismatch and the launcher looks for the instance by its NodeClaim tag.
 */
export function fleetClientToken(nodeClaimUid: string, attempt: number): string {
  return `${nodeClaimUid}-${attempt}`.slice(0, 64);
}

export function createFleetInput(request: FleetRequest): CreateFleetCommandInput {
  const tagList = Object.entries(request.tags).map(([Key, Value]) => ({ Key, Value }));
  const spot = request.capacityType === 'spot';
  const input: Omit<CreateFleetCommandInput, 'ClientToken'> = {
    Type: 'instant',
    TargetCapacitySpecification: {
      TotalTargetCapacity: 1,
      DefaultTargetCapacityType: spot ? 'spot' : 'on-demand',
    },
    ...(spot
      ? { SpotOptions: { AllocationStrategy: 'price-capacity-optimized' } }
      : {
          OnDemandOptions: {
            AllocationStrategy: 'lowest-price',
            ...(request.capacityType === 'reserved' && {
              CapacityReservationOptions: { UsageStrategy: 'use-capacity-reservations-first' },
            }),
          },
        }),
    LaunchTemplateConfigs: request.launchTemplates.map((template) => ({
      LaunchTemplateSpecification: { LaunchTemplateName: template.name, Version: '$Latest' },
      Overrides: fleetOverrides(template.candidates, request.subnetsByZone),
    })),
    TagSpecifications: (['instance', 'volume', 'fleet'] as const).map((ResourceType) => ({
      ResourceType,
      Tags: tagList,
    })),
  };
  return { ...input, ClientToken: fleetClientToken(request.nodeClaimUid, request.attempt) };
}

/** What CreateFleet answers that a launch reads. */
export type FleetAnswer = Pick<CreateFleetCommandOutput, 'Instances' | 'Errors'>;

export interface FleetError extends Partial<OfferingKey> {
  readonly code: string;
  readonly message: string;
}

export interface FleetOutcome {
  readonly instanceId?: string;
  readonly instanceType?: string;
  readonly zone?: string;
  readonly errors: readonly FleetError[];
}

/** The launched instance (if any) and the per-override errors, with zones read from the subnets. */
export function readFleetOutput(
  output: FleetAnswer,
  capacityType: CapacityType,
  subnetZones: ReadonlyMap<string, string>,
): FleetOutcome {
  const zoneOf = (
    overrides: { AvailabilityZone?: string; SubnetId?: string } | undefined,
  ): string | undefined =>
    overrides?.AvailabilityZone ??
    (overrides?.SubnetId ? subnetZones.get(overrides.SubnetId) : undefined);
  const launched = output.Instances?.find((instance) => instance.InstanceIds?.length);
  const errors = (output.Errors ?? []).map((error) => {
    const overrides = error.LaunchTemplateAndOverrides?.Overrides;
    const zone = zoneOf(overrides);
    return {
      code: error.ErrorCode ?? 'Unknown',
      message: error.ErrorMessage ?? '',
      capacityType,
      ...(overrides?.InstanceType && { instanceType: overrides.InstanceType }),
      ...(zone && { zone }),
    };
  });
  if (!launched) return { errors };
  const overrides = launched.LaunchTemplateAndOverrides?.Overrides;
  const zone = zoneOf(overrides);
  return {
    instanceId: launched.InstanceIds?.[0],
    ...((launched.InstanceType ?? overrides?.InstanceType) && {
      instanceType: launched.InstanceType ?? overrides?.InstanceType,
    }),
    ...(zone && { zone }),
    errors,
  };
}
