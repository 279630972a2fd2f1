import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../lib/cli/main.ts';

const GPU_JOB = fileURLToPath(new URL('../../../examples/scenarios/gpu-job.yaml', import.meta.url));
const workDir = mkdtempSync(join(tmpdir(), 'skyscale-simulate-'));

async function skyscale(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['simulate', ...args], {
    out: (text) => void out.push(text),
    err: (text) => void err.push(text),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('skyscale simulate', () => {
  it('prints the report as JSON with -o json', async () => {
    // Act
    const { code, out } = await skyscale(GPU_JOB, '-o', 'json');
    // Assess
    expect(code).toBe(0);
    const report = JSON.parse(out) as {
      scenario: { name: string };
      pods: { created: number; unschedulable: unknown[] };
      cost: { totalUSD: number };
    };
    expect(report.scenario.name).toBe('gpu-job');
    expect(report.pods).toMatchObject({ created: 10, unschedulable: [] });
    expect(report.cost.totalUSD).toBeGreaterThan(0);
  });

  it('exits 1 and names each bad field of an invalid scenario', async () => {
    // Prepare
    const file = join(workDir, 'bad.yaml');
    writeFileSync(file, 'name: bad\nnodePools: []\nnodeClasses: []\ntimeline: []\n');
    // Act
    const { code, err, out } = await skyscale(file);
    // Assess
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err.split('\n')).toEqual([
      `${file}: nodePools: Too small: expected array to have >=1 items`,
      `${file}: nodeClasses: Too small: expected array to have >=1 items`,
      `${file}: timeline: Too small: expected array to have >=1 items`,
    ]);
  });

  it('refuses an unknown output format with the usage', async () => {
    // Act
    const { code, err } = await skyscale(GPU_JOB, '-o', 'yaml');
    // Assess
    expect(code).toBe(1);
    expect(err).toContain('-o must be "text" or "json", not "yaml"');
    expect(err).toContain('Usage: skyscale simulate SCENARIO.yaml');
  });
});
