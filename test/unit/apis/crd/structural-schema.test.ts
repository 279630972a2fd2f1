import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toStructuralSchema } from '../../../../lib/apis/crd/index.ts';
import { QuantitySchema } from '../../../../lib/apis/quantity-schema.ts';

describe('toStructuralSchema', () => {
  it('drops $schema and additionalProperties: false, and marks loose objects as preserving unknown fields', () => {
    // Prepare
    const schema = z.strictObject({ meta: z.looseObject({ name: z.string() }) });

    // Act
    const structural = toStructuralSchema(schema);

    // Assess
    expect(structural).toEqual({
      type: 'object',
      properties: {
        meta: {
          type: 'object',
          properties: { name: { type: 'string' } },
          required: ['name'],
          'x-kubernetes-preserve-unknown-fields': true,
        },
      },
      required: ['meta'],
    });
  });

  it('writes a quantity as int-or-string, keeping its pattern', () => {
    // Prepare / Act
    const structural = toStructuralSchema(QuantitySchema);

    // Assess
    expect(structural).toEqual({
      anyOf: [{ type: 'integer' }, { type: 'string' }],
      pattern: expect.any(String),
      'x-kubernetes-int-or-string': true,
    });
  });

  it('turns enumerated map keys into a CEL rule and a size bound', () => {
    // Prepare
    const schema = z.partialRecord(z.enum(['cpu', 'memory']), z.string());

    // Act
    const structural = toStructuralSchema(schema);

    // Assess
    expect(structural).toEqual({
      type: 'object',
      additionalProperties: { type: 'string' },
      maxProperties: 2,
      'x-kubernetes-validations': [
        {
          rule: 'self.all(key, key in ["cpu", "memory"])',
          message: 'keys must be one of cpu, memory',
        },
      ],
    });
  });

  it("drops zod's safe-integer bounds and keeps real ones, and turns a literal into an enum", () => {
    // Prepare
    const schema = z.object({
      count: z.int(),
      percent: z.int().min(0).max(100),
      kind: z.literal('Thing'),
    });

    // Act
    const structural = toStructuralSchema(schema);

    // Assess
    expect(structural.properties).toEqual({
      count: { type: 'integer' },
      percent: { type: 'integer', minimum: 0, maximum: 100 },
      kind: { type: 'string', enum: ['Thing'] },
    });
  });

  it('leaves date-time checking to Kubernetes', () => {
    // Prepare / Act
    const structural = toStructuralSchema(z.iso.datetime({ offset: true }));

    // Assess
    expect(structural).toEqual({ type: 'string', format: 'date-time' });
  });
});
