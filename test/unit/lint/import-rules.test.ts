import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const DEPCRUISE = resolve(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs');
const CONFIG = resolve(ROOT, '.dependency-cruiser.cjs');

/** Runs dependency-cruiser as `npm run lint` does, with a fixture directory standing in for the repo root. */
function cruise(fixture: string): { status: number | null; output: string } {
  const { status, stdout, stderr } = spawnSync(
    process.execPath,
    [DEPCRUISE, '--config', CONFIG, 'lib'],
    {
      cwd: resolve(ROOT, 'test/fixtures/lint', fixture),
      encoding: 'utf8',
    },
  );
  return { status, output: stdout + stderr };
}

// Each case starts dependency-cruiser in a child process: seconds on a busy machine.
describe('import rules (.dependency-cruiser.cjs)', { timeout: 60_000 }, () => {
  it('fails when lib/scheduling imports @aws-sdk/client-ec2, naming the rule', () => {
    // Prepare / Act
    const { status, output } = cruise('forbidden');

    // Assess
    expect(status).not.toBe(0);
    expect(output).toMatch(
      /error pure-decisions-no-packages: lib\/scheduling\/bad\.ts → \S*node_modules\/@aws-sdk\/client-ec2\//,
    );
  });

  it('passes when lib/scheduling imports only lib/apis', () => {
    // Prepare / Act
    const { status, output } = cruise('clean');

    // Assess
    expect(output).toContain('no dependency violations found');
    expect(status).toBe(0);
  });
});
