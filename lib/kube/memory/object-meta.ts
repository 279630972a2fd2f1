import type { JsonObject } from '../transport.ts';

/** Loose accessors for the metadata of wire objects the in-memory cluster stores. */
export interface WireMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  finalizers?: string[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export function metaOf(object: JsonObject): WireMeta {
  const metadata = object['metadata'];
  return typeof metadata === 'object' && metadata !== null ? metadata : {};
}

export function withMeta(object: JsonObject, changes: Partial<WireMeta>): JsonObject {
  return { ...object, metadata: { ...metaOf(object), ...changes } };
}

/** The value at a dotted field path such as `spec.nodeName`, as a string for field selectors. */
export function fieldValue(object: JsonObject, path: string): string {
  let value: unknown = object;
  for (const part of path.split('.')) {
    value =
      typeof value === 'object' && value !== null
        ? (value as Record<string, unknown>)[part]
        : undefined;
  }
  // A selector names a string, number or boolean field; anything else matches only the empty value.
  const scalar =
    typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
  return scalar ? String(value) : '';
}
