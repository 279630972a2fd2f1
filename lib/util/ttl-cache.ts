/**
 * A per-container cache of loads: concurrent callers share one in-flight load, a failed load is
 * forgotten at once, and a value is reloaded after `ttlMs`.
 */
import type { Clock } from './clock.ts';
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: Promise<V>; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly clock: Clock,
  ) {}

  getOrLoad(key: string, load: () => Promise<V>): Promise<V> {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > this.clock.now()) return entry.value;
    const value = load();
    this.entries.set(key, { value, expiresAt: this.clock.now() + this.ttlMs });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }

  invalidate(key: string): void {
    this.entries.delete(key);
  }
}
