import { systemClock, type Clock } from '../util/clock.ts';
import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { TtlCache } from '../util/ttl-cache.ts';

/** The one entry of the secret's cache. */
const SECRET_KEY = 'secret';

/** The secret travels in the webhook URL's path, so it must be path-safe, and long enough not to be guessed. */
export const WebhookSecretSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{32,256}$/, 'must be 32 to 256 letters, digits, "-" or "_"');

export class WebhookSecretError extends Error {
  override readonly name = 'WebhookSecretError';
}

/**
 * Compares in constant time: both sides are hashed first, so the comparison never depends on
 * where they differ, nor leaks the secret's length.
 */
export function secretsMatch(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

function checkedSecret(raw: string): string {
  const parsed = WebhookSecretSchema.safeParse(raw);
  if (!parsed.success) {
    throw new WebhookSecretError(`webhook secret: ${parsed.error.issues[0]?.message}`);
  }
  return parsed.data;
}

/** How long a failed read is remembered: a flood of requests must not become a flood of reads and logs. */
export const SECRET_FAILURE_TTL_MS = 10_000;

/**
 * The shared secret, read from Secrets Manager or SSM once per container and again after
 * `ttlMs`, so a rotation takes effect without a redeploy. Concurrent callers share one read. A
 * failed read is reported once, through `reportFailure`, and its error is thrown again without
 * reading for {@link SECRET_FAILURE_TTL_MS}.
 */
export class CachedSecret {
  private readonly cache: TtlCache<string>;
  private failure: { readonly error: unknown; readonly until: number } | undefined;

  constructor(
    private readonly read: () => Promise<string>,
    ttlMs: number,
    private readonly clock: Clock = systemClock,
    private readonly reportFailure: (error: unknown) => void = () => undefined,
  ) {
    this.cache = new TtlCache(ttlMs, clock);
  }

  async value(): Promise<string> {
    const remembered = this.failure;
    if (remembered && this.clock.now() < remembered.until) throw remembered.error;
    try {
      return await this.cache.getOrLoad(SECRET_KEY, () => this.read().then(checkedSecret));
    } catch (error) {
      // Callers that shared the failed read share its error: it is reported once.
      if (this.failure?.error !== error) {
        this.failure = { error, until: this.clock.now() + SECRET_FAILURE_TTL_MS };
        this.reportFailure(error);
      }
      throw error;
    }
  }

  /** False for a missing (empty) or wrong secret. */
  async matches(presented: string): Promise<boolean> {
    return presented !== '' && secretsMatch(presented, await this.value());
  }
}
