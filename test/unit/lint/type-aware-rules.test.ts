import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const FIXTURE = resolve(ROOT, 'test/fixtures/lint/type-aware-findings.ts');

// Type-aware linting builds the TypeScript program of the repository: seconds on a busy machine.
describe('type-aware lint rules (eslint.config.js)', { timeout: 240_000 }, () => {
  it('reports each rule on the function that breaks it, and nothing else', async () => {
    // Prepare
    const text = readFileSync(FIXTURE, 'utf8');
    const lineOf = (name: string): number =>
      text.split('\n').findIndex((line) => line.includes(`function ${name}(`)) + 1;
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
    const findings = (results[0]?.messages ?? []).map(({ ruleId, line }) => ({ ruleId, line }));
    expect(findings).toEqual(
      expect.arrayContaining([
        { ruleId: '@typescript-eslint/no-floating-promises', line: lineOf('floating') + 1 },
        { ruleId: '@typescript-eslint/no-misused-promises', line: lineOf('misused') + 1 },
        { ruleId: '@typescript-eslint/await-thenable', line: lineOf('awaitsAValue') + 1 },
        {
          ruleId: '@typescript-eslint/no-unnecessary-type-assertion',
          line: lineOf('needlessAssertion') + 1,
        },
        {
          ruleId: '@typescript-eslint/switch-exhaustiveness-check',
          line: lineOf('missesACase') + 1,
        },
        { ruleId: '@typescript-eslint/require-await', line: lineOf('neverAwaits') },
      ]),
    );
    expect(findings).toHaveLength(6);
  });
});
