import { describe, expect, it } from 'vitest';
import { TtlCache } from '../../../lib/util/index.ts';
import { clockReading } from '../../fixtures/manual-clock.ts';

describe('TtlCache', () => {
  it('shares one load between callers until the entry expires', async () => {
    // Prepare
    let now = 0;
    let loads = 0;
    const cache = new TtlCache<number>(
      1_000,
      clockReading(() => now),
    );
    const load = (): Promise<number> => Promise.resolve(++loads);

    // Act
    const [first, concurrent] = await Promise.all([
      cache.getOrLoad('k', load),
      cache.getOrLoad('k', load),
    ]);
    now = 999;
    const cached = await cache.getOrLoad('k', load);
    now = 1_000;
    const reloaded = await cache.getOrLoad('k', load);

    // Assess
    expect([first, concurrent, cached, reloaded]).toEqual([1, 1, 1, 2]);
  });

  it('forgets a failed load and an invalidated entry', async () => {
    // Prepare
    const cache = new TtlCache<string>(
      60_000,
      clockReading(() => 0),
    );
    await expect(
      cache.getOrLoad('k', () => Promise.reject(new Error('EC2 unavailable'))),
    ).rejects.toThrow('EC2 unavailable');

    // Act
    const afterFailure = await cache.getOrLoad('k', () => Promise.resolve('loaded'));
    cache.invalidate('k');
    const afterInvalidate = await cache.getOrLoad('k', () => Promise.resolve('reloaded'));

    // Assess
    expect(afterFailure).toBe('loaded');
    expect(afterInvalidate).toBe('reloaded');
  });
});
