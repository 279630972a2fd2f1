import { describe, expect, it } from 'vitest';
import { ProgressBar } from '../../../lib/sim/progress-bar.ts';
import { clockReading } from '../../fixtures/manual-clock.ts';

function bar() {
  const written: string[] = [];
  const clock = { now: 0 };
  const progress = new ProgressBar('web-burst', {
    write: (text) => void written.push(text),
    clock: clockReading(() => clock.now),
    width: 10,
  });
  return { written, clock, progress };
}

describe('ProgressBar', () => {
  it('draws nothing for a run that finishes within a second', () => {
    // Prepare
    const { written, clock, progress } = bar();
    // Act
    clock.now = 900;
    progress.update(0.5);
    progress.finish();
    // Assess
    expect(written).toEqual([]);
  });

  it('redraws one line once a run takes longer, and clears it at the end', () => {
    // Prepare
    const { written, clock, progress } = bar();
    // Act
    clock.now = 1_200;
    progress.update(0.42);
    clock.now = 1_250;
    progress.update(0.5);
    clock.now = 1_400;
    progress.update(1);
    progress.finish();
    // Assess
    expect(written).toEqual([
      '\r[####------]  42% web-burst',
      '\r[##########] 100% web-burst',
      '\r\x1b[2K',
    ]);
  });
});
