import { Labels, type CapacityType } from '../apis/labels.ts';
import type { ClaimOptions } from './claim-options.ts';
import type { InstanceTypeTable } from './instance-types.ts';
import type { Requirement } from './requirement.ts';
import type { Requirements } from './requirements.ts';
import {
  MAX_INSTANCE_TYPES_PER_CLAIM,
  type InstanceTypeOption,
  type PlannedNodeClaim,
} from './types.ts';

/** Text that requirements allowing different values never share (cheaper than `toString()`). */
function signature(requirement: Requirement): string {
  const { complement, values, mustExist, atLeast, atMost, minValues } = requirement;
  return JSON.stringify([complement, [...values], mustExist, atLeast, atMost, minValues]);
}

/** The minValues asked for, which decide how many options past the cheapest 600 a claim keeps. */
function minValuesKey(requirements: Requirements): string {
  let key = '';
  for (const { key: label, minValues } of requirements.values())
    if (minValues !== undefined) key += `${label}=${minValues};`;
  return key;
}

/** The instance types, zones and capacity types a planned NodeClaim is offered. */
export interface ClaimOffer extends Pick<
  PlannedNodeClaim,
  'instanceTypes' | 'zones' | 'capacityTypes'
> {
  /** The options offered (indices into the table), cheapest first. */
  readonly options: readonly number[];
  /** Sorted, for the NodeClaim's instance-type requirement. */
  readonly instanceTypeNames: readonly string[];
}

/** What a planned NodeClaim's requirements and labels come to, alike for claims alike but for their hostname. */
export type LaunchShape = Pick<PlannedNodeClaim, 'requirements' | 'labels'>;

/**
 * What the NodeClaims of one template are offered once planned: their options priced and
 * sorted, cut to the cheapest 600 (more when minValues needs them), with the zones and capacity
 * types they can launch in. Memoized: claims of one template often end with the same options,
 * and a claim may list up to 600 of them.
 */
export class ClaimOffers {
  private readonly byPriceCache = new Map<string, readonly number[]>();
  private readonly offerCache = new Map<string, ClaimOffer>();
  private readonly shapeCache = new Map<ClaimOffer, Map<string, LaunchShape>>();
  /** `signature` of each requirement met, kept: claims of the template share many. */
  private readonly signatures = new WeakMap<Requirement, string>();

  /** `options`: the template's, which every claim's options are some of. */
  constructor(
    private readonly table: InstanceTypeTable,
    private readonly options: readonly number[],
  ) {}

  /** The offer for a claim with these options and requirements. */
  offer(kept: ClaimOptions, requirements: Requirements): ClaimOffer {
    const offerings = this.offeringKey(requirements);
    // A claim's options are known by the template options it lost, usually a few small types.
    const lost = kept.missingFrom(this.options);
    const key = `${offerings}|${lost.join(',')}|${minValuesKey(requirements)}`;
    let offer = this.offerCache.get(key);
    if (!offer) {
      let byPrice = this.byPriceCache.get(offerings);
      if (!byPrice)
        this.byPriceCache.set(
          offerings,
          (byPrice = this.table.byPrice(this.options, requirements)),
        );
      const ordered = lost.length === 0 ? byPrice : byPrice.filter((index) => kept.has(index));
      this.offerCache.set(
        key,
        (offer = this.build(this.cheapest(ordered, requirements), requirements)),
      );
    }
    return offer;
  }

  /** `build()` for a claim with this offer and requirements, memoized: it does not depend on the hostname. */
  launchShape(
    offer: ClaimOffer,
    requirements: Requirements,
    build: () => LaunchShape,
  ): LaunchShape {
    let byRequirements = this.shapeCache.get(offer);
    if (!byRequirements)
      this.shapeCache.set(offer, (byRequirements = new Map<string, LaunchShape>()));
    const key = this.requirementsKey(requirements);
    let shape = byRequirements.get(key);
    if (!shape) byRequirements.set(key, (shape = build()));
    return shape;
  }

  private signature(requirement: Requirement | undefined): string {
    if (!requirement) return '';
    let text = this.signatures.get(requirement);
    if (text === undefined) this.signatures.set(requirement, (text = signature(requirement)));
    return text;
  }

  /** Zone and capacity type, which decide prices and offerings. */
  private offeringKey(requirements: Requirements): string {
    const zones = this.signature(requirements.get(Labels.zone));
    return `${zones}|${this.signature(requirements.get(Labels.capacityType))}`;
  }

  /** A claim's requirements as text, without its placeholder hostname. */
  private requirementsKey(requirements: Requirements): string {
    let key = '';
    for (const requirement of requirements.values())
      if (requirement.key !== Labels.hostname)
        key += `${requirement.key}=${this.signature(requirement)};`;
    return key;
  }

  /** The cheapest 600 of `ordered`, or as many more as minValues needs. */
  private cheapest(ordered: readonly number[], requirements: Requirements): readonly number[] {
    let chosen =
      ordered.length > MAX_INSTANCE_TYPES_PER_CLAIM
        ? ordered.slice(0, MAX_INSTANCE_TYPES_PER_CLAIM)
        : ordered;
    while (chosen.length < ordered.length && this.table.minValuesShortfall(chosen, requirements))
      chosen = ordered.slice(0, chosen.length + 1);
    return chosen;
  }

  private build(options: readonly number[], requirements: Requirements): ClaimOffer {
    const { table } = this;
    const instanceTypes: InstanceTypeOption[] = [];
    const zones = new Set<string>();
    const capacityTypes = new Set<CapacityType>();
    const allowed = table.offeringFilter(requirements);
    for (let position = 0; position < options.length; position++) {
      const instanceType = table.types[options[position] ?? 0];
      if (!instanceType) continue;
      // One pass over the allowed offerings: the cheapest price, and the zones and capacity types.
      let cheapest = Number.POSITIVE_INFINITY;
      const { offerings } = instanceType;
      for (let at = 0; at < offerings.length; at++) {
        const offering = offerings[at];
        if (!offering || !allowed(offering)) continue;
        if (offering.price < cheapest) cheapest = offering.price;
        zones.add(offering.zone);
        capacityTypes.add(offering.capacityType);
      }
      instanceTypes.push({ instanceType, priceUSDPerHour: cheapest });
    }
    return {
      options,
      instanceTypes,
      zones: [...zones].sort(),
      capacityTypes: [...capacityTypes].sort(),
      instanceTypeNames: instanceTypes.map(({ instanceType }) => instanceType.name).sort(),
    };
  }
}
