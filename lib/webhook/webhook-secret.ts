import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

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

/**
 * The shared secret, read from Secrets Manager or SSM once per container and again after
 * `ttlMs`, so a rotation takes effect without a redeploy. Concurrent callers share one read; a
 * failed read is not cached.
 */
export class CachedSecret {
  private cached: { value: Promise<string>; expiresAt: number } | undefined;

  constructor(
    private readonly read: () => Promise<string>,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  value(): Promise<string> {
    if (this.cached && this.cached.expiresAt > this.now()) return this.cached.value;
    const value = this.read().then((raw) => {
      const parsed = WebhookSecretSchema.safeParse(raw);
      if (!parsed.success) {
        throw new WebhookSecretError(`webhook secret: ${parsed.error.issues[0]?.message}`);
      }
      return parsed.data;
    });
    const entry = { value, expiresAt: this.now() + this.ttlMs };
    this.cached = entry;
    value.catch(() => {
      if (this.cached === entry) this.cached = undefined;
    });
    return value;
  }

  /** False for a missing (empty) or wrong secret. */
  async matches(presented: string): Promise<boolean> {
    return presented !== '' && secretsMatch(presented, await this.value());
  }
}
