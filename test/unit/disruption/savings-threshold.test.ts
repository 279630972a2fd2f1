import { describe, expect, it } from 'vitest';
import { requiredSavings, savingsThreshold } from '../../../lib/disruption/index.ts';
import { consolidatingPool } from './consolidation-fixtures.ts';

function poolWith(value: string) {
  return consolidatingPool('web', {}, { 'skyscale.sh/consolidation-min-savings': value });
}

describe('the minimum savings annotation', () => {
  it.each([
    ['10%', { unit: 'percent', value: 10 }],
    ['2.5%', { unit: 'percent', value: 2.5 }],
    ['$0.05/hour', { unit: 'usd-per-hour', value: 0.05 }],
  ])('reads %s', (value, expected) => {
    // Act
    const threshold = savingsThreshold(poolWith(value));

    // Assess
    expect(threshold).toEqual(expected);
  });

  it.each(['150%', '-5%', '0.05', '$0.05', 'ten percent', ''])(
    'rejects %j, naming the annotation and the NodePool',
    (value) => {
      // Act
      const threshold = savingsThreshold(poolWith(value));

      // Assess
      expect(threshold).toMatch(
        /^annotation "skyscale.sh\/consolidation-min-savings" on NodePool "web" must be/,
      );
    },
  );

  it('asks nothing of a NodePool without it', () => {
    // Act
    const threshold = savingsThreshold(consolidatingPool('web'));

    // Assess
    expect(threshold).toBeUndefined();
    expect(requiredSavings(undefined, 0.4)).toBe(0);
  });

  it('turns a percentage into dollars an hour of the replaced price', () => {
    // Act
    const required = requiredSavings({ unit: 'percent', value: 25 }, 0.4);

    // Assess
    expect(required).toBeCloseTo(0.1);
  });
});
