/**
 * Which offerings a NodeClaim may launch into, and which capacity type to ask EC2 for: reserved
 * first, then spot, then on-demand, as Karpenter's AWS provider picks it
 * (https://karpenter.sh/docs/concepts/nodepools/#spectemplatespecrequirements).
 */
import type { Requirement } from '../../apis/requirement.ts';
import { Labels, type CapacityType } from '../../apis/labels.ts';
import type { InstanceType, Offering } from '../types.ts';

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

/** The most instance types one CreateFleet request carries (the NodeClaim may list up to 600). */
export const MAX_FLEET_INSTANCE_TYPES = 60;

/** Devices that make a type worth launching only for pods that ask for them. */
export const ACCELERATOR_RESOURCES: readonly string[] = [
  'nvidia.com/gpu',
  'amd.com/gpu',
  'aws.amazon.com/neuron',
  'aws.amazon.com/neuroncore',
  'habana.ai/gaudi',
];

/** Bare metal and accelerated types: kept only when nothing else is left. */
function isExotic({ labels, capacity }: InstanceType): boolean {
  return (
    (labels[Labels.instanceSize] ?? '').includes('metal') ||
    ACCELERATOR_RESOURCES.some((resource) => (capacity[resource] ?? 0) > 0)
  );
}

export interface LaunchPlan {
  readonly capacityType: CapacityType;
  /** The offerings to put in one CreateFleet request, cheapest first, of at most 60 types. */
  readonly candidates: readonly LaunchCandidate[];
}

function cheapestPrice(candidates: readonly LaunchCandidate[]): number {
  return Math.min(...candidates.map(({ offering }) => offering.price));
}

/**
 * How the AWS provider launches a NodeClaim from its compatible offerings. Unless a requirement
 * has minValues, bare-metal and accelerated types are dropped while others remain, and when both
 * spot and on-demand are possible, types whose cheapest offering costs more than the cheapest
 * on-demand offering are dropped. The cheapest 60 types remain. The capacity type is reserved if
 * any, else spot if a spot offering costs no more than the cheapest on-demand one, else
 * on-demand. Undefined when there is no candidate.
 */
export function planLaunch(
  candidates: readonly LaunchCandidate[],
  requirements: readonly Pick<Requirement, 'minValues'>[],
): LaunchPlan | undefined {
  const byType = new Map<string, LaunchCandidate[]>();
  for (const candidate of candidates) {
    const list = byType.get(candidate.instanceType.name);
    if (list) list.push(candidate);
    else byType.set(candidate.instanceType.name, [candidate]);
  }
  let types = [...byType.values()];
  const filtered = !requirements.some(({ minValues }) => minValues !== undefined);
  if (filtered) {
    const generic = types.filter(([first]) => first && !isExotic(first.instanceType));
    if (generic.length > 0) types = generic;
  }
  const offered = (capacityType: CapacityType): LaunchCandidate[] =>
    types.flat().filter(({ offering }) => offering.capacityType === capacityType);
  const onDemand = offered('on-demand');
  const mixed = onDemand.length > 0 && offered('spot').length > 0;
  const ceiling = mixed ? cheapestPrice(onDemand) : Infinity;
  if (filtered && mixed) types = types.filter((offerings) => cheapestPrice(offerings) <= ceiling);
  const kept = types
    .sort((a, b) => cheapestPrice(a) - cheapestPrice(b))
    .slice(0, MAX_FLEET_INSTANCE_TYPES)
    .flat();
  const ofType = (capacityType: CapacityType, limit = Infinity): LaunchCandidate[] =>
    kept
      .filter(({ offering }) => offering.capacityType === capacityType && offering.price <= limit)
      .sort((a, b) => a.offering.price - b.offering.price);
  // Reserved capacity is already paid for, spot is cheapest, on-demand is the fallback.
  for (const [capacityType, limit] of [
    ['reserved', Infinity],
    ['spot', ceiling],
    ['on-demand', Infinity],
    ['spot', Infinity],
  ] as const) {
    const chosen = ofType(capacityType, limit);
    if (chosen.length > 0) return { capacityType, candidates: chosen };
  }
  return undefined;
}

/**
 * Reserved capacity is already paid for: its offering costs next to nothing (the on-demand price
 * over ten million, as Karpenter prices it), so it is tried before any other.
 */
export function reservedPrice(onDemandPrice: number): number {
  return onDemandPrice / 10_000_000;
}
