import type { CapacityType } from '../../apis/index.ts';
import { offeringPrice } from '../../cloudprovider/index.ts';
import {
  EMBEDDED_CATALOG_REGIONS,
  embeddedInstanceTypes,
} from '../../cloudprovider/ec2-model/catalog/index.ts';

/** USD per hour of one instance, or undefined when the embedded catalog does not sell it so. */
export type PriceOf = (
  instanceType: string,
  capacityType: CapacityType,
  zone: string,
) => number | undefined;

/**
 * Prices from the embedded catalog of the region: on-demand prices as AWS lists them, spot prices
 * estimated (live spot prices change hourly and are not embedded). Regions without a catalog
 * price nothing.
 */
export function catalogPrices(region: string): PriceOf {
  if (!EMBEDDED_CATALOG_REGIONS.includes(region)) return () => undefined;
  const types = new Map(embeddedInstanceTypes(region).map((type) => [type.name, type]));
  return (instanceType, capacityType, zone) =>
    offeringPrice(types.get(instanceType), zone, capacityType);
}
