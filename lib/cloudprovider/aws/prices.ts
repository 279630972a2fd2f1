/**
 * On-demand prices from the Pricing API and spot prices from EC2's spot price history, each
 * falling back to the embedded catalog when its API cannot be used (an isolated VPC, missing
 * permissions, an emulator). The log says which source each came from.
 */
import { paginateDescribeSpotPriceHistory, type EC2Client } from '@aws-sdk/client-ec2';
import { paginateGetProducts, type PricingClient } from '@aws-sdk/client-pricing';
import { z } from 'zod';
import { CatalogError, embeddedCatalog, estimatedSpotPrice } from '../ec2-model/catalog/index.ts';
import { formatZodIssues } from '../../apis/zod-issues.ts';
import { instanceTypeNameParts } from '../ec2-model/instance-facts.ts';
import type { MarketCapacityType } from './instance-type-info.ts';
import type { ProviderLogger } from './provider-logger.ts';

export type PriceSource = 'pricing-api' | 'ec2-spot-price-history' | 'embedded-catalog';

export interface Prices {
  /** USD per hour by instance type. */
  readonly onDemand: ReadonlyMap<string, number>;
  /** USD per hour by `instanceType/zone`. */
  readonly spot: ReadonlyMap<string, number>;
  readonly onDemandSource: PriceSource;
  readonly spotSource: PriceSource;
}

const PriceListItemSchema = z.looseObject({
  product: z.looseObject({ attributes: z.looseObject({ instanceType: z.string().min(1) }) }),
  terms: z.looseObject({
    OnDemand: z.record(
      z.string(),
      z.looseObject({
        priceDimensions: z.record(
          z.string(),
          z.looseObject({ unit: z.string(), pricePerUnit: z.looseObject({ USD: z.string() }) }),
        ),
      }),
    ),
  }),
});

export class PriceListError extends Error {
  override readonly name = 'PriceListError';
}

/** Hourly USD price per instance type from GetProducts' `PriceList` (one JSON document per product). */
export function parseOnDemandPriceList(priceList: readonly string[]): Map<string, number> {
  const prices = new Map<string, number>();
  priceList.forEach((document, index) => {
    let json: unknown;
    try {
      json = JSON.parse(document);
    } catch (error) {
      throw new PriceListError(`PriceList[${index}]: not JSON`, { cause: error });
    }
    const parsed = PriceListItemSchema.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => ({
        message: issue.message,
        path: ['PriceList', index, ...issue.path],
      }));
      throw new PriceListError(formatZodIssues(issues).join('; '));
    }
    const dimensions = Object.values(parsed.data.terms.OnDemand).flatMap((term) =>
      Object.values(term.priceDimensions),
    );
    const hourly = dimensions
      .filter((dimension) => dimension.unit === 'Hrs')
      .map((dimension) => Number(dimension.pricePerUnit.USD))
      .find((price) => Number.isFinite(price) && price > 0);
    if (hourly !== undefined) prices.set(parsed.data.product.attributes.instanceType, hourly);
  });
  return prices;
}

const LINUX_SHARED_FILTERS = Object.entries({
  operatingSystem: 'Linux',
  tenancy: 'Shared',
  preInstalledSw: 'NA',
  capacitystatus: 'Used',
  productFamily: 'Compute Instance',
}).map(([Field, Value]) => ({ Type: 'TERM_MATCH' as const, Field, Value }));

async function onDemandFromPricingApi(
  pricing: PricingClient,
  region: string,
): Promise<Map<string, number>> {
  const prices = new Map<string, number>();
  const input = {
    ServiceCode: 'AmazonEC2',
    FormatVersion: 'aws_v1',
    Filters: [
      ...LINUX_SHARED_FILTERS,
      { Type: 'TERM_MATCH' as const, Field: 'regionCode', Value: region },
    ],
  };
  for await (const page of paginateGetProducts({ client: pricing }, input)) {
    const documents = z.array(z.string()).parse(page.PriceList ?? []);
    for (const [instanceType, price] of parseOnDemandPriceList(documents))
      prices.set(instanceType, price);
  }
  return prices;
}

async function spotFromPriceHistory(ec2: EC2Client, now: Date): Promise<Map<string, number>> {
  const latest = new Map<string, { price: number; at: number }>();
  const input = { ProductDescriptions: ['Linux/UNIX', 'Linux/UNIX (Amazon VPC)'], StartTime: now };
  for await (const page of paginateDescribeSpotPriceHistory({ client: ec2 }, input)) {
    for (const entry of page.SpotPriceHistory ?? []) {
      const price = Number(entry.SpotPrice);
      if (!entry.InstanceType || !entry.AvailabilityZone || !(price > 0)) continue;
      const key = `${entry.InstanceType}/${entry.AvailabilityZone}`;
      const at = entry.Timestamp?.getTime() ?? 0;
      if ((latest.get(key)?.at ?? -Infinity) < at) latest.set(key, { price, at });
    }
  }
  return new Map([...latest].map(([key, { price }]) => [key, price]));
}

function catalogOnDemand(region: string, logger: ProviderLogger): Map<string, number> {
  try {
    return new Map(
      embeddedCatalog(region).instanceTypes.map((entry) => [entry.name, entry.onDemandUSDPerHour]),
    );
  } catch (error) {
    if (!(error instanceof CatalogError)) throw error;
    logger.warn(
      'no on-demand prices: the Pricing API failed and no catalog is embedded for the region',
      { region },
    );
    return new Map();
  }
}

export interface PriceLoaderClients {
  readonly ec2: EC2Client;
  readonly pricing: PricingClient;
}

export async function loadPrices(
  clients: PriceLoaderClients,
  region: string,
  now: Date,
  logger: ProviderLogger,
): Promise<Prices> {
  let onDemand: Map<string, number>;
  let onDemandSource: PriceSource = 'pricing-api';
  try {
    onDemand = await onDemandFromPricingApi(clients.pricing, region);
    if (onDemand.size === 0)
      throw new PriceListError(`GetProducts returned no Linux prices for ${region}`);
  } catch (error) {
    logger.warn('Pricing GetProducts failed; using the embedded catalog for on-demand prices', {
      error: String(error),
    });
    onDemand = catalogOnDemand(region, logger);
    onDemandSource = 'embedded-catalog';
  }
  let spot: Map<string, number> = new Map();
  let spotSource: PriceSource = 'ec2-spot-price-history';
  try {
    spot = await spotFromPriceHistory(clients.ec2, now);
  } catch (error) {
    logger.warn('DescribeSpotPriceHistory failed; estimating spot prices from on-demand prices', {
      error: String(error),
    });
    spotSource = 'embedded-catalog';
  }
  logger.info('prices loaded', {
    onDemandSource,
    onDemandInstanceTypes: onDemand.size,
    spotSource,
    spotOfferings: spot.size,
  });
  return { onDemand, spot, onDemandSource, spotSource };
}

/** The price of one offering, or undefined when no source knows it (the offering is then skipped). */
export function offeringPrice(
  prices: Prices,
  instanceType: string,
  zone: string,
  capacityType: MarketCapacityType,
): number | undefined {
  const onDemand = prices.onDemand.get(instanceType);
  if (capacityType === 'on-demand') return onDemand;
  const spot = prices.spot.get(`${instanceType}/${zone}`);
  if (spot !== undefined || prices.spotSource !== 'embedded-catalog' || onDemand === undefined)
    return spot;
  return estimatedSpotPrice(instanceTypeNameParts(instanceType).family, onDemand);
}
