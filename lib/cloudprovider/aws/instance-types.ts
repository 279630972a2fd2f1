/**
 * The instance types EC2 offers in the region (DescribeInstanceTypes + DescribeInstanceTypeOfferings)
 * turned into Skyscale InstanceTypes for one node class: capacity and overhead from the shared
 * capacity model, one offering per zone × capacity type with its price and availability.
 */
import {
  paginateDescribeInstanceTypeOfferings,
  paginateDescribeInstanceTypes,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { instanceTypeFromFacts, type CapacityOptions } from '../ec2-model/capacity.ts';
import { EMBEDDED_CATALOG_REGIONS, embeddedCatalog } from '../ec2-model/catalog/index.ts';
import { reservedPrice } from '../ec2-model/offering-selection.ts';
import type { InstanceType, Offering } from '../types.ts';
import type { UnavailableOfferings } from '../ec2-model/unavailable-offerings.ts';
import { describedInstanceType, type DescribedInstanceType } from './instance-type-info.ts';
import { offeringPrice, type Prices } from './prices.ts';

/**
 * Branch ENIs (security groups for pods) are not in the EC2 API; the embedded catalog has them
 * from the VPC resource controller's limits, which are the same in every region.
 */
function branchEnisFromCatalog(region: string): (instanceType: string) => number {
  const catalogRegion = EMBEDDED_CATALOG_REGIONS.includes(region)
    ? region
    : EMBEDDED_CATALOG_REGIONS[0];
  const entries = catalogRegion ? embeddedCatalog(catalogRegion).instanceTypes : [];
  const branchEnis = new Map(entries.map((entry) => [entry.name, entry.branchEnis]));
  return (instanceType) => branchEnis.get(instanceType) ?? 0;
}

export async function describeInstanceTypes(
  ec2: EC2Client,
  region: string,
): Promise<DescribedInstanceType[]> {
  const branchEnis = branchEnisFromCatalog(region);
  const described: DescribedInstanceType[] = [];
  for await (const page of paginateDescribeInstanceTypes({ client: ec2 }, { MaxResults: 100 })) {
    for (const info of page.InstanceTypes ?? []) {
      const entry = describedInstanceType(info, branchEnis);
      if (entry) described.push(entry);
    }
  }
  return described;
}

/** The zones that offer each instance type. */
export async function describeOfferingZones(ec2: EC2Client): Promise<Map<string, string[]>> {
  const zones = new Map<string, string[]>();
  const input = { LocationType: 'availability-zone' as const, MaxResults: 1000 };
  for await (const page of paginateDescribeInstanceTypeOfferings({ client: ec2 }, input)) {
    for (const offering of page.InstanceTypeOfferings ?? []) {
      if (!offering.InstanceType || !offering.Location) continue;
      zones.set(offering.InstanceType, [
        ...(zones.get(offering.InstanceType) ?? []),
        offering.Location,
      ]);
    }
  }
  return zones;
}

export interface InstanceTypeSources {
  readonly described: readonly DescribedInstanceType[];
  readonly offeringZones: ReadonlyMap<string, readonly string[]>;
  readonly prices: Prices;
}

/** A capacity reservation the node class selects, with the instances it can still take. */
export interface ReservedCapacity {
  readonly id: string;
  readonly instanceType: string;
  readonly zone: string;
  readonly remaining: number;
}

function reservedOfferings(
  sources: InstanceTypeSources,
  instanceType: string,
  subnetZones: ReadonlySet<string>,
  reservations: readonly ReservedCapacity[],
  unavailable: UnavailableOfferings,
): Offering[] {
  return reservations
    .filter((reservation) => reservation.instanceType === instanceType)
    .filter(({ zone }) => subnetZones.has(zone))
    .map(({ id, zone, remaining }) => ({
      zone,
      capacityType: 'reserved' as const,
      price: reservedPrice(offeringPrice(sources.prices, instanceType, zone, 'on-demand') ?? 0),
      available:
        remaining > 0 &&
        !unavailable.isUnavailable({
          instanceType,
          zone,
          capacityType: 'reserved',
          reservationId: id,
        }),
      reservationId: id,
    }));
}

/**
 * InstanceTypes for a node class whose subnets cover `subnetZones`. Offerings exist only where
 * the class can launch (a subnet in the zone) and a price is known, plus one per selected
 * capacity reservation; an offering in the unavailable-offerings cache, or a reservation with
 * nothing left, is reported with `available: false`.
 */
export function buildInstanceTypes(
  sources: InstanceTypeSources,
  subnetZones: ReadonlySet<string>,
  capacityOptions: CapacityOptions,
  unavailable: UnavailableOfferings,
  reservations: readonly ReservedCapacity[] = [],
): InstanceType[] {
  const instanceTypes: InstanceType[] = [];
  for (const { facts, capacityTypes } of sources.described) {
    const offerings: Offering[] = reservedOfferings(
      sources,
      facts.name,
      subnetZones,
      reservations,
      unavailable,
    );
    for (const zone of sources.offeringZones.get(facts.name) ?? []) {
      if (!subnetZones.has(zone)) continue;
      for (const capacityType of capacityTypes) {
        const price = offeringPrice(sources.prices, facts.name, zone, capacityType);
        if (price === undefined) continue;
        const available = !unavailable.isUnavailable({
          instanceType: facts.name,
          zone,
          capacityType,
        });
        offerings.push({ zone, capacityType, price, available });
      }
    }
    if (offerings.length > 0)
      instanceTypes.push(instanceTypeFromFacts(facts, offerings, capacityOptions));
  }
  return instanceTypes;
}
