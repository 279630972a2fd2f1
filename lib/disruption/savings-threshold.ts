import type { NodePool } from '../apis/index.ts';

/**
 * The NodePool annotation that sets the least a consolidation replacement must save: a
 * percentage of the replaced nodes' price (`"10%"`) or dollars per hour (`"$0.05/hour"`).
 */
export const MIN_SAVINGS_ANNOTATION = 'skyscale.sh/consolidation-min-savings';

export type SavingsThreshold =
  | { readonly unit: 'percent'; readonly value: number }
  | { readonly unit: 'usd-per-hour'; readonly value: number };

const PERCENT = /^([0-9]+(?:\.[0-9]+)?)%$/;
const USD_PER_HOUR = /^\$([0-9]+(?:\.[0-9]+)?)\/hour$/;

/**
 * The NodePool's savings threshold: undefined without the annotation, a string saying what is
 * wrong with a value that does not parse (a percentage above 100 included).
 */
export function savingsThreshold(nodePool: NodePool): SavingsThreshold | undefined | string {
  const value = nodePool.metadata.annotations?.[MIN_SAVINGS_ANNOTATION];
  if (value === undefined) return undefined;
  const percent = PERCENT.exec(value.trim());
  if (percent && Number(percent[1]) <= 100) return { unit: 'percent', value: Number(percent[1]) };
  const dollars = USD_PER_HOUR.exec(value.trim());
  if (dollars) return { unit: 'usd-per-hour', value: Number(dollars[1]) };
  return `annotation "${MIN_SAVINGS_ANNOTATION}" on NodePool "${nodePool.metadata.name ?? ''}" must be a percentage from 0% to 100% (e.g. "10%") or dollars per hour (e.g. "$0.05/hour"), not "${value}"`;
}

/** The savings, in USD per hour, the threshold asks of a replacement for nodes costing `price`. */
export function requiredSavings(threshold: SavingsThreshold | undefined, price: number): number {
  if (!threshold) return 0;
  return threshold.unit === 'percent' ? (price * threshold.value) / 100 : threshold.value;
}
