/**
 * Which offerings a NodeClaim may launch into, and which capacity type to ask EC2 for
 * (reference/karpenter.md rows 39–40).
 */
import type { Requirement } from '../../apis/requirement.ts';
import { Labels, type CapacityType } from '../../apis/labels.ts';
import type { InstanceType, Offering } from '../types.ts';

/** Reserved capacity is already paid for, spot is cheapest, on-demand is the fallback. */
export const CAPACITY_TYPE_PREFERENCE: readonly CapacityType[] = ['reserved', 'spot', 'on-demand'];

export interface LaunchCandidate {
  readonly instanceType: InstanceType;
  readonly offering: Offering;
}

function requirementHolds(requirement: Requirement, value: string | undefined): boolean {
  const values = requirement.values ?? [];
  switch (requirement.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
      return value !== undefined && Number(value) > Number(values[0]);
    case 'Lt':
      return value !== undefined && Number(value) < Number(values[0]);
  }
}

/**
 * Whether an offering satisfies the requirements on the labels it defines. Requirements on other
 * keys (a team label, say) are met by the NodeClaim's own labels, not by the instance.
 */
export function offeringSatisfies(
  requirements: readonly Requirement[],
  instanceType: InstanceType,
  offering: Offering,
): boolean {
  const labels: Record<string, string> = {
    ...instanceType.labels,
    [Labels.zone]: offering.zone,
    [Labels.capacityType]: offering.capacityType,
  };
  return requirements.every((requirement) =>
    requirement.key in labels ? requirementHolds(requirement, labels[requirement.key]) : true,
  );
}

/** Every available offering of every instance type that satisfies the requirements. */
export function compatibleOfferings(
  instanceTypes: readonly InstanceType[],
  requirements: readonly Requirement[],
): LaunchCandidate[] {
  return instanceTypes.flatMap((instanceType) =>
    instanceType.offerings
      .filter(
        (offering) => offering.available && offeringSatisfies(requirements, instanceType, offering),
      )
      .map((offering) => ({ instanceType, offering })),
  );
}

export function chooseCapacityType(
  candidates: readonly LaunchCandidate[],
): CapacityType | undefined {
  return CAPACITY_TYPE_PREFERENCE.find((capacityType) =>
    candidates.some((candidate) => candidate.offering.capacityType === capacityType),
  );
}

/**
 * The candidates to put in one CreateFleet request for `capacityType`, cheapest first. When spot
 * is chosen but on-demand is also allowed, spot types pricier than the cheapest on-demand
 * offering are dropped: on-demand would serve the same pods for less.
 */
export function fleetCandidates(
  candidates: readonly LaunchCandidate[],
  capacityType: CapacityType,
): LaunchCandidate[] {
  const ofType = candidates.filter((candidate) => candidate.offering.capacityType === capacityType);
  const onDemandPrices = candidates
    .filter((candidate) => candidate.offering.capacityType === 'on-demand')
    .map((candidate) => candidate.offering.price);
  const ceiling =
    capacityType === 'spot' && onDemandPrices.length > 0 ? Math.min(...onDemandPrices) : Infinity;
  const affordable = ofType.filter((candidate) => candidate.offering.price <= ceiling);
  return (affordable.length > 0 ? affordable : ofType).sort(
    (a, b) => a.offering.price - b.offering.price,
  );
}
