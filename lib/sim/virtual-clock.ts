import type { Clock } from '../util/clock.ts';
import { EventQueue } from './event-queue.ts';

/** Resolves once everything already queued as a microtask has run. */
function microtasksDrained(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Simulated time, which only the simulator moves. A `sleep` inside a run (a rate limiter's wait,
 * the lease renewer's interval) waits for virtual time: while a run is in `drive`, whenever it
 * waits on nothing but sleepers, time jumps to the earliest one and wakes it. Hours finish in
 * seconds, and a run sees time pass only where it would have waited.
 */
export class VirtualClock implements Clock {
  private sleepers = new EventQueue();

  constructor(private time: number) {}

  now(): number {
    return this.time;
  }

  sleep(milliseconds: number): Promise<void> {
    return new Promise((wake) =>
      this.sleepers.add({ at: this.time + Math.max(0, milliseconds), run: wake }),
    );
  }

  /** Moves to `time`; never backwards, since a run's sleeps may already have passed it. */
  advanceTo(time: number): void {
    this.time = Math.max(this.time, time);
  }

  /**
   * Awaits `work`, moving time to the next sleeper each time the work is blocked on sleeps.
   * Sleepers left when it is done belong to loops the work has stopped (a renewer's last wait)
   * and are dropped, so they never move time later.
   */
  async drive<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    const watched = work.finally(() => {
      settled = true;
    });
    // Handled here so a failure while time is being driven is not reported as unhandled; it is rethrown below.
    watched.catch(() => undefined);
    for (;;) {
      await microtasksDrained();
      if (settled) break;
      const next = this.sleepers.peekTime();
      if (next === undefined)
        throw new Error('a simulated run is waiting on something other than the virtual clock');
      this.advanceTo(next);
      for (let due = next; due <= this.time; due = this.sleepers.peekTime() ?? Infinity)
        await this.sleepers.pop()?.run();
    }
    this.sleepers = new EventQueue();
    return watched;
  }
}
