import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PlanReport } from '../../../lib/cli/plan/index.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');

function skyscale(bin: string, ...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: ROOT });
}

describe('the skyscale bin entry', () => {
  beforeAll(() => {
    // Prepare: what `npm ci` does through the prepare script.
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-cli.ts'], { cwd: ROOT });
  }, 60_000);

  it('runs the built CLI: version and a plan', () => {
    // Act
    const version = skyscale('bin/skyscale.js', '--version');
    const plan = skyscale(
      'bin/skyscale.js',
      'plan',
      '-f',
      'examples/general-purpose.yaml',
      '-f',
      'examples/plan/web-shop.yaml',
      '-o',
      'json',
    );
    // Assess
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(version.stdout.trim()).toBe(pkg.version);
    expect(plan.status).toBe(0);
    const report = JSON.parse(plan.stdout) as PlanReport;
    expect(report.nodeClaims.length).toBeGreaterThan(0);
  });

  it('says how to build when the built CLI is missing', () => {
    // Prepare: the bin entry in a copy of the package that was never built.
    const copy = mkdtempSync(join(tmpdir(), 'skyscale-unbuilt-'));
    mkdirSync(join(copy, 'bin'));
    copyFileSync(join(ROOT, 'bin', 'skyscale.js'), join(copy, 'bin', 'skyscale.js'));
    // Act
    const run = skyscale(join(copy, 'bin', 'skyscale.js'), '--version');
    // Assess
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('the CLI is not built; run `npm run build`');
  });
});
