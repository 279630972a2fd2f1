import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../../lib/sim/event-queue.ts';

describe('EventQueue', () => {
  it('pops events by time, and events at the same time in the order they were added', async () => {
    // Prepare
    const queue = new EventQueue();
    const order: string[] = [];
    for (const [at, name] of [
      [30, 'c'],
      [10, 'a1'],
      [20, 'b'],
      [10, 'a2'],
      [5, 'first'],
    ] as const) {
      queue.add({ at, run: () => void order.push(name) });
    }
    // Act
    for (let event = queue.pop(); event; event = queue.pop()) await event.run();
    // Assess
    expect(order).toEqual(['first', 'a1', 'a2', 'b', 'c']);
    expect(queue.peekTime()).toBeUndefined();
  });

  it('stays ordered across interleaved adds and pops', () => {
    // Prepare
    const queue = new EventQueue();
    const times = [50, 10, 40, 20, 30, 60, 0];
    const popped: number[] = [];
    // Act
    for (const at of times) {
      queue.add({ at, run: () => undefined });
      if (at === 40) popped.push(queue.pop()?.at ?? -1);
    }
    while (queue.size > 0) popped.push(queue.pop()?.at ?? -1);
    // Assess
    expect(popped).toEqual([10, 0, 20, 30, 40, 50, 60]);
  });
});
