import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ManifestError, parseManifests, QuantitySchema } from '../../../lib/apis/index.ts';
import { main } from '../../../lib/cli/main.ts';
import { parseScenario, ScenarioError } from '../../../lib/sim/index.ts';

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

async function cli(...args: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

function writeTemp(name: string, content: string | Uint8Array): string {
  const file = join(mkdtempSync(join(tmpdir(), 'hostile-')), name);
  writeFileSync(file, content);
  return file;
}

/** Nine anchors, each nine aliases of the one before: 9^9 nodes if expanded. */
const ALIAS_BOMB = Array.from(
  { length: 9 },
  (_, level) =>
    `l${level}: &l${level} [${
      level === 0
        ? 'x, x, x, x, x, x, x, x, x'
        : Array(9)
            .fill(`*l${level - 1}`)
            .join(', ')
    }]`,
).join('\n');

const EXAMPLE = readFileSync('examples/general-purpose.yaml', 'utf8');
const SCENARIO = readFileSync('examples/scenarios/web-burst.yaml', 'utf8');

/** The one line of an error, which must not carry a stack trace or span lines. */
function oneLine(text: string): string {
  expect(text.trim().split('\n')).toHaveLength(1);
  expect(text).not.toMatch(/\n\s+at /);
  return text.trim();
}

describe('hostile input', { timeout: 30_000 }, () => {
  it('refuses a YAML alias bomb with a one-line error instead of expanding it', async () => {
    // Act
    const { code, err } = await cli('validate', '-f', writeTemp('bomb.yaml', ALIAS_BOMB));

    // Assess
    expect(code).toBe(1);
    expect(err.split('\n')[0]).toMatch(/bomb\.yaml:1: invalid YAML: Excessive alias count/);
    expect(err).not.toMatch(/ReferenceError|\n\s+at /);
  });

  it('refuses duplicate keys in JSON, as YAML and kubectl do', () => {
    // Act
    const parse = () => parseManifests('dup.json', '{\n "kind": "NodePool",\n "kind": "Pod"\n}');

    // Assess
    expect(parse).toThrow(ManifestError);
    expect(parse).toThrow('dup.json:3: invalid JSON: duplicate key');
  });

  it.each([
    [
      'UTF-16 with a byte-order mark',
      Buffer.from(`\ufeff${EXAMPLE}`, 'utf16le'),
      /not UTF-8 \(UTF-16\?\)/,
    ],
    [
      'invalid UTF-8',
      Buffer.concat([Buffer.from('kind: '), Buffer.from([0xc3, 0x28])]),
      /is not valid UTF-8/,
    ],
  ])('refuses %s instead of reading no objects', async (_what, bytes, message) => {
    // Act
    const { code, err } = await cli('validate', '-f', writeTemp('manifest.yaml', bytes));

    // Assess
    expect(code).toBe(1);
    expect(oneLine(err.split('\n')[0] ?? '')).toMatch(message);
  });

  it('prints names carrying terminal escape sequences escaped', async () => {
    // Prepare
    const hostile = EXAMPLE.replace(/\n {4}cpu: 1000\n/, '\n    cpu: -5\n').replace(
      /name: general-purpose/,
      'name: "gp\\e[2J\\e]0;owned\\x07\\nfake line"',
    );

    // Act
    const { err, out } = await cli('validate', '-f', writeTemp('escape.yaml', hostile));

    // Assess
    expect(hostile).not.toBe(EXAMPLE);
    expect(`${out}${err}`).not.toContain('\u001b');
    expect(`${out}${err}`).not.toContain('\u0007');
    expect(`${out}${err}`).toContain('gp\\x1b[2J\\x1b]0;owned\\x07\\x0afake line');
  });

  it.each([
    ['a negative limit', '-1'],
    ['a negative quantity string', '"-500m"'],
    ['a limit that overflows to Infinity', '"1e400"'],
  ])('rejects %s, naming the field', async (_what, quantity) => {
    // Prepare
    const nodePool = EXAMPLE.replace(/\n {4}cpu: 1000\n/, `\n    cpu: ${quantity}\n`);

    // Act
    const { code, out, err } = await cli('validate', '-f', writeTemp('limits.yaml', nodePool));

    // Assess
    expect(nodePool).not.toBe(EXAMPLE);
    expect(code).toBe(1);
    expect(`${out}${err}`).toContain(
      'spec.limits.cpu: must be a non-negative Kubernetes quantity such as "500m" or "4Gi"',
    );
  });

  it('reads any quantity-like string in linear time', () => {
    // Prepare: the former pattern backtracked quadratically over a long run of digits
    const hostile = `${'1'.repeat(200_000)}x`;

    // Act
    const result = QuantitySchema.safeParse(hostile);

    // Assess
    expect(result.success).toBe(false);
  });

  it('refuses plan input asking for more pods than --max-pods, naming the limit', async () => {
    // Prepare
    const deployment = stringify({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'huge', namespace: 'default' },
      spec: {
        replicas: 2_000_000_000,
        selector: { matchLabels: { app: 'huge' } },
        template: {
          metadata: { labels: { app: 'huge' } },
          spec: { containers: [{ name: 'c', image: 'i' }] },
        },
      },
    });
    const file = writeTemp('plan.yaml', `${EXAMPLE}\n---\n${deployment}`);

    // Act
    const refused = await cli('plan', '-f', file);
    const lowered = await cli('plan', '-f', file, '--max-pods', '10');

    // Assess
    expect(refused.code).toBe(1);
    expect(oneLine(refused.err)).toBe(
      'the input asks for 2000000000 pods; plan takes at most 100000 (--max-pods)',
    );
    expect(lowered.err).toContain('plan takes at most 10 (--max-pods)');
  });

  it.each([
    [
      'an `at` offset beyond 7 days',
      (text: string) => text.replace(/- at: 1m/, '- at: 200h'),
      'timeline[0].at: must be at most 168h',
    ],
    [
      'a simulated duration beyond 7 days',
      (text: string) => text.replace(/settings:\n/, 'settings:\n  duration: 9999h\n'),
      'settings.duration: must be at most 168h',
    ],
    [
      'more than 100,000 pods',
      (text: string) => text.replace(/replicas: \d+/, 'replicas: 2000000'),
      'timeline: asks for',
    ],
  ])('refuses a scenario with %s', (_what, edit, message) => {
    // Prepare
    const text = edit(SCENARIO);

    // Act
    const parse = () => parseScenario('scenario.yaml', text);

    // Assess
    expect(text).not.toBe(SCENARIO);
    expect(parse).toThrow(ScenarioError);
    expect(parse).toThrow(`scenario.yaml: ${message}`);
  });

  it('says in one line that a --secret-file is missing', async () => {
    // Act
    const { code, err } = await cli(
      'install',
      '--cluster-name',
      'prod',
      '--webhook-url',
      'https://abc.lambda-url.us-east-1.on.aws/',
      '--secret-file',
      '/nonexistent/secret',
    );

    // Assess
    expect(code).toBe(1);
    expect(err.split('\n')[0]).toBe(
      "skyscale install: --secret-file cannot be read: ENOENT: no such file or directory, open '/nonexistent/secret'",
    );
  });

  it('prints the text report even when --report cannot be written, then says why in one line', async () => {
    // Act
    const { code, out, err } = await cli(
      'simulate',
      'examples/scenarios/gpu-job.yaml',
      '--report',
      '/nonexistent/dir/report.html',
    );

    // Assess
    expect(code).toBe(1);
    expect(out).toContain('gpu-job');
    expect(oneLine(err)).toBe(
      "skyscale simulate: cannot write the HTML report: ENOENT: no such file or directory, open '/nonexistent/dir/report.html'",
    );
  });
});

/** Text that looks like manifests: fragments of YAML and JSON syntax, anchors and aliases. */
const manifestLike = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        'apiVersion: karpenter.sh/v1\n',
        'kind: NodePool\n',
        'kind: List\nitems:\n',
        'metadata:\n  name: ',
        '---\n',
        '- ',
        '  ',
        '&a ',
        '*a ',
        '<<: *a\n',
        '[*a, *a, *a]\n',
        '{"kind": ',
        '"__proto__": ',
        '}',
        ']',
        '\n',
        '!!binary ',
        '? ',
        ': ',
        '"\\u0000"',
      ),
      fc.string({ maxLength: 12 }),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

describe('fuzzing the readers', () => {
  it('parseManifests returns objects or throws a one-line ManifestError, for any text', () => {
    fc.assert(
      fc.property(manifestLike, (text) => {
        try {
          parseManifests('fuzz.yaml', text);
        } catch (error) {
          expect(error).toBeInstanceOf(ManifestError);
          expect((error as Error).message).toMatch(/^fuzz\.yaml(:\d+)?: [^\n]+$/);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('parseScenario returns a scenario or throws a ScenarioError of one-line problems, for any text', () => {
    const scenarioLike = fc.oneof(
      manifestLike,
      fc
        .tuple(fc.nat(SCENARIO.length), fc.nat(SCENARIO.length), manifestLike)
        .map(
          ([from, to, noise]) =>
            SCENARIO.slice(0, Math.min(from, to)) + noise + SCENARIO.slice(Math.max(from, to)),
        ),
    );
    fc.assert(
      fc.property(scenarioLike, (text) => {
        try {
          parseScenario('fuzz.yaml', text);
        } catch (error) {
          expect(error).toBeInstanceOf(ScenarioError);
          for (const problem of (error as ScenarioError).problems)
            expect(problem).toMatch(/^fuzz\.yaml(:\d+)?: [^\n]+$/);
        }
      }),
      { numRuns: 300 },
    );
  });
});
