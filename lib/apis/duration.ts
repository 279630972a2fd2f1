import { z } from 'zod';

/** Go-style durations as Karpenter's CRDs accept them: hours, minutes and seconds, e.g. `1h30m`. */
const DURATION = /^([0-9]+(s|m|h))+$/;
/** A duration or `Never`. */
const DURATION_OR_NEVER = /^(([0-9]+(s|m|h))+|Never)$/;
/** A disruption budget's window: whole hours and/or minutes, e.g. `8h` or `1h30m`. */
const BUDGET_WINDOW = /^(([0-9]+(h|m))|([0-9]+h[0-9]+m))(0s)?$/;

export const NEVER = 'Never';

export const DurationSchema = z
  .string()
  .regex(DURATION, 'must be a duration such as "30s", "10m" or "1h30m"');
export const DurationOrNeverSchema = z
  .string()
  .regex(DURATION_OR_NEVER, 'must be a duration such as "30s", "10m" or "720h", or "Never"');
export const BudgetWindowSchema = z
  .string()
  .regex(BUDGET_WINDOW, 'must be a duration in hours and minutes such as "10m", "8h" or "1h30m"');

/** Milliseconds in a duration accepted by the schemas above; `Never` is Infinity. */
export function durationMilliseconds(duration: string): number {
  if (duration === NEVER) return Infinity;
  const milliseconds = DURATION.test(duration) ? goDurationMilliseconds(duration) : undefined;
  if (milliseconds === undefined) throw new RangeError(`"${duration}" is not a duration`);
  return milliseconds;
}

const GO_DURATION = /^(?:[0-9]+(?:\.[0-9]+)?(?:ns|us|µs|ms|s|m|h))+$/;
const GO_UNIT_MILLISECONDS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
};

/** Milliseconds in a Go `time.Duration` string such as `"1h30m"` or `"1.5h"`, or undefined when it is not one. */
export function goDurationMilliseconds(text: string): number | undefined {
  if (!GO_DURATION.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/([0-9]+(?:\.[0-9]+)?)(ns|us|µs|ms|s|m|h)/g))
    total += Number(amount) * (GO_UNIT_MILLISECONDS[unit ?? ''] ?? 0);
  return total;
}
