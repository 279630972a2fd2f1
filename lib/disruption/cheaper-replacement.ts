import { Labels, type CapacityType } from '../apis/index.ts';
import type { InstanceTypeOption, PlannedNodeClaim } from '../scheduling/index.ts';

/** Karpenter's floor of cheaper spot options before a spot node is replaced by another. */
export const MIN_SPOT_TO_SPOT_OPTIONS = 15;

export interface PriceBound {
  /** What the candidates cost now, USD per hour. */
  readonly price: number;
  /** The least the replacement must save, USD per hour (0: any saving). */
  readonly requiredSavings: number;
}

function cheaper(option: InstanceTypeOption, { price, requiredSavings }: PriceBound): boolean {
  const saving = price - option.priceUSDPerHour;
  return saving > 0 && saving >= requiredSavings;
}

/** Whether the options keep the distinct values every requirement's minValues asks for. */
function meetsMinValues(options: readonly InstanceTypeOption[], claim: PlannedNodeClaim): boolean {
  return claim.requirements.every(({ key, minValues }) => {
    if (minValues === undefined) return true;
    const values = new Set(
      options.map(({ instanceType }) =>
        key === Labels.instanceType ? instanceType.name : instanceType.labels[key],
      ),
    );
    values.delete(undefined);
    return values.size >= minValues;
  });
}

/** The claim narrowed to `options` (cheapest first) and `capacityTypes`. */
export function withOptions(
  claim: PlannedNodeClaim,
  options: readonly InstanceTypeOption[],
  capacityTypes: readonly CapacityType[],
): PlannedNodeClaim {
  const names = options.map(({ instanceType }) => instanceType.name);
  const labels: Record<string, string> = { ...claim.labels };
  if (names.length === 1 && names[0] !== undefined) labels[Labels.instanceType] = names[0];
  else delete labels[Labels.instanceType];
  if (capacityTypes.length === 1 && capacityTypes[0] !== undefined)
    labels[Labels.capacityType] = capacityTypes[0];
  return {
    ...claim,
    requirements: claim.requirements.map((requirement) => {
      if (requirement.key === Labels.instanceType) return { ...requirement, values: names };
      if (requirement.key === Labels.capacityType)
        return { ...requirement, operator: 'In', values: capacityTypes };
      return requirement;
    }),
    instanceTypes: options,
    capacityTypes,
    labels,
    priceUSDPerHour: options[0]?.priceUSDPerHour ?? claim.priceUSDPerHour,
  };
}

/**
 * The replacement keeping only the options strictly cheaper than the candidates (and saving at
 * least what the threshold asks), as Karpenter filters by price; a string saying why none is
 * left. A replacement that may be spot or on-demand is pinned to spot, since its prices are the
 * spot ones, so a spot shortage cannot turn it into a dearer on-demand node.
 */
export function cheaperOnDemandReplacement(
  claim: PlannedNodeClaim,
  bound: PriceBound,
): PlannedNodeClaim | string {
  const options = claim.instanceTypes.filter((option) => cheaper(option, bound));
  if (options.length === 0)
    return bound.requiredSavings > 0
      ? `no replacement saves the NodePool's minimum of $${bound.requiredSavings.toFixed(4)}/hour`
      : "can't replace with a cheaper node";
  if (!meetsMinValues(options, claim))
    return 'the cheaper options do not keep the minValues the requirements ask for';
  const pinned: readonly CapacityType[] =
    claim.capacityTypes.includes('spot') && claim.capacityTypes.includes('on-demand')
      ? ['spot']
      : claim.capacityTypes;
  return withOptions(claim, options, pinned);
}

/** The option priced at its cheapest available spot offering in the claim's zones, if it has one. */
function asSpot(
  option: InstanceTypeOption,
  zones: readonly string[],
): InstanceTypeOption | undefined {
  const prices = option.instanceType.offerings
    .filter(
      ({ capacityType, available, zone }) =>
        capacityType === 'spot' && available && zones.includes(zone),
    )
    .map(({ price }) => price);
  return prices.length > 0 ? { ...option, priceUSDPerHour: Math.min(...prices) } : undefined;
}

/**
 * Spot replacing spot, as Karpenter allows it behind its SpotToSpotConsolidation gate: only spot
 * options strictly cheaper than the candidates; for a single candidate at least
 * {@link MIN_SPOT_TO_SPOT_OPTIONS} of them, of which only the cheapest 15 (more if minValues
 * needs them) are launched from, so the node it gets is not immediately worth replacing again.
 */
export function cheaperSpotReplacement(
  claim: PlannedNodeClaim,
  bound: PriceBound,
  singleCandidate: boolean,
): PlannedNodeClaim | string {
  const options = claim.instanceTypes
    .flatMap((option) => asSpot(option, claim.zones) ?? [])
    .filter((option) => cheaper(option, bound))
    .sort((a, b) => a.priceUSDPerHour - b.priceUSDPerHour);
  if (options.length === 0) return "can't replace with a cheaper node";
  if (!meetsMinValues(options, claim))
    return 'the cheaper options do not keep the minValues the requirements ask for';
  if (!singleCandidate) return withOptions(claim, options, ['spot']);
  if (options.length < MIN_SPOT_TO_SPOT_OPTIONS)
    return `spot-to-spot consolidation needs ${MIN_SPOT_TO_SPOT_OPTIONS} cheaper instance type options than the current candidate, got ${options.length}`;
  let kept = options.slice(0, MIN_SPOT_TO_SPOT_OPTIONS);
  while (kept.length < options.length && !meetsMinValues(kept, claim))
    kept = options.slice(0, kept.length + 1);
  return withOptions(claim, kept, ['spot']);
}
