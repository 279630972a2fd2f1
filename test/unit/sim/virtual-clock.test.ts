import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../lib/sim/virtual-clock.ts';

describe('VirtualClock', () => {
  it('wakes sleepers in time order while driving work, moving time only to each wake-up', async () => {
    // Prepare
    const clock = new VirtualClock(1_000);
    const seen: string[] = [];
    const work = async (): Promise<number> => {
      await Promise.all([
        clock.sleep(500).then(() => seen.push(`a@${clock.now()}`)),
        clock.sleep(200).then(() => seen.push(`b@${clock.now()}`)),
      ]);
      return clock.now();
    };
    // Act
    const finishedAt = await clock.drive(work());
    // Assess
    expect(seen).toEqual(['b@1200', 'a@1500']);
    expect(finishedAt).toBe(1_500);
  });

  it('drops the sleepers work leaves behind, so they never move time later', async () => {
    // Prepare
    const clock = new VirtualClock(0);
    const work = (): Promise<void> => {
      void clock.sleep(10_000);
      return Promise.resolve();
    };
    // Act
    await clock.drive(work());
    await clock.drive(clock.sleep(100));
    // Assess
    expect(clock.now()).toBe(100);
  });

  it('rethrows what the work throws', async () => {
    // Prepare
    const clock = new VirtualClock(0);
    const work = async (): Promise<void> => {
      await clock.sleep(5);
      throw new Error('boom');
    };
    // Act
    const driven = clock.drive(work());
    // Assess
    await expect(driven).rejects.toThrow('boom');
  });

  it('fails when the work waits on something the clock cannot wake', async () => {
    // Prepare
    const clock = new VirtualClock(0);
    // Act
    const driven = clock.drive(new Promise<void>(() => undefined));
    // Assess
    await expect(driven).rejects.toThrow('waiting on something other than the virtual clock');
  });

  it('never moves backwards', () => {
    // Prepare
    const clock = new VirtualClock(5_000);
    // Act
    clock.advanceTo(4_000);
    // Assess
    expect(clock.now()).toBe(5_000);
  });
});
