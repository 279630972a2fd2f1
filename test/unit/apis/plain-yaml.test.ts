import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseAllDocuments, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parsePlainYaml } from '../../../lib/apis/plain-yaml.ts';

/** What the yaml library reads, as parseManifests calls it. */
function reference(text: string): unknown[] {
  return parseAllDocuments(text, { version: '1.1' }).map((document) => document.toJS());
}

function yamlFiles(directory: string): string[] {
  return readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => join(directory, name));
}

/** Scalars YAML 1.1 reads as something other than the plain string, and strings that need quoting. */
const TRICKY = [
  'yes',
  'No',
  'on',
  'OFF',
  'y',
  '~',
  'null',
  '1.0',
  '0x1F',
  '017',
  '1_000',
  '190:20:30',
  '.inf',
  '2024-01-01',
  '',
  ' padded ',
  'a: b',
  '# not a comment',
  "it's",
  'say "hi"',
  'tab\there',
  'line\nbreak',
  'ünïcödé',
  'e0',
  '-',
  '- a',
  '[x]',
  '{}',
  '@at',
  '100m',
  '3Gi',
  'kubernetes.io/arch',
];

/** Mostly what manifests hold, so most samples stay inside the subset; some of anything. */
const nameLike = fc.stringMatching(/^[a-z][a-z0-9./-]{0,10}$/);
const scalar = fc.oneof(
  { arbitrary: nameLike, weight: 6 },
  fc.constantFrom(...TRICKY),
  fc.string(),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.constant(null),
);
const key = fc.oneof(
  { arbitrary: nameLike, weight: 8 },
  fc.constantFrom('yes', 'on', 'e5', 'E-1', '1', 'a b', 'x:y', '-', ''),
  fc.string({ minLength: 1, maxLength: 8 }),
);
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, scalar, tie('list'), tie('map')),
  list: fc.array(tie('node'), { maxLength: 4 }),
  map: fc.dictionary(key, tie('node'), { maxKeys: 4 }),
})).node;
const documents = fc.array(fc.dictionary(key, value, { minKeys: 1, maxKeys: 5 }), {
  minLength: 1,
  maxLength: 3,
});

describe('parsePlainYaml', () => {
  it('reads what the yaml library reads, or declines, for any stringified documents', () => {
    let read = 0;
    fc.assert(
      fc.property(documents, fc.constantFrom('1.1' as const, '1.2' as const), (docs, version) => {
        // Prepare
        const text = docs.map((doc) => stringify(doc, { version })).join('---\n');
        // Act
        const documentsRead = parsePlainYaml(text);
        // Assess
        if (documentsRead === undefined) return;
        read++;
        expect(documentsRead).toEqual(reference(text));
      }),
      { numRuns: 400 },
    );
    // Most samples are manifest-like: the comparison above must have been made for many.
    expect(read).toBeGreaterThan(50);
  });

  it('reads typical manifests itself, the way the yaml library does', () => {
    // Prepare
    const text = [
      '# leading comment',
      '---',
      'apiVersion: v1   # trailing comment',
      'kind: Pod',
      'metadata:',
      '  name: web-0',
      '  labels: {}',
      '  annotations:',
      "    'quoted key': 'it''s'",
      '    "escaped": "tab\\tand \\u00e9"',
      'spec:',
      '  containers:',
      '  - name: app',
      '    image: nginx:1.27',
      '    args: ["--port", 8080, yes, \'x\']',
      '    ports:',
      '      - containerPort: 80',
      '        hostPort: 0x50',
      '  tolerations:',
      '    -',
      '      key: a',
      '  empty:',
      '  nested:',
      '  - - 1',
      '    - 2',
      '---',
      '---',
      'kind: Namespace\r',
      'metadata: {}',
    ].join('\n');
    // Act
    const read = parsePlainYaml(text);
    // Assess
    expect(read).toBeDefined();
    expect(read).toEqual(reference(text));
    expect(read).toHaveLength(3);
  });

  it('declines what it does not read, so the yaml library reads it (or reports the error)', () => {
    const declined = [
      'a: &anchor 1\nb: *anchor',
      'a: !!str 1',
      'a: |\n  text',
      'a: >\n  text',
      'a: plain\n  continued',
      'a: {b: 1}',
      'a: 1\na: 2',
      '<<: {a: 1}',
      'a: b: c',
      'just a scalar',
      '  indented: 1',
      'a:\n\t- tab',
      '%YAML 1.1\n---\na: 1',
      'a: 1\n...\n',
      'a: "unterminated',
      'a:\n  - 1\n  b: 2',
      'yes: 1',
      'a: 1\rb: 2',
      'a: b\u00a0',
      '\u00a0a: 1',
      'a: 1\f',
      '  \t# comment after a tab',
    ];
    for (const text of declined) expect(parsePlainYaml(text), text).toBeUndefined();
  });

  it('reads every shipped YAML file as the yaml library does, when it reads it', () => {
    for (const file of [
      ...yamlFiles('examples'),
      ...yamlFiles('manifests'),
      ...yamlFiles('test/fixtures'),
    ]) {
      const text = readFileSync(file, 'utf8');
      const read = parsePlainYaml(text);
      if (read !== undefined) expect(read, file).toEqual(reference(text));
    }
  });
});
