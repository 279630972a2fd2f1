import type { CapacityType } from '../../../apis/labels.ts';
import { type CapacityOptions, instanceTypeFromFacts } from '../capacity.ts';
import { instanceTypeNameParts } from '../instance-facts.ts';
import type { InstanceType, Offering } from '../../types.ts';
import { decodeCatalog } from './catalog-encoding.ts';
import type { Catalog } from './catalog-schema.ts';
import { estimatedSpotPrice } from './spot-price-estimate.ts';
import { US_EAST_1_CATALOG } from './us-east-1.ts';

/**
 * Regions with a generated catalog; add one with `npm run catalog:generate -- --region R`.
 * The generator validates a catalog before writing it and the catalog test validates the
 * committed files, so loading skips the schema check, which costs more than the load itself.
 */
const ENCODED: Readonly<Record<string, string>> = { 'us-east-1': US_EAST_1_CATALOG };
const decoded = new Map<string, Catalog>();

export const EMBEDDED_CATALOG_REGIONS: readonly string[] = Object.keys(ENCODED);

export class CatalogError extends Error {
  override readonly name = 'CatalogError';
}

export function embeddedCatalog(region: string): Catalog {
  const encoded = ENCODED[region];
  if (encoded === undefined) {
    throw new CatalogError(
      `no embedded instance-type catalog for region "${region}" (embedded: ${EMBEDDED_CATALOG_REGIONS.join(', ')})`,
    );
  }
  let catalog = decoded.get(region);
  if (!catalog) decoded.set(region, (catalog = decodeCatalog(encoded)));
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
