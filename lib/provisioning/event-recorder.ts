import { TokenBucket, type KubeClient, type KubeEvent, type RateLimits } from '../kube/index.ts';
import type { Clock } from '../util/clock.ts';

/** How long an event with dedupe values keeps its twins away unless it says otherwise (Karpenter's default). */
const DEFAULT_DEDUPE_TIMEOUT_MS = 2 * 60_000;

/** How the recorder thins out an event, as Karpenter's recorder does. */
export interface EventThrottle {
  /** An event with the same reason and these values recorded within the timeout is dropped. */
  readonly dedupeValues?: readonly string[];
  /** Default {@link DEFAULT_DEDUPE_TIMEOUT_MS}. */
  readonly dedupeTimeoutMs?: number;
  /** A token bucket shared by every event naming it; an event finding it empty is dropped. */
  readonly rateLimit?: { readonly name: string; readonly limits: RateLimits };
}

export interface ThrottledEvent extends KubeEvent {
  readonly throttle?: EventThrottle;
}

/**
 * Records events the way Karpenter's recorder does: an event whose reason and dedupe values were
 * recorded within the dedupe timeout is dropped, then one its rate limiter refuses. Keep one per
 * process (a Lambda container), so runs that follow each other share the memory and the buckets.
 */
export class EventRecorder {
  /** Dedupe key → until when it holds its twins back (epoch ms). */
  private readonly recent = new Map<string, number>();
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly clock: Clock) {}

  /** Records the events it admits side by side; each is best effort (see KubeClient.recordEvent). */
  async publish(kube: KubeClient, events: readonly ThrottledEvent[]): Promise<void> {
    this.forgetExpired();
    const admitted = events.filter((event) => this.admits(event));
    await Promise.all(admitted.map(({ throttle: _, ...event }) => kube.recordEvent(event)));
  }

  private admits({ reason, throttle }: ThrottledEvent): boolean {
    if (throttle?.dedupeValues?.length) {
      const key = `${reason.toLowerCase()}-${throttle.dedupeValues.join('-')}`;
      const now = this.clock.now();
      if ((this.recent.get(key) ?? now) > now) return false;
      this.recent.set(key, now + (throttle.dedupeTimeoutMs ?? DEFAULT_DEDUPE_TIMEOUT_MS));
    }
    return !throttle?.rateLimit || this.bucket(throttle.rateLimit).tryAccept();
  }

  private bucket({ name, limits }: NonNullable<EventThrottle['rateLimit']>): TokenBucket {
    let bucket = this.buckets.get(name);
    if (!bucket) this.buckets.set(name, (bucket = new TokenBucket(limits, this.clock)));
    return bucket;
  }

  private forgetExpired(): void {
    const now = this.clock.now();
    for (const [key, until] of this.recent) if (until <= now) this.recent.delete(key);
  }
}

/** The run's recorder, kept by its Lambda container, or a fresh one for a caller that keeps none. */
export function recorderOf(deps: {
  readonly recorder?: EventRecorder | undefined;
  readonly clock: Clock;
}): EventRecorder {
  return deps.recorder ?? new EventRecorder(deps.clock);
}
