import { systemClock, type Clock } from '../util/clock.ts';
export interface ProgressBarOptions {
  /** Writes to the terminal (stderr), without a newline. */
  readonly write: (text: string) => void;
  /** Milliseconds; wall-clock time, not simulated. */
  readonly clock?: Clock;
  /** Nothing is drawn for runs that finish sooner than this. */
  readonly showAfterMs?: number;
  readonly width?: number;
}

const REDRAW_EVERY_MS = 100;

/** A one-line progress bar on stderr, drawn only once a run has taken more than a second. */
export class ProgressBar {
  private readonly startedAt: number;
  private drawnAt: number | undefined;

  constructor(
    private readonly label: string,
    private readonly options: ProgressBarOptions,
  ) {
    this.startedAt = this.now();
  }

  update(done: number): void {
    const now = this.now();
    if (now - this.startedAt < (this.options.showAfterMs ?? 1_000)) return;
    if (this.drawnAt !== undefined && now - this.drawnAt < REDRAW_EVERY_MS && done < 1) return;
    this.drawnAt = now;
    const width = this.options.width ?? 30;
    const filled = Math.round(Math.min(1, Math.max(0, done)) * width);
    this.options.write(
      `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.floor(done * 100)).padStart(3)}% ${this.label}`,
    );
  }

  /** Clears the line, if anything was drawn. */
  finish(): void {
    if (this.drawnAt !== undefined) this.options.write('\r\x1b[2K');
  }

  private now(): number {
    return (this.options.clock ?? systemClock).now();
  }
}
