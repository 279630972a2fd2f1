import { describe, expect, it } from 'vitest';
import { EC2ServiceException } from '@aws-sdk/client-ec2';
import { CloudProviderError } from '../../../../lib/cloudprovider/errors.ts';
import {
  backoffDelayMs,
  retryWhileThrottled,
  type RetryTiming,
} from '../../../../lib/cloudprovider/aws/throttle-retry.ts';

const throttled = (): EC2ServiceException =>
  new EC2ServiceException({ name: 'RequestLimitExceeded', $fault: 'client', $metadata: {} });

/** A virtual clock: sleeping advances time, and the run ends at `budgetMs`. */
function virtualTiming(budgetMs: number, random = 0.5): RetryTiming & { slept: number[] } {
  let elapsed = 0;
  const slept: number[] = [];
  return {
    slept,
    remainingMs: () => budgetMs - elapsed,
    sleep: (ms) => {
      slept.push(ms);
      elapsed += ms;
      return Promise.resolve();
    },
    random: () => random,
  };
}

describe('backoffDelayMs', () => {
  it('grows exponentially up to the cap, scaled by the jitter draw', () => {
    const options = { baseMs: 100, capMs: 1_000 };
    expect(backoffDelayMs(0, 0.5, options)).toBe(50);
    expect(backoffDelayMs(3, 0.5, options)).toBe(400);
    expect(backoffDelayMs(10, 0.5, options)).toBe(500);
    expect(backoffDelayMs(10, 0, options)).toBe(0);
    expect(backoffDelayMs(10, 0.999, options)).toBe(999);
  });
});

describe('retryWhileThrottled', () => {
  it('keeps retrying RequestLimitExceeded while the run has time, then returns the result', async () => {
    // Prepare
    const timing = virtualTiming(60_000);
    let calls = 0;
    const call = (): Promise<string> => {
      calls++;
      return calls <= 6 ? Promise.reject(throttled()) : Promise.resolve('launched');
    };

    // Act
    const result = await retryWhileThrottled('CreateFleet', call, timing);

    // Assess
    expect(result).toBe('launched');
    expect(calls).toBe(7);
    expect(timing.slept).toHaveLength(6);
    expect(timing.slept[5]).toBeGreaterThan(timing.slept[0] ?? Infinity);
  });

  it('gives up with a CloudProviderError when the next back-off would outlast the run', async () => {
    // Prepare
    const timing = virtualTiming(1_000, 0.9);
    const error = throttled();

    // Act
    const outcome = retryWhileThrottled('CreateFleet', () => Promise.reject(error), timing, {
      baseMs: 200,
      capMs: 10_000,
    });

    // Assess
    await expect(outcome).rejects.toThrow(CloudProviderError);
    await expect(outcome).rejects.toMatchObject({ cause: error });
    await expect(outcome).rejects.toThrow(
      /CreateFleet was throttled \(RequestLimitExceeded\) 3 time\(s\)/,
    );
    expect(timing.slept.reduce((sum, ms) => sum + ms, 0)).toBeLessThanOrEqual(1_000);
  });

  it('rethrows any other error at once', async () => {
    // Prepare
    const timing = virtualTiming(60_000);
    const error = new EC2ServiceException({
      name: 'InvalidParameterValue',
      $fault: 'client',
      $metadata: {},
    });

    // Act
    const outcome = retryWhileThrottled('CreateFleet', () => Promise.reject(error), timing);

    // Assess
    await expect(outcome).rejects.toBe(error);
    expect(timing.slept).toHaveLength(0);
  });
});
