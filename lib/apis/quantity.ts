/**
 * Kubernetes resource quantities (`500m`, `1.5Gi`, `2e3`) and the numeric resource lists the
 * scheduler works with. In a `Resources` map, `cpu` is in millicores and every other resource is
 * in its base unit (bytes for memory and storage, a count for pods and extended resources), so
 * arithmetic stays in integers. The zod schemas are in quantity-schema.ts, so the scheduler loads
 * without zod.
 */
export type Resources = Readonly<Record<string, number>>;

const SUFFIXES: Readonly<Record<string, number>> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

// Unambiguous, so matching takes linear time on any input; no sign but `+`: Skyscale reads only
// requests, capacities and limits, which cannot be negative.
export const QUANTITY =
  /^\+?(\d+(?:\.\d*)?|\.\d+)(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]))?$/;

export class QuantityError extends Error {
  override readonly name = 'QuantityError';
}

export const QUANTITY_MESSAGE =
  'must be a non-negative Kubernetes quantity such as "500m" or "4Gi"';

function valueOf([, mantissa, exponent, suffix]: RegExpExecArray): number {
  const base = Number(mantissa);
  return exponent ? base * 10 ** Number(exponent.slice(1)) : base * (SUFFIXES[suffix ?? ''] ?? 1);
}

/** False only for a well-formed quantity too large for a number; the pattern reports the rest. */
export function withinRange(text: string): boolean {
  const match = QUANTITY.exec(text);
  return match === null || Number.isFinite(valueOf(match));
}

export function isQuantity(text: string): boolean {
  return QUANTITY.test(text.trim());
}

/** The value of a quantity in base units (`500m` → 0.5, `1Ki` → 1024). */
export function parseQuantity(quantity: string | number): number {
  if (typeof quantity === 'number') return quantity;
  const match = QUANTITY.exec(quantity.trim());
  if (!match) throw new QuantityError(`"${quantity}" is not a Kubernetes quantity`);
  const value = valueOf(match);
  if (!Number.isFinite(value)) throw new QuantityError(`"${quantity}" is too large`);
  return value;
}

/** A resource's quantity in the units a `Resources` map uses for it. */
export function resourceValue(name: string, quantity: string | number): number {
  const value = parseQuantity(quantity);
  return name === 'cpu' ? Math.ceil(value * 1000 - 1e-9) : Math.ceil(value - 1e-9);
}

export function toResources(
  list: Readonly<Record<string, string | number>> | undefined,
): Resources {
  const out: Record<string, number> = {};
  for (const [name, quantity] of Object.entries(list ?? {}))
    out[name] = resourceValue(name, quantity);
  return out;
}

/** Formats a `Resources` entry back into a canonical quantity string. */
export function formatResource(name: string, value: number): string {
  if (name === 'cpu') return value % 1000 === 0 ? String(value / 1000) : `${value}m`;
  for (const [suffix, factor] of [
    ['Gi', 2 ** 30],
    ['Mi', 2 ** 20],
    ['Ki', 2 ** 10],
  ] as const) {
    if (value !== 0 && value % factor === 0) return `${value / factor}${suffix}`;
  }
  return String(value);
}

export function formatResources(resources: Resources): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(resources)) out[name] = formatResource(name, value);
  return out;
}
