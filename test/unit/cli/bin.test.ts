import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
  }, 30_000);

  it('stops quietly, exit code 0, when the reader closes the pipe early', async () => {
    // Prepare: 300 pods that refuse to share a node, so the JSON is megabytes long.
    const pods = join(mkdtempSync(join(tmpdir(), 'skyscale-epipe-')), 'pods.yaml');
    writeFileSync(
      pods,
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: {name: web, namespace: default}',
        'spec:',
        '  replicas: 300',
        '  selector: {matchLabels: {app: web}}',
        '  template:',
        '    metadata: {labels: {app: web}}',
        '    spec:',
        '      affinity:',
        '        podAntiAffinity:',
        '          requiredDuringSchedulingIgnoredDuringExecution:',
        '          - {labelSelector: {matchLabels: {app: web}}, topologyKey: kubernetes.io/hostname}',
        '      containers: [{name: app, image: nginx, resources: {requests: {cpu: 100m}}}]',
      ].join('\n'),
    );
    const child = spawn(
      process.execPath,
      ['bin/skyscale.js', 'plan', '-f', 'examples/general-purpose.yaml', '-f', pods, '-o', 'json'],
      { cwd: ROOT },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Act: read the first piece, then close the pipe.
    await once(child.stdout, 'data');
    child.stdout.destroy();
    const [code] = (await once(child, 'exit')) as [number | null];
    // Assess
    expect(stderr).toBe('');
    expect(code).toBe(0);
  }, 60_000);

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
