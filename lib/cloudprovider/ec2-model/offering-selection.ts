/**
 * Which offerings a NodeClaim may launch into, and which capacity type to ask EC2 for: reserved
 * first, then spot, then on-demand, as Karpenter's AWS provider picks it
 * (https://karpenter.sh/docs/concepts/nodepools/#spectemplatespecrequirements).
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

type LabelRequirement = Pick<Requirement, 'key' | 'operator' | 'values'>;

function requirementHolds(requirement: LabelRequirement, value: string | undefined): boolean {
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
    case 'Gte':
      return value !== undefined && Number(value) >= Number(values[0]);
    case 'Lte':
      return value !== undefined && Number(value) <= Number(values[0]);
  }
}

/** Whether every requirement holds for `labels` (an absent label has no value). */
export function labelsSatisfy(
  requirements: readonly LabelRequirement[],
  labels: Readonly<Record<string, string>>,
): boolean {
  return requirements.every((requirement) =>
    requirementHolds(requirement, labels[requirement.key]),
  );
}

/** Instance-type labels that only some types carry (GPU count, local NVMe…). */
const INSTANCE_LABEL_PREFIX = 'karpenter.k8s.aws/instance-';

/**
 * Whether an offering satisfies the requirements on instance and offering labels. Requirements on
 * other keys (the NodePool, a team label) are met by the NodeClaim's own labels, not by the instance.
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
  const onInstance = requirements.filter(
    (requirement) => requirement.key in labels || requirement.key.startsWith(INSTANCE_LABEL_PREFIX),
  );
  return labelsSatisfy(onInstance, labels);
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
