import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { main } from '../../../lib/cli/main.ts';

const EXAMPLES = ['examples/general-purpose.yaml', 'examples/gpu.yaml', 'examples/arm64.yaml'];

interface Run {
  readonly code: number;
  readonly out: string[];
  readonly err: string[];
}

async function validate(...files: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['validate', ...files.flatMap((file) => ['-f', file])], {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
  });
  return { code, out, err };
}

function writeTemp(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'validate-')), name);
  writeFileSync(file, text);
  return file;
}

type Manifest = { [key: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The general-purpose example (NodePool, then EC2NodeClass), changed by `edit`, in a temp file. */
function editedExample(edit: (nodePool: Manifest, nodeClass: Manifest) => void): string {
  const [nodePool, nodeClass] = parseAllDocuments(
    readFileSync('examples/general-purpose.yaml', 'utf8'),
  ).map((document) => document.toJS() as Manifest);
  if (!nodePool || !nodeClass)
    throw new Error('examples/general-purpose.yaml must hold a NodePool and an EC2NodeClass');
  edit(nodePool, nodeClass);
  return writeTemp('edited.yaml', `${stringify(nodePool)}---\n${stringify(nodeClass)}`);
}

describe('skyscale validate', () => {
  it('accepts the examples', async () => {
    // Prepare / Act
    const run = await validate(...EXAMPLES);

    // Assess
    expect(run).toMatchObject({ code: 0, err: ['6 object(s) valid, 0 invalid'] });
    expect(run.out).toContain(
      'examples/general-purpose.yaml (document 1) NodePool/general-purpose: valid',
    );
    expect(run.out).toHaveLength(6);
    expect(
      run.out.every((line) => / \(document \d+\) [A-Za-z0-9]+\/[^ ]+: valid$/.test(line)),
    ).toBe(true);
  });

  it.each([
    {
      problem: 'an unknown operator',
      edit: (pool: Manifest) => (pool.spec.template.spec.requirements[0].operator = 'Foo'),
      line: 'NodePool/general-purpose: spec.template.spec.requirements[0].operator: Invalid option: expected one of "In"|"NotIn"|"Exists"|"DoesNotExist"|"Gt"|"Lt"|"Gte"|"Lte"',
    },
    {
      problem: 'minValues above 50',
      edit: (pool: Manifest) => (pool.spec.template.spec.requirements[3].minValues = 51),
      line: 'NodePool/general-purpose: spec.template.spec.requirements[3].minValues: Too big: expected number to be <=50',
    },
    {
      problem: 'weight 0',
      edit: (pool: Manifest) => (pool.spec.weight = 0),
      line: 'NodePool/general-purpose: spec.weight: Too small: expected number to be >=1',
    },
    {
      problem: 'weight 101',
      edit: (pool: Manifest) => (pool.spec.weight = 101),
      line: 'NodePool/general-purpose: spec.weight: Too big: expected number to be <=100',
    },
    {
      problem: 'a requirement on kubernetes.io/hostname',
      edit: (pool: Manifest) =>
        pool.spec.template.spec.requirements.push({
          key: 'kubernetes.io/hostname',
          operator: 'Exists',
        }),
      line: 'NodePool/general-purpose: spec.template.spec.requirements[5].key: label "kubernetes.io/hostname" is restricted',
    },
    {
      problem: 'a restricted label domain in template labels',
      edit: (pool: Manifest) => (pool.spec.template.metadata.labels['karpenter.sh/team'] = 'a'),
      line: 'NodePool/general-purpose: spec.template.metadata.labels: label domain "karpenter.sh" is restricted',
    },
    {
      problem: 'an invalid duration',
      edit: (pool: Manifest) => (pool.spec.disruption.consolidateAfter = '5 minutes'),
      line: 'NodePool/general-purpose: spec.disruption.consolidateAfter: must be a duration such as "30s", "10m" or "720h", or "Never"',
    },
    {
      problem: 'a budget with a schedule but no duration',
      edit: (pool: Manifest) => delete pool.spec.disruption.budgets[1].duration,
      line: "NodePool/general-purpose: spec.disruption.budgets[1].duration: 'schedule' must be set with 'duration'",
    },
    {
      problem: 'Gt with a non-integer value',
      edit: (pool: Manifest) => (pool.spec.template.spec.requirements[4].values = ['2.5']),
      line: 'NodePool/general-purpose: spec.template.spec.requirements[4].values: operators Gt, Lt, Gte and Lte take exactly one non-negative integer value',
    },
    {
      problem: 'Gte with two values',
      edit: (pool: Manifest) =>
        pool.spec.template.spec.requirements.push({
          key: 'karpenter.k8s.aws/instance-cpu',
          operator: 'Gte',
          values: ['2', '4'],
        }),
      line: 'NodePool/general-purpose: spec.template.spec.requirements[5].values: operators Gt, Lt, Gte and Lte take exactly one non-negative integer value',
    },
    {
      problem: 'an EC2NodeClass with both role and instanceProfile',
      edit: (_pool: Manifest, nodeClass: Manifest) =>
        (nodeClass.spec.instanceProfile = 'KarpenterNodeInstanceProfile'),
      line: "EC2NodeClass/default: spec.instanceProfile: must specify exactly one of ['role', 'instanceProfile']",
      index: 1,
    },
  ])('reports $problem with its field path and exits 1', async ({ edit, line, index = 0 }) => {
    // Prepare
    const file = editedExample(edit);

    // Act
    const run = await validate(file);

    // Assess
    expect(run.code).toBe(1);
    expect(run.out).toContain(`${file} (document ${index + 1}) ${line}`);
    expect(
      run.out
        .filter((printed) => !printed.endsWith(': valid'))
        .every((printed) => printed.startsWith(`${file} (document ${index + 1}) `)),
    ).toBe(true);
  });

  it('requires a name, as kubectl apply does', async () => {
    // Prepare
    const file = editedExample((pool) => delete pool.metadata.name);

    // Act
    const run = await validate(file);

    // Assess
    expect(run.code).toBe(1);
    expect(run.out).toEqual([
      `${file} (document 1) NodePool/<no name>: metadata.name: a NodePool needs a name`,
      `${file} (document 2) EC2NodeClass/default: valid`,
    ]);
  });

  it('lists and skips unknown kinds without failing, even names of Object members', async () => {
    // Prepare
    const file = writeTemp(
      'mixed.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n---\nkind: toString\nmetadata:\n  name: odd\n',
    );

    // Act
    const run = await validate(EXAMPLES[0] ?? '', file);

    // Assess
    expect(run.code).toBe(0);
    expect(run.err).toEqual([
      `${file} (document 1) ConfigMap/settings: skipped: not a NodePool, NodeClaim or EC2NodeClass`,
      `${file} (document 2) toString/odd: skipped: not a NodePool, NodeClaim or EC2NodeClass`,
      '2 object(s) valid, 0 invalid',
    ]);
  });

  it('reports an unreadable file on one line and keeps checking the others', async () => {
    // Prepare
    const missing = join(tmpdir(), 'no-such-dir', 'missing.yaml');

    // Act
    const run = await validate(missing, EXAMPLES[0] ?? '');

    // Assess
    expect(run.code).toBe(1);
    expect(run.err[0]).toMatch(
      new RegExp(`^${missing.replaceAll('.', '\\.')}: cannot read: ENOENT`),
    );
    expect(run.err.at(-1)).toBe('validation failed: 2 object(s) valid, 0 invalid');
  });

  it('reports broken YAML with the file and line', async () => {
    // Prepare
    const file = writeTemp(
      'broken.yaml',
      'apiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata: name: x\n',
    );

    // Act
    const run = await validate(file);

    // Assess
    expect(run.code).toBe(1);
    expect(run.err[0]).toMatch(
      new RegExp(`^${file.replaceAll('.', '\\.')}:3: invalid YAML: [^\\n]+$`),
    );
  });

  it('requires at least one file', async () => {
    // Prepare / Act
    const run = await validate();

    // Assess
    expect(run.code).toBe(1);
    expect(run.err[0]).toMatch(/^skyscale validate: at least one -f FILE is required/);
  });
});
