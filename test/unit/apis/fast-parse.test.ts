import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { NodePoolSchema, PodSchema, parseManifests } from '../../../lib/apis/index.ts';
import { safeParseFast } from '../../../lib/apis/fast-parse.ts';

/** The result as the caller sees it, key order included (toStrictEqual ignores it). */
function observed(result: z.ZodSafeParseResult<unknown>) {
  return result.success
    ? { success: true, data: result.data, text: JSON.stringify(result.data) }
    : { success: false, issues: result.error.issues };
}

const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
const quantity = fc.oneof(fc.constantFrom('100m', '1', '2Gi', '0.5', '1e3'), fc.nat());
const selector = fc.record(
  {
    matchLabels: fc.dictionary(name, name, { maxKeys: 2 }),
    matchExpressions: fc.array(
      fc.record({
        key: name,
        operator: fc.constantFrom('In', 'NotIn', 'Exists'),
        values: fc.array(name, { maxLength: 2 }),
      }),
      { maxLength: 2 },
    ),
  },
  { requiredKeys: [] },
);
/** Pods as manifests write them, fields in any order, with unknown fields here and there. */
const validPod = fc.record(
  {
    apiVersion: fc.constant('v1'),
    kind: fc.constant('Pod'),
    metadata: fc.record(
      {
        name,
        namespace: name,
        labels: fc.dictionary(name, name, { maxKeys: 3 }),
        creationTimestamp: fc.constantFrom('2024-01-01T00:00:00Z', '2024-01-01T00:00:00+02:00'),
        extra: name,
      },
      { requiredKeys: ['name'] },
    ),
    spec: fc.record(
      {
        nodeSelector: fc.dictionary(name, name, { maxKeys: 2 }),
        containers: fc.array(
          fc.record(
            {
              name,
              image: name,
              resources: fc.record(
                {
                  requests: fc.dictionary(fc.constantFrom('cpu', 'memory'), quantity),
                  limits: fc.dictionary(fc.constantFrom('cpu', 'memory'), quantity),
                },
                { requiredKeys: [] },
              ),
            },
            { requiredKeys: ['name'] },
          ),
          { minLength: 1, maxLength: 2 },
        ),
        tolerations: fc.array(
          fc.record(
            { key: name, operator: fc.constantFrom('Exists', 'Equal'), effect: fc.constant('') },
            { requiredKeys: [] },
          ),
          { maxLength: 2 },
        ),
        topologySpreadConstraints: fc.array(
          fc.record({
            maxSkew: fc.integer({ min: 1, max: 3 }),
            topologyKey: name,
            whenUnsatisfiable: fc.constantFrom('DoNotSchedule', 'ScheduleAnyway'),
            labelSelector: selector,
          }),
          { maxLength: 1 },
        ),
        priority: fc.integer(),
      },
      { requiredKeys: ['containers'] },
    ),
  },
  { requiredKeys: ['metadata', 'spec'] },
);

/** A pod with one value somewhere replaced by anything at all (or left alone). */
const anyPod = fc
  .tuple(validPod, fc.nat(), fc.anything({ withNullPrototype: true, withObjectString: true }))
  .map(([pod, position, replacement]) => {
    const containers: unknown[] = [pod];
    const walk = (value: unknown) => {
      if (typeof value !== 'object' || value === null) return;
      containers.push(value);
      Object.values(value).forEach(walk);
    };
    walk(pod);
    const target = containers[position % containers.length] as Record<string, unknown>;
    const keys = Object.keys(target);
    const key = keys[position % Math.max(keys.length, 1)] ?? 'added';
    target[position % 3 === 0 ? `${key}-new` : key] = replacement;
    return pod;
  });

describe('safeParseFast', () => {
  it('gives what zod gives, output key order and error messages included', () => {
    const outcomes = { valid: 0, invalid: 0 };
    fc.assert(
      fc.property(fc.oneof(validPod, anyPod), (pod) => {
        // Act
        const fast = safeParseFast(PodSchema, pod);
        // Assess
        expect(observed(fast)).toStrictEqual(observed(PodSchema.safeParse(pod)));
        outcomes[fast.success ? 'valid' : 'invalid']++;
      }),
      { numRuns: 1_000 },
    );
    // Both outcomes must have been compared many times.
    expect(outcomes.valid).toBeGreaterThan(200);
    expect(outcomes.invalid).toBeGreaterThan(200);
  });

  it('parses valid pods without zod walking them', () => {
    let parsed = 0;
    fc.assert(
      fc.property(validPod, (pod) => {
        // Prepare
        const valid = PodSchema.safeParse(pod).success;
        const zodParse = vi.spyOn(PodSchema, 'safeParse');
        try {
          // Act
          const fast = safeParseFast(PodSchema, pod);
          // Assess
          expect(fast.success).toBe(valid);
          expect(zodParse).toHaveBeenCalledTimes(valid ? 0 : 1);
          if (valid) parsed++;
        } finally {
          zodParse.mockRestore();
        }
      }),
      { numRuns: 200 },
    );
    expect(parsed).toBeGreaterThan(100);
  });

  it.each([
    ['a strict object with an unknown key', z.strictObject({ a: z.string() }), { a: 'x', b: 1 }],
    [
      'a plain object, whose unknown keys are dropped',
      z.object({ a: z.string() }),
      { a: 'x', b: 1 },
    ],
    ['an object refinement', z.object({ a: z.int() }).refine(({ a }) => a > 1), { a: 1 }],
    ['a default inside an optional', z.object({ a: z.string().default('d').optional() }), {}],
    ['a record keyed "constructor"', z.record(z.string(), z.string()), { constructor: 'x' }],
    ['a record with a refined key', z.record(z.string().min(2), z.int()), { a: 1, bb: 2 }],
    ['an enum-keyed record', z.record(z.enum(['a', 'b']), z.int()), { a: 1 }],
    ['an array shorter than its minimum', z.array(z.string()).min(2), ['x']],
    ['an undefined optional key', z.looseObject({ a: z.string().optional() }), { a: undefined }],
    ['a transform', z.object({ a: z.string().transform((s) => s.length) }), { a: 'abc' }],
    ['an integer', z.int(), 2],
    ['a fraction for an integer', z.int(), 1.5],
    ['an unsafe integer', z.int(), 2 ** 60],
    ['infinity for a number', z.number(), Infinity],
    ['NaN for a number', z.number(), NaN],
    ['a timestamp', z.iso.datetime({ offset: true }), '2024-01-01T00:00:00Z'],
    ['a date for a timestamp', z.iso.datetime(), '2024-01-01'],
    ['a string for a union taking an integer first', z.union([z.int(), z.string()]), '3'],
    ['a number no option takes', z.union([z.string(), z.boolean()]), 3],
    [
      'a discriminated union',
      z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('a'), n: z.int() }),
        z.object({ kind: z.literal('b'), s: z.string() }),
      ]),
      { kind: 'b', s: 'x', n: 1 },
    ],
    ['a coerced number', z.coerce.number(), '3'],
    ['a value outside an enum', z.enum(['a', 'b']), 'c'],
    ['a literal', z.literal('v1'), 'v1'],
    ['a string for a boolean', z.boolean(), 'true'],
    ['a string shorter than its minimum', z.string().min(2), 'a'],
    ['a string off its pattern', z.string().regex(/^a+$/), 'ab'],
  ])('gives what zod gives for %s', (_what, schema: z.ZodType, input) => {
    // Act
    const fast = safeParseFast(schema, input);
    // Assess
    expect(observed(fast)).toStrictEqual(observed(schema.safeParse(input)));
    if (fast.success)
      expect(Object.keys(fast.data as object)).toEqual(Object.keys(schema.parse(input) as object));
  });

  it('gives what zod gives for a recursive schema', () => {
    // Prepare
    const Tree = z.object({
      name: z.string(),
      get children(): z.ZodOptional<z.ZodArray<typeof Tree>> {
        return z.array(Tree).optional();
      },
    });
    const tree = { name: 'a', children: [{ name: 'b', children: [{ name: 'c' }] }, { name: 1 }] };
    const valid = { name: 'a', children: [{ name: 'b', children: [{ name: 'c', extra: 1 }] }] };
    // Act / Assess
    for (const input of [tree, valid])
      expect(observed(safeParseFast(Tree, input))).toStrictEqual(observed(Tree.safeParse(input)));
  });

  it('applies the defaults of schemas it hands to zod (a shipped NodePool)', () => {
    // Prepare
    const file = 'examples/general-purpose.yaml';
    const [nodePool] = parseManifests(file, readFileSync(file, 'utf8'))
      .filter(({ kind }) => kind === 'NodePool')
      .map(({ object }) => object);
    // Act
    const fast = safeParseFast(NodePoolSchema, nodePool);
    // Assess
    expect(observed(fast)).toStrictEqual(observed(NodePoolSchema.safeParse(nodePool)));
    expect(fast.success && fast.data.spec.disruption.consolidateAfter).toBeDefined();
  });
});
