import { describe, expect, it } from 'vitest';
import { ExpiringEntries, ResourceTypes } from '../../../lib/kube/index.ts';
import { MemoryCluster } from '../../../lib/kube/memory/index.ts';
import { overriding } from '../../contract/kube/harness.ts';
import { ManualClock } from '../../fixtures/manual-clock.ts';

const KEY = { namespace: 'kube-system', name: 'skyscale-unit-unavailable-offerings' };

function setUp() {
  const clock = new ManualClock();
  const cluster = new MemoryCluster({ clock });
  return { clock, cluster, entries: new ExpiringEntries(cluster, clock, KEY) };
}

describe('ExpiringEntries', () => {
  it('creates the ConfigMap on the first entry and reads back only unexpired entries', async () => {
    // Prepare
    const { clock, entries } = setUp();
    const now = clock.now();

    // Act
    await entries.add(new Map([['spot_m5.large_us-east-1a', now + 60_000]]));
    await entries.add(new Map([['spot_c5.large_us-east-1b', now + 180_000]]));
    await clock.advance(60_000);

    // Assess
    expect(await entries.read()).toEqual(new Map([['spot_c5.large_us-east-1b', now + 180_000]]));
  });

  it('keeps the later expiry of an entry, and drops expired entries when it writes', async () => {
    // Prepare
    const { clock, cluster, entries } = setUp();
    const now = clock.now();
    await entries.add(
      new Map([
        ['a', now + 10_000],
        ['b', now + 100_000],
      ]),
    );
    await clock.advance(20_000);

    // Act
    await entries.add(
      new Map([
        ['b', now + 50_000],
        ['c', now + 30_000],
      ]),
    );

    // Assess
    const stored = (await cluster.get(ResourceTypes.configMap, KEY)) as { data: object };
    expect(stored.data).toEqual({
      b: new Date(now + 100_000).toISOString(),
      c: new Date(now + 30_000).toISOString(),
    });
  });

  it('re-reads and merges when another writer changed the ConfigMap in between', async () => {
    // Prepare
    const { clock, cluster } = setUp();
    const now = clock.now();
    const other = new ExpiringEntries(cluster, clock, KEY);
    await other.add(new Map([['first', now + 60_000]]));
    let raced = false;
    const racing = overriding(cluster, {
      get: async (type, key) => {
        const read = await cluster.get(type, key);
        if (!raced) {
          raced = true;
          await other.add(new Map([['second', now + 60_000]]));
        }
        return read;
      },
    });
    const entries = new ExpiringEntries(racing, clock, KEY);

    // Act
    await entries.add(new Map([['third', now + 60_000]]));

    // Assess
    expect([...(await entries.read()).keys()].sort()).toEqual(['first', 'second', 'third']);
  });

  it('skips a value that is not a timestamp, and refuses a key a ConfigMap cannot hold', async () => {
    // Prepare
    const { clock, cluster, entries } = setUp();
    await cluster.create(ResourceTypes.configMap, {
      metadata: KEY,
      data: { edited: 'by hand', kept: new Date(clock.now() + 1_000).toISOString() },
    });

    // Act
    const read = await entries.read();
    const badKey = entries.add(new Map([['spot m5.large', clock.now() + 1_000]]));

    // Assess
    expect([...read.keys()]).toEqual(['kept']);
    await expect(badKey).rejects.toThrow('Entry key "spot m5.large" is not a ConfigMap key');
  });
});
