import { describe, expect, it } from 'vitest';
import { CachedSecret, secretsMatch, WebhookSecretError } from '../../../lib/webhook/index.ts';
import { SECRET_FAILURE_TTL_MS } from '../../../lib/webhook/webhook-secret.ts';
import { clockReading } from '../../fixtures/manual-clock.ts';

const SECRET = 'Zq3x9Lw2Pp7Tt5Rr1Mm8Nn4Kk6Jj0Hh2Gg';

function countingReader(values: (string | Error)[]) {
  let reads = 0;
  const read = (): Promise<string> => {
    const value = values[Math.min(reads, values.length - 1)];
    reads += 1;
    return value instanceof Error ? Promise.reject(value) : Promise.resolve(value ?? '');
  };
  return { read, reads: () => reads };
}

describe('secretsMatch', () => {
  it.each([
    [SECRET, true],
    [`${SECRET}x`, false],
    [SECRET.slice(1), false],
    ['', false],
  ])('compares %j with the secret: %s', (presented, expected) => {
    // Act / Assess
    expect(secretsMatch(presented, SECRET)).toBe(expected);
  });
});

describe('CachedSecret', () => {
  it('reads once per TTL and again after it', async () => {
    // Prepare
    let now = 0;
    const reader = countingReader([SECRET, `${SECRET}-rotated`]);
    const secret = new CachedSecret(
      reader.read,
      1_000,
      clockReading(() => now),
    );

    // Act
    const first = await Promise.all([secret.matches(SECRET), secret.matches(SECRET)]);
    now = 999;
    const beforeExpiry = await secret.matches(SECRET);
    now = 1_000;
    const afterRotation = await secret.matches(`${SECRET}-rotated`);

    // Assess
    expect(first).toEqual([true, true]);
    expect(beforeExpiry).toBe(true);
    expect(afterRotation).toBe(true);
    expect(reader.reads()).toBe(2);
  });

  it('remembers a failed read briefly, reporting it once, then reads again', async () => {
    // Prepare
    let now = 0;
    const reported: unknown[] = [];
    const reader = countingReader([new Error('throttled'), SECRET]);
    const secret = new CachedSecret(
      reader.read,
      60_000,
      clockReading(() => now),
      (error) => reported.push(error),
    );

    // Act
    const concurrent = await Promise.allSettled([secret.matches(SECRET), secret.matches(SECRET)]);
    now = SECRET_FAILURE_TTL_MS - 1;
    const remembered = secret.matches(SECRET);
    await expect(remembered).rejects.toThrow('throttled');
    const readsWhileRemembered = reader.reads();
    now = SECRET_FAILURE_TTL_MS;
    const afterwards = await secret.matches(SECRET);

    // Assess
    expect(concurrent.map(({ status }) => status)).toEqual(['rejected', 'rejected']);
    expect(readsWhileRemembered).toBe(1);
    expect(reported.map(String)).toEqual(['Error: throttled']);
    expect(afterwards).toBe(true);
    expect(reader.reads()).toBe(2);
  });

  it('rejects a stored secret that could not travel in a URL path', async () => {
    // Prepare
    const secret = new CachedSecret(
      () => Promise.resolve('has/slash and spaces but is long enough'),
      60_000,
    );

    // Act
    const value = secret.value();

    // Assess
    await expect(value).rejects.toThrow(WebhookSecretError);
    await expect(value).rejects.toThrow(/^webhook secret: must be 32 to 256 letters/);
  });

  it('refuses an empty presented secret without reading', async () => {
    // Prepare
    const reader = countingReader([SECRET]);
    const secret = new CachedSecret(reader.read, 60_000);

    // Act
    const matches = await secret.matches('');

    // Assess
    expect(matches).toBe(false);
    expect(reader.reads()).toBe(0);
  });
});
