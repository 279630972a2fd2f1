import { describe, expect, it } from 'vitest';
import {
  BudgetWindowSchema,
  DurationOrNeverSchema,
  durationMilliseconds,
} from '../../../lib/apis/duration.ts';

describe('durationMilliseconds', () => {
  it.each([
    ['0s', 0],
    ['30s', 30_000],
    ['10m', 600_000],
    ['1h30m', 5_400_000],
    ['720h', 2_592_000_000],
    ['Never', Infinity],
  ])('%s is %d ms', (duration, expected) => {
    // Prepare / Act
    const milliseconds = durationMilliseconds(duration);

    // Assess
    expect(milliseconds).toBe(expected);
  });

  it('rejects text that is not a duration', () => {
    // Prepare / Act
    const parse = () => durationMilliseconds('1d');

    // Assess
    expect(parse).toThrow('"1d" is not a duration');
  });
});

describe('duration schemas', () => {
  it.each(['10m', '8h', '1h30m', '1h30m0s'])('accepts budget window %s', (window) => {
    // Prepare / Act / Assess
    expect(BudgetWindowSchema.safeParse(window).success).toBe(true);
  });

  it.each(['30s', '1h30s', 'Never', ''])('rejects budget window %j', (window) => {
    // Prepare / Act / Assess
    expect(BudgetWindowSchema.safeParse(window).success).toBe(false);
  });

  it.each(['Never', '0s', '2h45m'])('accepts %s where Never is allowed', (duration) => {
    // Prepare / Act / Assess
    expect(DurationOrNeverSchema.safeParse(duration).success).toBe(true);
  });
});
