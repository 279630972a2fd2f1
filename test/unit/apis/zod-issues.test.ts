import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatFieldPath, formatZodIssues } from '../../../lib/apis/zod-issues.ts';

describe('formatFieldPath', () => {
  it('formats a path with numeric and string segments', () => {
    // Prepare / Act
    const path = formatFieldPath(['spec', 'requirements', 0, 'values', 2]);

    // Assess
    expect(path).toBe('spec.requirements[0].values[2]');
  });
});

describe('formatZodIssues', () => {
  it('gives one field.path: message per issue, and the message alone for the value as a whole', () => {
    // Prepare
    const schema = z.strictObject({ items: z.array(z.object({ size: z.number() })) });
    const error = schema.safeParse({ items: [{ size: 'x' }], extra: 1 }).error;

    // Act
    const lines = error ? formatZodIssues(error) : [];

    // Assess
    expect(lines).toEqual([
      'items[0].size: Invalid input: expected number, received string',
      'Unrecognized key: "extra"',
    ]);
  });

  it('keeps each problem on one line when a key spans several', () => {
    // Prepare
    const schema = z.strictObject({});
    const error = schema.safeParse({ '{\n  -# a comment\n}': 1 }).error;

    // Act
    const lines = error ? formatZodIssues(error) : [];

    // Assess
    expect(lines).toEqual(['Unrecognized key: "{ -# a comment }"']);
  });
});
