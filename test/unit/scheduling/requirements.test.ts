import { describe, expect, it } from 'vitest';
import { Requirement } from '../../../lib/scheduling/requirement.ts';
import { Requirements } from '../../../lib/scheduling/requirements.ts';

const from = (
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt',
  values?: string[],
): Requirement => Requirement.from({ key: 'k', operator, ...(values ? { values } : {}) });

describe('Requirement', () => {
  it.each([
    ['In', ['a', 'b'], 'a', true],
    ['In', ['a', 'b'], 'c', false],
    ['NotIn', ['a'], 'a', false],
    ['NotIn', ['a'], 'b', true],
    ['Exists', undefined, 'x', true],
    ['DoesNotExist', undefined, 'x', false],
    ['Gt', ['4'], '5', true],
    ['Gt', ['4'], '4', false],
    ['Lt', ['4'], '3', true],
    ['Lt', ['4'], 'abc', false],
  ] as const)('%s %j has %s: %s', (operator, values, value, expected) => {
    // Prepare
    const requirement = from(operator, values ? [...values] : undefined);
    // Act
    const has = requirement.has(value);
    // Assess
    expect(has).toBe(expected);
  });

  it('intersects In with NotIn to the listed values not excluded', () => {
    const result = from('In', ['a', 'b', 'c']).intersection(from('NotIn', ['b']));
    expect([...result.values].sort()).toEqual(['a', 'c']);
    expect(result.complement).toBe(false);
  });

  it('bounds Gt and Lt together and finds an empty integer range unsatisfiable', () => {
    const range = from('Gt', ['2']).intersection(from('Lt', ['5']));
    expect(['3', '4'].map((value) => range.has(value))).toEqual([true, true]);
    expect(range.has('5')).toBe(false);
    expect(
      from('Gt', ['4'])
        .intersection(from('Lt', ['5']))
        .isSatisfiable(),
    ).toBe(false);
  });

  it('treats DoesNotExist as compatible with NotIn but not with In or Exists', () => {
    expect(from('DoesNotExist').intersects(from('NotIn', ['a']))).toBe(true);
    expect(from('DoesNotExist').intersects(from('In', ['a']))).toBe(false);
    expect(from('DoesNotExist').intersects(from('Exists'))).toBe(false);
  });

  it('keeps the larger minValues when intersecting', () => {
    const a = Requirement.from({ key: 'k', operator: 'Exists', minValues: 2 });
    const b = Requirement.from({ key: 'k', operator: 'NotIn', values: ['x'], minValues: 5 });
    expect(a.intersection(b).minValues).toBe(5);
  });

  it('converts back to Kubernetes requirements', () => {
    expect(from('In', ['b', 'a']).toNodeRequirements()).toEqual([
      { key: 'k', operator: 'In', values: ['a', 'b'] },
    ]);
    expect(
      from('Exists')
        .intersection(from('NotIn', ['a']))
        .toNodeRequirements(),
    ).toEqual([
      { key: 'k', operator: 'NotIn', values: ['a'] },
      { key: 'k', operator: 'Exists' },
    ]);
  });
});

describe('Requirements.incompatibility', () => {
  it('rejects a custom label the node does not define unless the pod allows its absence', () => {
    // Prepare
    const node = Requirements.fromLabels({ team: 'a' });
    // Act / Assess
    expect(node.incompatibility(Requirements.fromLabels({ other: 'x' }), true)).toMatch(
      /label "other" is not defined/,
    );
    expect(
      node.incompatibility(
        Requirements.fromNodeRequirements([{ key: 'other', operator: 'DoesNotExist' }]),
        false,
      ),
    ).toBeUndefined();
  });

  it('allows undefined well-known labels only on NodeClaims still to be created', () => {
    const incoming = Requirements.fromLabels({ 'kubernetes.io/arch': 'arm64' });
    expect(new Requirements().incompatibility(incoming, true)).toBeUndefined();
    expect(new Requirements().incompatibility(incoming, false)).toMatch(/not defined/);
  });

  it('names both sides of a conflict', () => {
    const reason = Requirements.fromLabels({ zone: 'a' }).incompatibility(
      Requirements.fromLabels({ zone: 'b' }),
      true,
    );
    expect(reason).toBe('zone In [b] conflicts with zone In [a]');
  });
});
