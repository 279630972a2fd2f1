import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManifestError, formatIssues, parseManifests } from '../../../lib/apis/manifests.ts';

describe('parseManifests', () => {
  it('returns every document with its index, kind and name, skipping empty documents', () => {
    // Prepare
    const text =
      'kind: Pod\nmetadata:\n  name: a\n---\n---\nkind: Node\nmetadata:\n  generateName: b-\n';

    // Act
    const documents = parseManifests('f.yaml', text);

    // Assess
    expect(documents.map(({ index, kind, name }) => [index, kind, name])).toEqual([
      [0, 'Pod', 'a'],
      [2, 'Node', 'b-'],
    ]);
  });

  it('reads a JSON document', () => {
    // Prepare / Act
    const [document] = parseManifests('f.json', '{"kind": "Pod", "metadata": {"name": "p"}}');

    // Assess
    expect(document).toMatchObject({ index: 0, kind: 'Pod', name: 'p' });
  });

  it('expands the items of a list, numbering them', () => {
    // Prepare
    const text =
      'kind: List\nitems:\n- kind: Pod\n  metadata: {name: a}\n- kind: Pod\n  metadata: {name: b}\n';

    // Act
    const documents = parseManifests('f.yaml', text);

    // Assess
    expect(documents.map(({ index, item, name }) => [index, item, name])).toEqual([
      [0, 0, 'a'],
      [0, 1, 'b'],
    ]);
  });

  it('keeps documents without kind or name, and non-object documents', () => {
    // Prepare / Act
    const documents = parseManifests('f.yaml', 'just text\n---\nmetadata: 3\n');

    // Assess
    expect(documents.map(({ kind, name, object }) => [kind, name, object])).toEqual([
      [undefined, undefined, 'just text'],
      [undefined, undefined, { metadata: 3 }],
    ]);
  });

  it('reports broken YAML on one line naming the file and line', () => {
    // Prepare
    const text = 'kind: Pod\n---\nkind: Node\nname: a: b\n';

    // Act
    const parse = () => parseManifests('broken.yaml', text);

    // Assess
    expect(parse).toThrow(ManifestError);
    expect(parse).toThrow(/^broken\.yaml:4: invalid YAML: [^\n]+$/);
  });

  it('reports broken JSON naming the file and line', () => {
    // Prepare / Act
    const parse = () => parseManifests('broken.json', '{\n"kind": "Pod",\n}');

    // Assess
    expect(parse).toThrow(/^broken\.json:3: invalid JSON: [^\n]+$/);
  });
});

describe('formatIssues', () => {
  it('formats zod issues as FILE (document N) KIND/NAME: field.path: message', () => {
    // Prepare
    const [document] = parseManifests(
      'f.yaml',
      '---\nkind: Thing\nmetadata: {name: t}\nspec: {items: [{size: x}]}\n',
    );
    const schema = z.object({ spec: z.object({ items: z.array(z.object({ size: z.number() })) }) });
    const issues = schema.safeParse(document?.object).error?.issues ?? [];

    // Act
    const lines = document ? formatIssues(document, issues) : [];

    // Assess
    expect(lines).toEqual([
      'f.yaml (document 1) Thing/t: spec.items[0].size: Invalid input: expected number, received string',
    ]);
  });
});
