/**
 * The hash Karpenter stamps into its `*-hash` annotations: github.com/mitchellh/hashstructure v2
 * (FormatV2, FNV-1 64-bit) with the options Karpenter passes (SlicesAsSets, IgnoreZeroValue,
 * ZeroNil), walking a JSON value along a description of the Go type it decodes into. Field order,
 * Go type names and integer widths all enter the hash, so the descriptions mirror the Go structs.
 *
 * JSON `undefined` (absent) stands for Go's nil; `[]` and `{}` are empty but not nil, and Go hashes
 * those differently, so the difference is kept.
 */

/** How a Go type is hashed. */
export type GoType =
  | { readonly kind: 'string' }
  /** Signed integers of `bytes` width, written little-endian; Go `time.Duration` is int64 nanoseconds. */
  | { readonly kind: 'int'; readonly bytes: 1 | 2 | 4 | 8 }
  | { readonly kind: 'bool' }
  | { readonly kind: 'float64' }
  /** A Go duration string such as `"5m"`, decoded into time.Duration. */
  | { readonly kind: 'duration' }
  /** An RFC 3339 time decoded into a time.Time in the UTC location. */
  | { readonly kind: 'time' }
  | { readonly kind: 'pointer'; readonly elem: GoType }
  | { readonly kind: 'slice'; readonly elem: GoType }
  | { readonly kind: 'map'; readonly key: GoType; readonly value: GoType }
  | { readonly kind: 'struct'; readonly name: string; readonly fields: readonly GoField[] };

export interface GoField {
  /** The Go field name (hashed). */
  readonly name: string;
  /** Where the value sits in the JSON object; absent for fields JSON never sets. */
  readonly json?: string;
  readonly type: GoType;
  /** `hash:"ignore"`. */
  readonly ignore?: boolean;
  /**
   * Turns the JSON value into the Go value, for types whose JSON form differs from their Go
   * form (NillableDuration's `Never`, a quantity string).
   */
  readonly decode?: (json: unknown) => unknown;
}

export const GO_STRING: GoType = { kind: 'string' };
export const GO_STRING_MAP: GoType = { kind: 'map', key: GO_STRING, value: GO_STRING };

/** metav1.Duration: a struct around time.Duration, whose JSON form is the duration string itself. */
export const METAV1_DURATION: GoType = {
  kind: 'struct',
  name: 'Duration',
  fields: [{ name: 'Duration', json: 'value', type: { kind: 'duration' } }],
};

/** A metav1.Duration's JSON string as the object {@link METAV1_DURATION} reads. */
export function decodeMetav1Duration(json: unknown): unknown {
  return json === undefined ? undefined : { value: json };
}

const MASK = (1n << 64n) - 1n;
const FNV_OFFSET = 14695981039346656037n;
const FNV_PRIME = 1099511628211n;

function fnv1(bytes: Uint8Array): bigint {
  let hash = FNV_OFFSET;
  for (const byte of bytes) hash = ((hash * FNV_PRIME) & MASK) ^ BigInt(byte);
  return hash;
}

function littleEndian(value: bigint, bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  let rest = BigInt.asUintN(bytes * 8, value);
  for (let index = 0; index < bytes; index += 1) {
    out[index] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function ordered(a: bigint, b: bigint): bigint {
  return fnv1(concat(littleEndian(a, 8), littleEndian(b, 8)));
}

function finish(a: bigint): bigint {
  return fnv1(littleEndian(a, 8));
}

function hashString(value: string): bigint {
  return fnv1(new TextEncoder().encode(value));
}

/** Go's time.Duration of a duration string, in nanoseconds. */
function durationNanoseconds(text: string): bigint {
  const units: Record<string, bigint> = {
    ns: 1n,
    us: 1_000n,
    µs: 1_000n,
    ms: 1_000_000n,
    s: 1_000_000_000n,
    m: 60_000_000_000n,
    h: 3_600_000_000_000n,
  };
  if (!/^(?:[0-9]+(?:ns|us|µs|ms|s|m|h))+$/.test(text))
    throw new RangeError(`"${text}" is not a duration in whole units`);
  let total = 0n;
  for (const [, amount, unit] of text.matchAll(/([0-9]+)(ns|us|µs|ms|s|m|h)/g))
    total += BigInt(amount ?? '0') * (units[unit ?? ''] ?? 0n);
  return total;
}

/** Seconds from 0001-01-01 to 1970-01-01, the epoch of Go's time.MarshalBinary. */
const UNIX_TO_GO_SECONDS = 62_135_596_800n;

/** time.Time.MarshalBinary of a UTC-zoned time: version 1, seconds, nanoseconds, zone offset 0. */
function timeBinary(text: string): Uint8Array {
  const millis = Date.parse(text);
  if (Number.isNaN(millis)) throw new RangeError(`"${text}" is not a time`);
  const seconds = BigInt(Math.floor(millis / 1000)) + UNIX_TO_GO_SECONDS;
  const nanos = (millis % 1000) * 1_000_000;
  const bigEndian = (value: bigint, bytes: number) => littleEndian(value, bytes).reverse();
  return concat(
    Uint8Array.of(1),
    bigEndian(seconds, 8),
    bigEndian(BigInt(nanos), 4),
    bigEndian(0n, 2),
  );
}

/** The zero value, as `reflect.Value.IsZero` sees the decoded Go value. */
function isZero(type: GoType, value: unknown): boolean {
  if (value === undefined || value === null) return true;
  switch (type.kind) {
    case 'string':
      return value === '';
    case 'int':
    case 'float64':
      return value === 0;
    case 'bool':
      return value === false;
    case 'duration':
      return durationNanoseconds(value as string) === 0n;
    case 'time':
      return false;
    case 'pointer':
    case 'slice':
    case 'map':
      return false;
    case 'struct':
      return type.fields.every((field) => isZero(field.type, fieldValue(field, value)));
  }
}

function fieldValue(field: GoField, object: unknown): unknown {
  const raw =
    field.json === undefined ? undefined : (object as Record<string, unknown>)[field.json];
  return field.decode ? field.decode(raw) : raw;
}

function zeroValue(type: GoType): unknown {
  switch (type.kind) {
    case 'string':
      return '';
    case 'int':
    case 'float64':
      return 0;
    case 'bool':
      return false;
    case 'duration':
      return '0s';
    case 'struct':
      return {};
    case 'time':
    case 'pointer':
    case 'slice':
    case 'map':
      return undefined;
  }
}

function visit(type: GoType, value: unknown): bigint {
  if (type.kind === 'pointer')
    // ZeroNil: a nil pointer hashes as the zero value of what it points to.
    return visit(type.elem, value ?? zeroValue(type.elem));
  switch (type.kind) {
    case 'string':
      return hashString((value as string | undefined) ?? '');
    case 'int':
      return fnv1(littleEndian(BigInt((value as number | undefined) ?? 0), type.bytes));
    case 'bool':
      return fnv1(Uint8Array.of(value === true ? 1 : 0));
    case 'float64': {
      const view = new DataView(new ArrayBuffer(8));
      view.setFloat64(0, (value as number | undefined) ?? 0, true);
      return fnv1(new Uint8Array(view.buffer));
    }
    case 'duration':
      return fnv1(littleEndian(durationNanoseconds((value as string | undefined) ?? '0s'), 8));
    case 'time':
      return fnv1(timeBinary(value as string));
    case 'slice':
      // SlicesAsSets: element hashes are XORed, with no finishing step.
      return ((value as unknown[] | undefined) ?? []).reduce<bigint>(
        (hash, item) => hash ^ visit(type.elem, item),
        0n,
      );
    case 'map': {
      let hash = 0n;
      for (const [key, item] of Object.entries(
        (value as Record<string, unknown> | undefined) ?? {},
      ))
        hash ^= ordered(visit(type.key, key), visit(type.value, item));
      return finish(hash);
    }
    case 'struct':
      return visitStruct(type, value ?? {});
  }
}

function visitStruct(type: Extract<GoType, { kind: 'struct' }>, value: unknown): bigint {
  let hash = hashString(type.name);
  for (const field of type.fields) {
    if (field.ignore) continue;
    const inner = fieldValue(field, value);
    // IgnoreZeroValue: a zero field is skipped altogether, including the finishing step.
    if (isZero(field.type, inner)) continue;
    hash ^= ordered(hashString(field.name), visit(field.type, inner));
    hash = finish(hash);
  }
  return hash;
}

/** The decimal string Karpenter writes for `value` decoded into `type`. */
export function goHash(type: GoType, value: unknown): string {
  return visit(type, value).toString();
}
