import type { CapacityType } from '../../../apis/labels.ts';
import { type CapacityOptions, instanceTypeFromFacts } from '../capacity.ts';
import { instanceTypeNameParts } from '../instance-facts.ts';
import type { InstanceType, Offering } from '../../types.ts';
import type { Catalog } from './catalog-schema.ts';
import { estimatedSpotPrice } from './spot-price-estimate.ts';
import usEast1 from './us-east-1.json' with { type: 'json' };

/**
 * Regions with a generated catalog; add one with `npm run catalog:generate -- --region R`.
 * The generator validates a catalog before writing it and the catalog test validates the
 * committed files, so loading skips the schema check, which costs more than the load itself.
 */
const EMBEDDED: Readonly<Record<string, Catalog>> = { 'us-east-1': usEast1 as Catalog };

export const EMBEDDED_CATALOG_REGIONS: readonly string[] = Object.keys(EMBEDDED);

export class CatalogError extends Error {
  override readonly name = 'CatalogError';
}

export function embeddedCatalog(region: string): Catalog {
  const catalog = EMBEDDED[region];
  if (!catalog) {
    throw new CatalogError(
      `no embedded instance-type catalog for region "${region}" (embedded: ${EMBEDDED_CATALOG_REGIONS.join(', ')})`,
    );
  }
  return catalog;
}

/**
 * The catalog's types with capacity and overhead for the given node settings, and one offering
 * per zone × capacity type. On-demand prices are the catalog's; spot prices are estimates.
 */
export function instanceTypesFromCatalog(
  catalog: Catalog,
  options: CapacityOptions = {},
): InstanceType[] {
  return catalog.instanceTypes.map(({ zones, capacityTypes, onDemandUSDPerHour, ...facts }) => {
    const { family } = instanceTypeNameParts(facts.name);
    const priceOf = (capacityType: CapacityType): number =>
      capacityType === 'spot' ? estimatedSpotPrice(family, onDemandUSDPerHour) : onDemandUSDPerHour;
    const offerings: Offering[] = zones.flatMap((zone) =>
      capacityTypes.map((capacityType) => ({
        zone: catalog.zones[zone] ?? '',
        capacityType,
        price: priceOf(capacityType),
        available: true,
      })),
    );
    return instanceTypeFromFacts(facts, offerings, options);
  });
}

export function embeddedInstanceTypes(
  region: string,
  options: CapacityOptions = {},
): InstanceType[] {
  return instanceTypesFromCatalog(embeddedCatalog(region), options);
}
