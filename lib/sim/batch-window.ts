/** Karpenter's provisioning batch window (BATCH_IDLE_DURATION, BATCH_MAX_DURATION). */
export const BATCH_IDLE_MS = 1_000;
export const BATCH_MAX_MS = 10_000;

/**
 * The pod-pending webhook's debounce: the first pod creation opens a window, which closes 1 s
 * after the last creation or 10 s after it opened, whichever comes first; then one provisioning
 * run starts. Creations while it is closed open the next window.
 */
export class BatchWindow {
  private openedAt: number | undefined;
  private lastTriggerAt = 0;

  constructor(
    private readonly idleMs = BATCH_IDLE_MS,
    private readonly maxMs = BATCH_MAX_MS,
  ) {}

  /** Records a trigger; returns true when it opened a new window (the caller then schedules a check at `closesAt`). */
  trigger(now: number): boolean {
    this.lastTriggerAt = now;
    if (this.openedAt !== undefined) return false;
    this.openedAt = now;
    return true;
  }

  /** When the open window closes, if nothing else arrives; undefined when none is open. */
  closesAt(): number | undefined {
    if (this.openedAt === undefined) return undefined;
    return Math.min(this.lastTriggerAt + this.idleMs, this.openedAt + this.maxMs);
  }

  /** True (and the window is reset) when the window has closed by `now`. */
  close(now: number): boolean {
    const closesAt = this.closesAt();
    if (closesAt === undefined || now < closesAt) return false;
    this.openedAt = undefined;
    return true;
  }
}
