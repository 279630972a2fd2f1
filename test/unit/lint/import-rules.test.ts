import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const DEPCRUISE = resolve(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs');
const FIXTURE = resolve(ROOT, 'test/fixtures/lint/decision-code-with-packages.ts');

/** The dependency-cruiser arguments of `npm run lint`, as package.json spells them. */
function lintArguments(): string[] {
  const { scripts } = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const command = /\bdepcruise ([^&]+)/.exec(scripts.lint ?? '')?.[1];
  if (!command) throw new Error('npm run lint does not run depcruise');
  return command.trim().split(/\s+/);
}

/** Runs `npm run lint`'s dependency-cruiser step from the repository root. */
function cruise(): { status: number | null; output: string } {
  const { status, stdout, stderr } = spawnSync(process.execPath, [DEPCRUISE, ...lintArguments()], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return { status, output: stdout + stderr };
}

// dependency-cruiser runs in a child process over the whole repository: seconds on a busy machine.
describe(
  'import rules (.dependency-cruiser.cjs, as npm run lint runs it)',
  { timeout: 60_000 },
  () => {
    it('fails on decision code in lib/scheduling that imports npm packages, naming each rule, and finds nothing else', () => {
      // Prepare
      const probe = `lib/scheduling/lint-probe-${process.pid}.ts`;
      copyFileSync(FIXTURE, resolve(ROOT, probe));

      // Act
      let result: { status: number | null; output: string };
      try {
        result = cruise();
      } finally {
        rmSync(resolve(ROOT, probe), { force: true });
      }

      // Assess
      const violations = result.output.split('\n').filter((line) => /^\s*error /.test(line));
      expect(result.status).not.toBe(0);
      const rulesBroken = (pkg: string): string[] =>
        violations
          .filter((line) => line.includes(`${probe} → `) && line.includes(`node_modules/${pkg}/`))
          .map((line) => /error (\S+):/.exec(line)?.[1] ?? '')
          .sort();
      expect(rulesBroken('@aws-sdk/client-ec2')).toEqual([
        'aws-sdk-only-in-aws-adapter',
        'pure-decisions',
        'pure-decisions-no-packages',
      ]);
      expect(rulesBroken('@kubernetes/client-node')).toEqual([
        'client-node-only-in-kube',
        'pure-decisions',
        'pure-decisions-no-packages',
      ]);
      expect(rulesBroken('aws-cdk-lib')).toEqual([
        'lib-never-imports-cdk',
        'pure-decisions',
        'pure-decisions-no-packages',
      ]);
      // The rest of the repository keeps the rules: every violation comes from the probe.
      expect(violations.filter((line) => !line.includes(probe))).toEqual([]);
    });
  },
);
