import { INSTANCE_TYPE_LABELS, Labels } from '../apis/labels.ts';
import type { InstanceType, Offering } from '../cloudprovider/types.ts';
import type { Requirement } from './requirement.ts';
import type { Requirements } from './requirements.ts';
import { ResourceSpace } from './resources.ts';

/** Keys decided by an offering rather than by a label of the type. */
const OFFERING_KEYS: ReadonlySet<string> = new Set([Labels.zone, Labels.capacityType]);

function offeringAllowed(
  offering: Offering,
  zones: Requirement | undefined,
  capacityTypes: Requirement | undefined,
): boolean {
  return (
    offering.available &&
    (!zones || zones.has(offering.zone)) &&
    (!capacityTypes || capacityTypes.has(offering.capacityType))
  );
}

/** The requirements on `keys` that a type's labels decide (zone and capacity type are the offerings'). */
function labelRequirements(requirements: Requirements, keys: Iterable<string>): Requirement[] {
  const out: Requirement[] = [];
  for (const key of keys) {
    const requirement = OFFERING_KEYS.has(key) ? undefined : requirements.get(key);
    if (requirement) out.push(requirement);
  }
  return out;
}

/** Whether a type with these labels meets `requirement` on its key (a missing instance label only when it may be absent). */
export function typeLabelAllows(
  requirement: Requirement,
  labels: Readonly<Record<string, string>>,
): boolean {
  const value = labels[requirement.key];
  if (value === undefined)
    return !(requirement.mustExist && INSTANCE_TYPE_LABELS.has(requirement.key));
  return requirement.has(value);
}

/** Whether the bit set stored in `words` from `offset` on shares a bit with `other`. */
function intersects(words: Uint32Array, offset: number, other: Uint32Array): boolean {
  for (let word = 0; word < other.length; word++)
    if (((words[offset + word] ?? 0) & (other[word] ?? 0)) !== 0) return true;
  return false;
}

/** Sets bit `bit` of the bit set stored in `words` from `offset` on. */
function setBit(words: Uint32Array, offset: number, bit: number): void {
  const word = offset + (bit >>> 5);
  words[word] = (words[word] ?? 0) | (1 << (bit & 31));
}

/**
 * The instance types of one NodePool, with allocatable precomputed into one flat vector table
 * (capacity minus kube-reserved, system-reserved and the eviction threshold). Options are
 * referred to by index so claims can filter them without copying objects.
 */
export class InstanceTypeTable {
  readonly types: readonly InstanceType[];
  /** Allocatable, a vector of `width` per type. */
  readonly allocatable: Float64Array;
  readonly width: number;
  /** Each distinct zone and capacity type pair of an available offering, numbered by its bit. */
  private readonly offeringPairs: readonly { zone: string; capacityType: string }[];
  /** Per type, `offeringWords` words with the bits of the pairs it has an available offering in. */
  private readonly offeringBits: Uint32Array;
  private readonly offeringWords: number;

  constructor(types: readonly InstanceType[], space: ResourceSpace) {
    this.types = types;
    this.width = space.size;
    // Zone, then capacity type, to the bit of the pair.
    const pairs = new Map<string, Map<string, number>>();
    const offeringPairs: { zone: string; capacityType: string }[] = [];
    const bitOf = ({ zone, capacityType }: Offering): number => {
      let byCapacityType = pairs.get(zone);
      if (!byCapacityType) pairs.set(zone, (byCapacityType = new Map<string, number>()));
      let bit = byCapacityType.get(capacityType);
      if (bit === undefined) {
        byCapacityType.set(capacityType, (bit = offeringPairs.length));
        offeringPairs.push({ zone, capacityType });
      }
      return bit;
    };
    const bits = types.map(({ offerings }) =>
      offerings.filter(({ available }) => available).map(bitOf),
    );
    this.offeringPairs = offeringPairs;
    this.offeringWords = Math.max(1, Math.ceil(offeringPairs.length / 32));
    this.offeringBits = new Uint32Array(types.length * this.offeringWords);
    bits.forEach((typeBits, index) => {
      for (const bit of typeBits) setBit(this.offeringBits, index * this.offeringWords, bit);
    });
    const { names, size } = space;
    this.allocatable = new Float64Array(types.length * size);
    types.forEach(({ capacity, overhead }, index) => {
      const { kubeReserved, systemReserved, evictionThreshold } = overhead;
      names.forEach((name, position) => {
        const kept =
          (capacity[name] ?? 0) -
          (kubeReserved[name] ?? 0) -
          (systemReserved[name] ?? 0) -
          (evictionThreshold[name] ?? 0);
        this.allocatable[index * size + position] = Math.max(0, kept);
      });
    });
  }

  /** Options ordered by their cheapest available offering (ties by catalog order). */
  byPrice(options: readonly number[], requirements: Requirements): number[] {
    const prices = new Map(
      options.map((index) => [index, this.cheapestPrice(index, requirements)]),
    );
    return [...options].sort((a, b) => (prices.get(a) ?? 0) - (prices.get(b) ?? 0) || a - b);
  }

  /** The cheapest available offering of the type that `requirements` allow; Infinity when none. */
  cheapestPrice(index: number, requirements: Requirements): number {
    const zones = requirements.get(Labels.zone);
    const capacityTypes = requirements.get(Labels.capacityType);
    let cheapest = Number.POSITIVE_INFINITY;
    for (const offering of this.types[index]?.offerings ?? []) {
      if (offering.price < cheapest && offeringAllowed(offering, zones, capacityTypes))
        cheapest = offering.price;
    }
    return cheapest;
  }

  /**
   * Whether a type's labels satisfy `requirements` on `keys` (zone and capacity type go through
   * offerings), for a scan over many types. A type lacking one of its own labels (no GPU count on
   * a type without GPUs) meets only requirements that let the label be absent; other keys a type
   * lacks (the NodePool, team labels) are the NodeClaim's to carry.
   */
  labelFilter(requirements: Requirements, keys: Iterable<string>): (index: number) => boolean {
    const labels = labelRequirements(requirements, keys);
    return (index) => this.labelsMeet(index, labels);
  }

  /** Whether a type has an available offering that `requirements` allow, for a scan over many types. */
  offeredFilter(requirements: Requirements): (index: number) => boolean {
    const allowed = this.allowedOfferings(requirements);
    return (index) => this.anyOfferingAllowed(index, allowed);
  }

  /**
   * `labelFilter` on `keys` and, when zone or capacity type is among them, `offeredFilter`,
   * with the requirements looked up once for a scan over many options; undefined when every
   * option passes, since the keys name no label and `common` (`offeringsInCommon` of the options)
   * holds an allowed offering.
   */
  optionFilter(
    requirements: Requirements,
    keys: readonly string[],
    common: Uint32Array,
  ): ((index: number) => boolean) | undefined {
    const labels = labelRequirements(requirements, keys);
    if (!keys.some((key) => OFFERING_KEYS.has(key)))
      return labels.length === 0 ? undefined : (index) => this.labelsMeet(index, labels);
    const allowed = this.allowedOfferings(requirements);
    if (labels.length === 0 && intersects(common, 0, allowed)) return undefined;
    return (index) => this.labelsMeet(index, labels) && this.anyOfferingAllowed(index, allowed);
  }

  /** The offering pairs every one of `options` has. */
  offeringsInCommon(options: readonly number[]): Uint32Array {
    const { offeringBits, offeringWords } = this;
    const common = new Uint32Array(offeringWords).fill(0xffffffff);
    for (const index of options)
      for (let word = 0; word < offeringWords; word++)
        common[word] = (common[word] ?? 0) & (offeringBits[index * offeringWords + word] ?? 0);
    return common;
  }

  private labelsMeet(index: number, requirements: readonly Requirement[]): boolean {
    const labels = this.types[index]?.labels ?? {};
    for (let position = 0; position < requirements.length; position++) {
      const requirement = requirements[position];
      if (requirement && !typeLabelAllows(requirement, labels)) return false;
    }
    return true;
  }

  /** The bits of the offering pairs that `requirements` allow. */
  private allowedOfferings(requirements: Requirements): Uint32Array {
    const zones = requirements.get(Labels.zone);
    const capacityTypes = requirements.get(Labels.capacityType);
    const allowed = new Uint32Array(this.offeringWords);
    this.offeringPairs.forEach(({ zone, capacityType }, bit) => {
      if ((!zones || zones.has(zone)) && (!capacityTypes || capacityTypes.has(capacityType)))
        setBit(allowed, 0, bit);
    });
    return allowed;
  }

  private anyOfferingAllowed(index: number, allowed: Uint32Array): boolean {
    return intersects(this.offeringBits, index * this.offeringWords, allowed);
  }

  /** Available offerings of the type that `requirements` allow. */
  offerings(index: number, requirements: Requirements): Offering[] {
    return (this.types[index]?.offerings ?? []).filter(this.offeringFilter(requirements));
  }

  /** Whether an offering is available and `requirements` allow it, for a scan over many types. */
  offeringFilter(requirements: Requirements): (offering: Offering) => boolean {
    const zones = requirements.get(Labels.zone);
    const capacityTypes = requirements.get(Labels.capacityType);
    return (offering) => offeringAllowed(offering, zones, capacityTypes);
  }

  /** Distinct values of `key` across `options` (for minValues). */
  distinctValues(options: readonly number[], key: string, requirements: Requirements): number {
    const values = new Set<string>();
    for (const index of options) {
      if (key === Labels.zone)
        for (const offering of this.offerings(index, requirements)) values.add(offering.zone);
      else if (key === Labels.capacityType)
        for (const offering of this.offerings(index, requirements))
          values.add(offering.capacityType);
      else {
        const value = this.types[index]?.labels[key];
        if (value !== undefined) values.add(value);
      }
    }
    return values.size;
  }

  /** The first requirement with minValues that `options` cannot meet, described, or undefined. */
  minValuesShortfall(options: readonly number[], requirements: Requirements): string | undefined {
    for (const requirement of requirements.values()) {
      if (requirement.minValues === undefined) continue;
      const distinct = this.distinctValues(options, requirement.key, requirements);
      if (distinct < requirement.minValues)
        return `minValues ${requirement.minValues} for ${requirement.key} not met (${distinct} distinct values)`;
    }
    return undefined;
  }
}
