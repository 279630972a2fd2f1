import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../../lib/kube/rate-limit/token-bucket.ts';
import { ManualClock, flushMicrotasks } from '../../fixtures/manual-clock.ts';

function track(promise: Promise<void>): { done: boolean } {
  const state = { done: false };
  void promise.then(() => (state.done = true));
  return state;
}

describe('TokenBucket', () => {
  it('lets a burst through at once, then paces requests at the sustained rate', async () => {
    // Prepare
    const clock = new ManualClock();
    const bucket = new TokenBucket({ qps: 2, burst: 3 }, clock);

    // Act
    const requests = Array.from({ length: 5 }, () => track(bucket.acquire()));
    await flushMicrotasks();

    // Assess
    expect(requests.map((r) => r.done)).toEqual([true, true, true, false, false]);
    await clock.advance(499);
    expect(requests[3]?.done).toBe(false);
    await clock.advance(1);
    expect(requests.map((r) => r.done)).toEqual([true, true, true, true, false]);
    await clock.advance(500);
    expect(requests[4]?.done).toBe(true);
  });

  it('refills while idle, but never beyond the burst', async () => {
    // Prepare
    const clock = new ManualClock();
    const bucket = new TokenBucket({ qps: 10, burst: 2 }, clock);
    await bucket.acquire();
    await bucket.acquire();
    await clock.advance(60_000);

    // Act
    const requests = Array.from({ length: 3 }, () => track(bucket.acquire()));
    await flushMicrotasks();

    // Assess
    expect(requests.map((r) => r.done)).toEqual([true, true, false]);
  });

  it('rejects limits that would never admit a request', () => {
    // Prepare
    const clock = new ManualClock();

    // Act
    const build = () => new TokenBucket({ qps: 0, burst: 1 }, clock);

    // Assess
    expect(build).toThrow(/qps/);
  });
});

describe('TokenBucket.tryAccept', () => {
  it('takes a token only when one is there, refilling at the sustained rate', async () => {
    // Prepare
    const clock = new ManualClock();
    const bucket = new TokenBucket({ qps: 5, burst: 2 }, clock);

    // Act
    const atOnce = [bucket.tryAccept(), bucket.tryAccept(), bucket.tryAccept()];
    await clock.advance(199);
    const early = bucket.tryAccept();
    await clock.advance(1);
    const refilled = bucket.tryAccept();

    // Assess: a refused request does not borrow from the future.
    expect(atOnce).toEqual([true, true, false]);
    expect(early).toBe(false);
    expect(refilled).toBe(true);
  });
});
