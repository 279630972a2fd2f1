import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { estimatedSpotPrice } from '../../../../lib/cloudprovider/ec2-model/catalog/index.ts';
import {
  offeringPrice,
  parseOnDemandPriceList,
  PriceListError,
  type Prices,
} from '../../../../lib/cloudprovider/aws/prices.ts';

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/get-products-price-list.json', import.meta.url), 'utf8'),
) as { PriceList: string[] };

describe('parseOnDemandPriceList', () => {
  it('reads the hourly USD price of each product, skipping zero and non-hourly prices', () => {
    // Act
    const prices = parseOnDemandPriceList(fixture.PriceList);

    // Assess
    expect(Object.fromEntries(prices)).toEqual({ 'm5.large': 0.096, 'c7g.xlarge': 0.145 });
  });

  it('names the document and field of a malformed entry', () => {
    // Prepare
    const broken = JSON.stringify({ product: { attributes: {} }, terms: { OnDemand: {} } });

    // Act
    const parse = (): Map<string, number> =>
      parseOnDemandPriceList([fixture.PriceList[0] ?? '', broken]);

    // Assess
    expect(parse).toThrow(PriceListError);
    expect(parse).toThrow(/^PriceList\[1\]\.product\.attributes\.instanceType: /);
    expect(() => parseOnDemandPriceList(['{not json'])).toThrow(/^PriceList\[0\]: not JSON$/);
  });
});

describe('offeringPrice', () => {
  const prices = (spotSource: Prices['spotSource']): Prices => ({
    onDemand: new Map([['m5.large', 0.096]]),
    spot: new Map([['m5.large/us-east-1a', 0.035]]),
    onDemandSource: 'pricing-api',
    spotSource,
  });

  it('uses the zone’s spot price from the price history and the on-demand price by type', () => {
    expect(offeringPrice(prices('ec2-spot-price-history'), 'm5.large', 'us-east-1a', 'spot')).toBe(
      0.035,
    );
    expect(
      offeringPrice(prices('ec2-spot-price-history'), 'm5.large', 'us-east-1b', 'on-demand'),
    ).toBe(0.096);
  });

  it('has no spot price for a zone the history lacks, unless spot prices come from the estimate', () => {
    expect(
      offeringPrice(prices('ec2-spot-price-history'), 'm5.large', 'us-east-1b', 'spot'),
    ).toBeUndefined();
    expect(offeringPrice(prices('embedded-catalog'), 'm5.large', 'us-east-1b', 'spot')).toBe(
      estimatedSpotPrice('m5', 0.096),
    );
    expect(
      offeringPrice(prices('embedded-catalog'), 'c5.large', 'us-east-1b', 'spot'),
    ).toBeUndefined();
  });
});
