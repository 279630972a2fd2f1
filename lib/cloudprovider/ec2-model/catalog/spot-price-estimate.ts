/**
 * An ESTIMATE of the spot price, for the embedded catalog only: live spot prices come from EC2
 * (DescribeSpotPriceHistory) at run time and change hourly, so the catalog does not store any.
 *
 *   spot = on-demand × (1 − discount),  discount = 55 % + 25 % × h(family)
 *
 * where h(family) ∈ [0, 1) is the FNV-1a hash of the instance family divided by 2³². Every type
 * of a family gets the same discount, between 55 % and 80 %, the range EC2 spot discounts
 * usually fall in; the price is the same in every zone and rounded to 6 decimals, as EC2 quotes it.
 */
const MIN_DISCOUNT = 0.55;
const DISCOUNT_SPREAD = 0.25;

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

export function estimatedSpotDiscount(family: string): number {
  return MIN_DISCOUNT + DISCOUNT_SPREAD * (fnv1a(family) / 2 ** 32);
}

export function estimatedSpotPrice(family: string, onDemandUSDPerHour: number): number {
  return Math.round(onDemandUSDPerHour * (1 - estimatedSpotDiscount(family)) * 1e6) / 1e6;
}
