import { describe, expect, it } from 'vitest';
import { NodeSelectorRequirementSchema } from '../../../../lib/apis/core/node-selector.ts';

function problems(input: unknown): string[] {
  const result = NodeSelectorRequirementSchema.safeParse(input);
  return result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('NodeSelectorRequirementSchema', () => {
  it.each([
    { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm64'] },
    { key: 'kubernetes.io/arch', operator: 'NotIn', values: [] },
    { key: 'example.com/gpu', operator: 'Exists' },
    { key: 'example.com/gpu', operator: 'DoesNotExist', values: [] },
    { key: 'karpenter.k8s.aws/instance-generation', operator: 'Gt', values: ['2'] },
    { key: 'karpenter.k8s.aws/instance-cpu', operator: 'Lt', values: ['65'] },
  ])('accepts $operator with values $values', (requirement) => {
    // Prepare / Act
    const found = problems(requirement);

    // Assess
    expect(found).toEqual([]);
  });

  it.each([
    [
      { key: 'a', operator: 'Exists', values: ['x'] },
      'values: operators Exists and DoesNotExist take no values',
    ],
    [
      { key: 'a', operator: 'DoesNotExist', values: ['x'] },
      'values: operators Exists and DoesNotExist take no values',
    ],
    [{ key: 'a', operator: 'In', values: [] }, 'values: operator In needs at least one value'],
    [{ key: 'a', operator: 'In' }, 'values: operator In needs at least one value'],
    [
      { key: 'a', operator: 'Gt', values: ['1.5'] },
      'values: operators Gt, Lt, Gte and Lte take exactly one non-negative integer value',
    ],
    [
      { key: 'a', operator: 'Lt', values: ['1', '2'] },
      'values: operators Gt, Lt, Gte and Lte take exactly one non-negative integer value',
    ],
    [
      { key: 'a', operator: 'Gt' },
      'values: operators Gt, Lt, Gte and Lte take exactly one non-negative integer value',
    ],
  ])('rejects %j', (requirement, expected) => {
    // Prepare / Act
    const found = problems(requirement);

    // Assess
    expect(found).toEqual([expected]);
  });

  it('rejects the Karpenter-only operators Gte and Lte in a pod node selector', () => {
    // Prepare / Act
    const found = problems({ key: 'a', operator: 'Gte', values: ['1'] });

    // Assess
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^operator: /);
  });

  it('rejects an unknown operator on the operator field', () => {
    // Prepare / Act
    const found = problems({ key: 'a', operator: 'Foo', values: ['x'] });

    // Assess
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^operator: /);
  });

  it('rejects a malformed label key', () => {
    // Prepare / Act
    const found = problems({ key: 'not a key', operator: 'Exists' });

    // Assess
    expect(found[0]).toMatch(/^key: must be a qualified name/);
  });
});
