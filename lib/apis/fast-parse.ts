import { z } from 'zod';

/**
 * zod's `safeParse` with a fast path for large inputs. zod runs every object, array and record
 * field through a generic step that allocates a result per field; that is most of the time spent
 * validating thousands of pods. The fast path parses the schema's objects, arrays, records,
 * optionals, unions and plain primitives itself, producing the same output zod would (same keys,
 * in the same order), runs zod's own checks (`.min()`, `.regex()`, `.refine()`…), and hands every
 * other schema (defaults, transforms, coercions…) to zod. At the first problem it gives up and zod
 * parses the whole input again, so every error message is zod's own.
 */
export function safeParseFast<T>(schema: z.ZodType<T>, input: unknown): z.ZodSafeParseResult<T> {
  const output = parserOf(schema)(input);
  return output === INVALID ? schema.safeParse(input) : { success: true, data: output as T };
}

/** What a fast parser answers when zod would report a problem (or might). */
const INVALID: unique symbol = Symbol('invalid');
type FastParser = (input: unknown) => unknown;

/** The context zod's own `safeParse` passes down. */
const SYNC = { async: false } as const;
const parsers = new WeakMap<z.core.$ZodType, FastParser>();

function parserOf(schema: z.core.$ZodType): FastParser {
  const known = parsers.get(schema);
  if (known) return known;
  // A recursive schema reaches itself while it compiles: it finds this forward reference.
  let parser: FastParser = () => INVALID;
  parsers.set(schema, (input) => parser(input));
  parser = compile(schema);
  parsers.set(schema, parser);
  return parser;
}

function compile(schema: z.core.$ZodType): FastParser {
  const parser = parseStep(schema);
  if (!parser) return byZod(schema);
  // As zod does: a schema that is itself a check (`z.int()`, `z.iso.datetime()`…) runs first.
  const checks = (schema._zod.def.checks ?? []) as z.core.$ZodCheck<unknown>[];
  const isCheck = schema._zod.traits.has('$ZodCheck');
  return withChecks(
    parser,
    isCheck ? [schema as unknown as z.core.$ZodCheck<unknown>, ...checks] : checks,
  );
}

/** Coerced primitives, wrappers with defaults and the rarer kinds are left to zod. */
function parseStep(schema: z.core.$ZodType): FastParser | undefined {
  const def = schema._zod.def;
  const coerced = 'coerce' in def && def.coerce === true;
  if (def.type === 'string' && !coerced)
    return (input) => (typeof input === 'string' ? input : INVALID);
  if (def.type === 'number' && !coerced)
    return (input) => (isFiniteNumber(input) ? input : INVALID);
  if (def.type === 'boolean' && !coerced)
    return (input) => (typeof input === 'boolean' ? input : INVALID);
  if (def.type === 'literal' || def.type === 'enum') return valueSetParser(schema);
  if (def.type === 'unknown' || def.type === 'any') return (input) => input;
  // A discriminated union picks its option by the discriminator: left to zod.
  if (def.type === 'union' && !('discriminator' in def))
    return unionParser(def as z.core.$ZodUnionDef);
  if (def.type === 'object') return objectParser(def as z.core.$ZodObjectDef);
  if (def.type === 'array') return arrayParser(def as z.core.$ZodArrayDef);
  if (def.type === 'record') return recordParser(def as z.core.$ZodRecordDef);
  if (def.type === 'optional') return optionalParser(def as z.core.$ZodOptionalDef);
  return undefined;
}

function isFiniteNumber(input: unknown): input is number {
  return typeof input === 'number' && Number.isFinite(input);
}

function valueSetParser(schema: z.core.$ZodType): FastParser | undefined {
  const values = schema._zod.values;
  return values && ((input) => (values.has(input as z.core.util.Primitive) ? input : INVALID));
}

/** zod takes the first option that accepts the input. */
function unionParser(def: z.core.$ZodUnionDef): FastParser {
  const options = def.options.map(parserOf);
  return (input) => {
    for (const option of options) {
      const value = option(input);
      if (value !== INVALID) return value;
    }
    return INVALID;
  };
}

/** The schema's own zod step: exact for any schema, and cheap for one without fields. */
function byZod(schema: z.core.$ZodType): FastParser {
  return (input) => {
    const result = schema._zod.run({ value: input, issues: [] }, SYNC);
    return result instanceof Promise || result.issues.length > 0 ? INVALID : result.value;
  };
}

/** Runs the checks (`.min()`, `.refine()`…) on the output, as zod does after parsing. */
function withChecks(parser: FastParser, checks: readonly z.core.$ZodCheck<unknown>[]) {
  if (checks.length === 0) return parser;
  return (input: unknown) => {
    const value = parser(input);
    if (value === INVALID) return INVALID;
    const payload: z.core.ParsePayload = { value, issues: [] };
    for (const check of checks) {
      if (check._zod.def.when && !check._zod.def.when(payload)) continue;
      if (check._zod.check(payload) instanceof Promise || payload.issues.length > 0) return INVALID;
    }
    return payload.value;
  };
}

const { isObject, isPlainObject } = z.core.util;

function objectParser(def: z.core.$ZodObjectDef): FastParser | undefined {
  const catchall = def.catchall?._zod.def.type;
  // Only loose (keep unknown keys), strict (refuse them) and plain (drop them) objects.
  if (catchall !== undefined && catchall !== 'unknown' && catchall !== 'never') return undefined;
  const keys = Object.keys(def.shape);
  const known = new Set(keys);
  const fields = keys.map((key) => parserOf(def.shape[key] as z.core.$ZodType));
  return (input) => {
    if (!isObject(input)) return INVALID;
    const output: Record<PropertyKey, unknown> = {};
    for (let index = 0; index < keys.length; index++) {
      const key = keys[index] as string;
      const value = (fields[index] as FastParser)(input[key]);
      if (value === INVALID) return INVALID;
      if (value !== undefined) output[key] = value;
      else if (key in input) output[key] = undefined;
    }
    if (catchall === undefined) return output;
    for (const key of Object.keys(input)) {
      if (known.has(key)) continue;
      if (catchall === 'never') return INVALID;
      output[key] = input[key];
    }
    return output;
  };
}

function arrayParser(def: z.core.$ZodArrayDef): FastParser {
  const element = parserOf(def.element);
  return (input) => {
    if (!Array.isArray(input)) return INVALID;
    const output: unknown[] = new Array(input.length);
    for (let index = 0; index < input.length; index++) {
      const value = element(input[index]);
      if (value === INVALID) return INVALID;
      output[index] = value;
    }
    return output;
  };
}

function recordParser(def: z.core.$ZodRecordDef): FastParser | undefined {
  // Records keyed by an enum must hold every key: left to zod.
  if (def.keyType._zod.values) return undefined;
  const keyParser = parserOf(def.keyType);
  const valueParser = parserOf(def.valueType);
  return (input) => {
    if (!isPlainObject(input)) return INVALID;
    const output: Record<PropertyKey, unknown> = {};
    for (const key of Reflect.ownKeys(input)) {
      if (key === '__proto__') continue;
      const outputKey = keyParser(key);
      const value = valueParser(input[key]);
      if (outputKey === INVALID || value === INVALID) return INVALID;
      output[outputKey as PropertyKey] = value;
    }
    return output;
  };
}

function optionalParser(def: z.core.$ZodOptionalDef): FastParser | undefined {
  // An inner schema that is itself optional (a default…) decides what undefined becomes.
  if (def.innerType._zod.optin === 'optional') return undefined;
  const inner = parserOf(def.innerType);
  return (input) => (input === undefined ? undefined : inner(input));
}
