import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyMergePatch, createMergePatch, jsonEqual } from '../../../lib/kube/merge-patch.ts';

describe('merge patches', () => {
  it('records changed, added and removed fields, with null for removals', () => {
    // Prepare
    const before = { metadata: { labels: { a: '1', b: '2' } }, spec: { taints: [{ key: 'x' }] } };
    const after = { metadata: { labels: { a: '1', c: '3' } }, spec: { taints: [] } };

    // Act
    const patch = createMergePatch(before, after);

    // Assess
    expect(patch).toEqual({ metadata: { labels: { b: null, c: '3' } }, spec: { taints: [] } });
  });

  it('is empty when nothing changed', () => {
    // Prepare
    const object = { metadata: { name: 'a' }, spec: { list: [1, { x: 2 }] } };

    // Act
    const patch = createMergePatch(object, structuredClone(object));

    // Assess
    expect(patch).toEqual({});
  });

  it('turns any object into any other when applied (RFC 7386 round trip)', () => {
    // Prepare: JSON objects without nulls, which a merge patch cannot carry as values
    const json = fc.dictionary(
      fc.string({ maxLength: 3 }),
      fc.letrec((tie) => ({
        value: fc.oneof(
          fc.integer(),
          fc.string(),
          fc.boolean(),
          fc.array(tie('value'), { maxLength: 3 }),
          tie('object'),
        ),
        object: fc.dictionary(fc.string({ maxLength: 3 }), tie('value'), { maxKeys: 3 }),
      })).value,
      { maxKeys: 4 },
    );

    // Act / Assess
    fc.assert(
      fc.property(json, json, (before, after) =>
        jsonEqual(applyMergePatch(before, createMergePatch(before, after)), after),
      ),
    );
  });
});
