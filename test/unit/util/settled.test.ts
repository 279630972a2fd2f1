import { describe, expect, it } from 'vitest';
import { settled } from '../../../lib/util/settled.ts';

describe('settled', () => {
  it('resolves to what the work returns', async () => {
    // Act
    const result = settled(() => 42);

    // Assess
    await expect(result).resolves.toBe(42);
  });

  it('turns what the work throws into a rejection instead of throwing at the call', async () => {
    // Prepare
    const failure = new Error('not found');
    let thrownAtCall: unknown;

    // Act
    let result: Promise<never> | undefined;
    try {
      result = settled(() => {
        throw failure;
      });
    } catch (error) {
      thrownAtCall = error;
    }

    // Assess
    expect(thrownAtCall).toBeUndefined();
    await expect(result).rejects.toBe(failure);
  });
});
