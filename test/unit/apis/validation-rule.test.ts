import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toStructuralSchema } from '../../../lib/apis/crd/index.ts';
import { boundedRecord, withRules } from '../../../lib/apis/validation-rule.ts';

const positive = {
  cel: 'self.n > 0',
  message: 'n must be positive',
  path: ['n'],
  holds: ({ n }: { n: number }) => n > 0,
};

describe('withRules', () => {
  it('reports a failed rule at its path', () => {
    // Prepare
    const schema = withRules(z.object({ n: z.number() }), [positive]);

    // Act
    const issues = schema.safeParse({ n: 0 }).error?.issues;

    // Assess
    expect(issues?.map((issue) => [issue.path, issue.message])).toEqual([
      [['n'], 'n must be positive'],
    ]);
  });

  it('emits the rule as CEL with a field path, keeping rules attached earlier', () => {
    // Prepare
    const small = {
      cel: 'self.n < 10',
      message: 'n must be small',
      holds: ({ n }: { n: number }) => n < 10,
    };
    const schema = withRules(withRules(z.object({ n: z.number() }), [positive]), [small]);

    // Act
    const structural = toStructuralSchema(schema);

    // Assess
    expect(structural['x-kubernetes-validations']).toEqual([
      { rule: 'self.n > 0', message: 'n must be positive', fieldPath: '.n' },
      { rule: 'self.n < 10', message: 'n must be small' },
    ]);
    expect(schema.safeParse({ n: 20 }).error?.issues.map((issue) => issue.message)).toEqual([
      'n must be small',
    ]);
  });
});

describe('boundedRecord', () => {
  it('rejects more entries than the bound', () => {
    // Prepare
    const schema = boundedRecord(z.string(), z.string(), 2);

    // Act
    const result = schema.safeParse({ a: '1', b: '2', c: '3' });

    // Assess
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([
      'must have at most 2 entries',
    ]);
  });

  it('declares the bound as maxProperties, also after rules are attached', () => {
    // Prepare
    const nonEmpty = {
      cel: 'size(self) > 0',
      message: 'must not be empty',
      holds: (map: object) => Object.keys(map).length > 0,
    };
    const schema = withRules(boundedRecord(z.string(), z.string(), 2), [nonEmpty]);

    // Act
    const structural = toStructuralSchema(schema);

    // Assess
    expect(structural).toMatchObject({
      maxProperties: 2,
      'x-kubernetes-validations': [{ rule: 'size(self) > 0', message: 'must not be empty' }],
    });
  });
});
