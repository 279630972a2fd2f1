import type { Clock } from '../../../lib/kube/clock.ts';

/** A clock tests advance by hand; sleepers wake, in time order, when time passes their deadline. */
export class ManualClock implements Clock {
  private sleepers: { wakeAt: number; wake: () => void }[] = [];
  /**
   * Time each reading of the clock takes, for code that runs long without yielding (the
   * synchronous scheduler): time passes, but no sleeper wakes until the next `advance`.
   */
  readCostMs = 0;

  constructor(private current = Date.parse('2026-01-01T00:00:00Z')) {}

  now(): number {
    this.current += this.readCostMs;
    return this.current;
  }

  sleep(milliseconds: number): Promise<void> {
    return new Promise((resolve) =>
      this.sleepers.push({ wakeAt: this.current + milliseconds, wake: resolve }),
    );
  }

  /** Moves time forward, waking sleepers whose deadline has come and letting their continuations run. */
  async advance(milliseconds: number): Promise<void> {
    const target = this.current + milliseconds;
    for (;;) {
      const due = this.sleepers
        .filter((sleeper) => sleeper.wakeAt <= target)
        .sort((a, b) => a.wakeAt - b.wakeAt)[0];
      if (!due) break;
      this.sleepers = this.sleepers.filter((sleeper) => sleeper !== due);
      this.current = Math.max(this.current, due.wakeAt);
      due.wake();
      await flushMicrotasks();
    }
    this.current = target;
    await flushMicrotasks();
  }

  get pendingSleepers(): number {
    return this.sleepers.length;
  }
}

export async function flushMicrotasks(): Promise<void> {
  for (let turn = 0; turn < 20; turn++) await Promise.resolve();
}
