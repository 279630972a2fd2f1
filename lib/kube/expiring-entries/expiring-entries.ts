import { z } from 'zod';
import { ObjectMetaSchema } from '../../apis/core/object-meta.ts';
import type { Clock } from '../../util/clock.ts';
import { isKubeError, KubeApiError } from '../errors.ts';
import { parseObject } from '../invalid-object.ts';
import { DEFAULT_UPDATE_ATTEMPTS } from '../optimistic-update.ts';
import { ResourceTypes } from '../resource-types.ts';
import type { ObjectKey, ResourceTransport } from '../transport.ts';

/** A ConfigMap key: what the apiserver accepts in `data`. */
const ENTRY_KEY = /^[-._a-zA-Z0-9]+$/;

const ConfigMapSchema = z.looseObject({
  metadata: ObjectMetaSchema.extend({ name: z.string().min(1) }),
  data: z.record(z.string(), z.string()).optional(),
});
type ConfigMap = z.output<typeof ConfigMapSchema>;

/** Entry key → epoch milliseconds at which it expires. */
export type Expiries = ReadonlyMap<string, number>;

/**
 * Entries that expire, shared by every function through one ConfigMap: each `data` key maps to
 * its expiry (RFC 3339, in milliseconds). Readers skip expired entries and values that are not timestamps; writers
 * merge their entries into what is stored (the later expiry wins), drop expired ones, and write
 * with the read's resourceVersion as a precondition, re-reading on a conflict.
 */
export class ExpiringEntries {
  constructor(
    private readonly transport: ResourceTransport,
    private readonly clock: Clock,
    readonly key: Required<ObjectKey>,
  ) {}

  /** The unexpired entries. */
  async read(): Promise<Map<string, number>> {
    return this.unexpired(await this.get());
  }

  /** Adds `entries` (or extends their expiry); expired and unchanged entries cost no write. */
  async add(entries: Expiries): Promise<void> {
    for (const key of entries.keys())
      if (!ENTRY_KEY.test(key)) throw new Error(`Entry key "${key}" is not a ConfigMap key`);
    for (let attempt = 1; ; attempt++) {
      const current = await this.get();
      const stored = this.unexpired(current);
      const merged = new Map(stored);
      for (const [key, expiry] of entries)
        if (expiry > this.clock.now() && expiry > (merged.get(key) ?? 0)) merged.set(key, expiry);
      const storedKeys = Object.keys(current?.data ?? {});
      const unchanged =
        storedKeys.length === merged.size &&
        [...merged].every(([key, expiry]) => stored.get(key) === expiry);
      if (unchanged) return;
      if (await this.write(current, merged)) return;
      if (attempt >= DEFAULT_UPDATE_ATTEMPTS)
        throw new KubeApiError(
          409,
          'Conflict',
          `ConfigMap ${this.key.namespace}/${this.key.name} still conflicting after ${attempt} attempts`,
        );
    }
  }

  private unexpired(configMap: ConfigMap | undefined): Map<string, number> {
    const now = this.clock.now();
    const entries = new Map<string, number>();
    for (const [key, value] of Object.entries(configMap?.data ?? {})) {
      const expiry = Date.parse(value);
      if (expiry > now) entries.set(key, expiry);
    }
    return entries;
  }

  private async get(): Promise<ConfigMap | undefined> {
    try {
      const object = await this.transport.get(ResourceTypes.configMap, this.key);
      return parseObject(ResourceTypes.configMap, ConfigMapSchema, object);
    } catch (error) {
      if (isKubeError(error, 'NotFound')) return undefined;
      throw error;
    }
  }

  /** False when another writer got there first (the caller reads again). */
  private async write(current: ConfigMap | undefined, entries: Expiries): Promise<boolean> {
    const data = Object.fromEntries(
      [...entries].map(([key, expiry]) => [key, new Date(expiry).toISOString()]),
    );
    try {
      if (current === undefined) {
        await this.transport.create(ResourceTypes.configMap, { metadata: { ...this.key }, data });
        return true;
      }
      const removed = Object.keys(current.data ?? {}).filter((key) => !entries.has(key));
      await this.transport.patch(ResourceTypes.configMap, this.key, {
        metadata: { resourceVersion: current.metadata.resourceVersion },
        data: { ...Object.fromEntries(removed.map((key) => [key, null])), ...data },
      });
      return true;
    } catch (error) {
      if (isKubeError(error, 'Conflict') || isKubeError(error, 'AlreadyExists')) return false;
      throw error;
    }
  }
}
