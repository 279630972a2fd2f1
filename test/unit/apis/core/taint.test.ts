import { describe, expect, it } from 'vitest';
import { TaintSchema, TolerationSchema } from '../../../../lib/apis/core/taint.ts';

describe('TaintSchema', () => {
  it('accepts a taint with key, value and effect', () => {
    // Prepare / Act
    const result = TaintSchema.safeParse({
      key: 'nvidia.com/gpu',
      value: 'true',
      effect: 'NoSchedule',
    });

    // Assess
    expect(result.success).toBe(true);
  });

  it('rejects an unknown effect on the effect field', () => {
    // Prepare / Act
    const result = TaintSchema.safeParse({ key: 'nvidia.com/gpu', effect: 'NoRun' });

    // Assess
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([['effect']]);
  });
});

describe('TolerationSchema', () => {
  it.each([
    { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'dedicated', value: 'gpu' },
    { operator: 'Exists' },
  ])('accepts %j', (toleration) => {
    // Prepare / Act
    const result = TolerationSchema.safeParse(toleration);

    // Assess
    expect(result.success).toBe(true);
  });

  it('rejects a value with operator Exists', () => {
    // Prepare / Act
    const result = TolerationSchema.safeParse({ key: 'a', operator: 'Exists', value: 'b' });

    // Assess
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['value', 'a toleration with operator Exists must not have a value'],
    ]);
  });

  it('rejects an empty key without operator Exists', () => {
    // Prepare / Act
    const result = TolerationSchema.safeParse({ value: 'b' });

    // Assess
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['operator', 'a toleration with an empty key must use operator Exists'],
    ]);
  });
});
