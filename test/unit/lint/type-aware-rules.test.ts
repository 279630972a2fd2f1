import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const FIXTURE = resolve(ROOT, 'test/fixtures/lint/type-aware-findings.ts');

/** Each function of the fixture and the one rule it breaks. */
const BROKEN_BY = {
  floating: 'no-floating-promises',
  misused: 'no-misused-promises',
  awaitsAValue: 'await-thenable',
  needlessAssertion: 'no-unnecessary-type-assertion',
  missesACase: 'switch-exhaustiveness-check',
  neverAwaits: 'require-await',
  deletesFromAnArray: 'no-array-delete',
  stringifiesAnObject: 'no-base-to-string',
  repeatsAType: 'no-duplicate-type-constituents',
  loopsOverIndexes: 'no-for-in-array',
  evaluatesAString: 'no-implied-eval',
  swallowsAType: 'no-redundant-type-constituents',
  passesAny: 'no-unsafe-argument',
  comparesAnEnum: 'no-unsafe-enum-comparison',
  negatesAString: 'no-unsafe-unary-minus',
  throwsAString: 'only-throw-error',
  rejectsAString: 'prefer-promise-reject-errors',
  addsAnObject: 'restrict-plus-operands',
  templatesAnArray: 'restrict-template-expressions',
  detachesAMethod: 'unbound-method',
} as const;

/** The name of the fixture function whose lines hold `line`. */
function functionAt(lines: readonly string[], line: number): string | undefined {
  for (let index = line - 1; index >= 0; index--) {
    const name = /^export (?:async )?function (\w+)\(/.exec(lines[index] ?? '')?.[1];
    if (name) return name;
  }
  return undefined;
}

// Type-aware linting builds the TypeScript program of the repository: a minute on a busy machine.
describe('type-aware lint rules (eslint.config.js)', { timeout: 240_000 }, () => {
  it('reports each rule on the function that breaks it, and nothing else', async () => {
    // Prepare
    const lines = readFileSync(FIXTURE, 'utf8').split('\n');
    // The type-aware rules read the file through the TypeScript project, so it must be inside it.
    const probe = resolve(ROOT, `test/unit/lint/type-aware-probe-${process.pid}.ts`);
    copyFileSync(FIXTURE, probe);

    // Act
    let results: ESLint.LintResult[];
    try {
      results = await new ESLint({ cwd: ROOT }).lintFiles([probe]);
    } finally {
      rmSync(probe, { force: true });
    }

    // Assess
    const found = (results[0]?.messages ?? []).map(({ ruleId, line }) => [
      functionAt(lines, line),
      ruleId,
    ]);
    const expected = Object.entries(BROKEN_BY).map(([name, rule]) => [
      name,
      `@typescript-eslint/${rule}`,
    ]);
    expect(found.sort()).toEqual(expected.sort());
  });
});
