import { describe, expect, it } from 'vitest';
import { BATCH_IDLE_MS, BATCH_MAX_MS, BatchWindow } from '../../../lib/sim/batch-window.ts';

describe('BatchWindow', () => {
  it('closes one idle period after the last trigger', () => {
    // Prepare
    const window = new BatchWindow();
    // Act
    const opened = window.trigger(0);
    const reopened = window.trigger(600);
    // Assess
    expect([opened, reopened]).toEqual([true, false]);
    expect(window.closesAt()).toBe(600 + BATCH_IDLE_MS);
    expect(window.close(1_500)).toBe(false);
    expect(window.close(1_600)).toBe(true);
    expect(window.closesAt()).toBeUndefined();
  });

  it('closes at the maximum however busy the triggers are', () => {
    // Prepare
    const window = new BatchWindow();
    // Act
    for (let at = 0; at <= 30_000; at += 500) window.trigger(at);
    // Assess
    expect(window.closesAt()).toBe(BATCH_MAX_MS);
  });
});
