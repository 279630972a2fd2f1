import type { JsonObject } from '../transport.ts';

/**
 * The wire form of an object client-node deserialized into its model classes: Dates back to
 * RFC 3339 strings and absent fields dropped, so core kinds look exactly like custom resources
 * (which client-node returns untouched) to the schemas and to merge-patch diffing.
 */
export function toWireJson(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().replace('.000Z', 'Z');
  if (Array.isArray(value)) return value.map(toWireJson);
  if (typeof value !== 'object' || value === null) return value;
  const result: JsonObject = {};
  for (const [key, field] of Object.entries(value)) {
    if (field !== undefined) result[key] = toWireJson(field);
  }
  return result;
}

export function toWireObject(value: unknown): JsonObject {
  return toWireJson(value) as JsonObject;
}
