import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../lib/cli/main.ts';
import type { PlanReport } from '../../../lib/cli/plan/index.ts';
import { embeddedCatalog } from '../../../lib/cloudprovider/ec2-model/catalog/index.ts';

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

async function plan(...args: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['plan', ...args], {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function planJson(...args: string[]): Promise<PlanReport> {
  const run = await plan(...args, '-o', 'json');
  expect(run.err).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.out) as PlanReport;
}

function writeTemp(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'plan-')), name);
  writeFileSync(file, text);
  return file;
}

const GENERAL_PURPOSE = ['-f', 'examples/general-purpose.yaml'];

describe('skyscale plan', () => {
  it('expands workloads into <owner>-<index> pods and places them on new NodeClaims', async () => {
    // Act
    const report = await planJson(...GENERAL_PURPOSE, '-f', 'examples/plan/web-shop.yaml');
    // Assess
    const placed = report.nodeClaims.flatMap((claim) => claim.pods);
    const web = ['web-0', 'web-1', 'web-2', 'web-3', 'web-4', 'web-5'].map(
      (name) => `shop/${name}`,
    );
    const db = ['shop/db-0', 'shop/db-1', 'shop/db-2'];
    const jobs = ['shop/nightly-report-0', 'shop/nightly-report-1'];
    expect([...placed].sort()).toEqual([...db, ...jobs, ...web]);
    expect(report.stats).toMatchObject({
      pods: 12,
      instanceTypes: embeddedCatalog('us-east-1').instanceTypes.length,
    });
    expect(report.timedOut).toBe(false);
    for (const claim of report.nodeClaims) {
      expect(claim.nodePool).toBe('general-purpose');
      expect(claim.instanceTypes.length).toBeGreaterThan(0);
      expect(claim.instanceTypes.length).toBeLessThanOrEqual(600);
      const named = claim.requirements.find(
        ({ key }) => key === 'node.kubernetes.io/instance-type',
      );
      expect(named?.operator).toBe('In');
      expect([...(named?.values ?? [])].sort()).toEqual([...claim.instanceTypes].sort());
      expect(claim.priceUSDPerHour).toBeGreaterThan(0);
    }
  });

  it('reports a pod no instance type can hold as unschedulable, with the reason, and exits 0', async () => {
    // Act
    const run = await plan(...GENERAL_PURPOSE, '-f', 'examples/plan/web-shop.yaml', '-o', 'json');
    // Assess
    const report = JSON.parse(run.out) as PlanReport;
    expect(run.code).toBe(0);
    expect(report.unschedulable).toContainEqual({
      pod: 'shop/huge',
      reason: expect.stringMatching(/instance type/),
    });
  });

  it('places pending pods on an existing node before launching anything', async () => {
    // Act
    const report = await planJson(...GENERAL_PURPOSE, '-f', 'examples/plan/existing-cluster.yaml');
    // Assess
    expect(report.existingNodes).toEqual([
      { name: 'ip-10-0-1-5.ec2.internal', pods: ['default/worker-0', 'default/worker-1'] },
    ]);
    expect(report.nodeClaims).toEqual([]);
    expect(report.unschedulable).toEqual([]);
  });

  it('launches GPU instance types for pods that request nvidia.com/gpu', async () => {
    // Act
    const report = await planJson(
      '-f',
      'examples/gpu.yaml',
      '-f',
      'examples/plan/gpu-training.yaml',
    );
    // Assess
    const [claim] = report.nodeClaims;
    expect(report.nodeClaims).toHaveLength(1);
    expect(claim?.pods).toEqual(['ml/train-0', 'ml/train-1']);
    expect(claim?.requests['nvidia.com/gpu']).toBe('2');
    expect(claim?.capacityTypes).toEqual(['on-demand']);
    expect(claim?.taints).toEqual([{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }]);
    expect(claim?.instanceTypes.length).toBeGreaterThan(0);
    expect(claim?.instanceTypes.every((name) => /^[gp]\d/.test(name))).toBe(true);
  });

  it('uses --instance-types instead of the catalog, with a NodePool whose EC2NodeClass is not given', async () => {
    // Act
    const report = await planJson(
      '--instance-types',
      'examples/plan/instance-types.json',
      '-f',
      'examples/plan/custom-types.yaml',
    );
    // Assess
    const placed = report.nodeClaims.flatMap((claim) => claim.pods).sort();
    const instanceTypes = new Set(report.nodeClaims.flatMap((claim) => claim.instanceTypes));
    expect(placed).toEqual([
      'default/api-0',
      'default/api-1',
      'default/api-2',
      'default/big-batch',
    ]);
    expect(report.stats.instanceTypes).toBe(3);
    expect(instanceTypes.has('graviton')).toBe(false);
    expect(
      report.nodeClaims.find((claim) => claim.pods.includes('default/big-batch'))?.instanceTypes,
    ).toEqual(['large']);
  });

  it('prints readable tables by default', async () => {
    // Act
    const run = await plan(...GENERAL_PURPOSE, '-f', 'examples/plan/web-shop.yaml');
    // Assess
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^NEW NODECLAIMS \(\d+\)\nNODEPOOL +INSTANCE TYPES +CAPACITY +ZONES/);
    expect(run.out).toMatch(/UNSCHEDULABLE \(\d+\)\n(.*\n)*shop\/huge: no /);
    expect(Math.max(...run.out.split('\n').map((line) => line.length))).toBeLessThanOrEqual(100);
    expect(run.out).toMatch(/12 pending pod\(s\), \d+ new NodeClaim\(s\) costing \$[\d.]+\/h/);
  });

  it('lists pods the deadline left untried as not attempted', async () => {
    // Act
    const report = await planJson(
      ...GENERAL_PURPOSE,
      '-f',
      'examples/plan/web-shop.yaml',
      '--timeout',
      '0s',
    );
    // Assess
    expect(report.timedOut).toBe(true);
    expect(report.nodeClaims).toEqual([]);
    expect(report.unschedulable).toHaveLength(12);
    expect(report.unschedulable.every(({ reason }) => reason.startsWith('not attempted'))).toBe(
      true,
    );
  });

  it('rejects an invalid file, naming the file, the object and the field, with exit 1', async () => {
    // Act
    const run = await plan(...GENERAL_PURPOSE, '-f', 'examples/plan/invalid.yaml', '-o', 'json');
    // Assess
    expect(run.code).toBe(1);
    expect(run.out).toBe('');
    expect(run.err).toContain(
      'examples/plan/invalid.yaml (document 1) Deployment/web: spec.replicas: ',
    );
  });

  it('rejects an invalid --instance-types file with exit 1', async () => {
    // Prepare
    const file = writeTemp(
      'types.json',
      JSON.stringify([{ name: 'x', capacity: { cpu: '1' }, offerings: [] }]),
    );
    // Act
    const run = await plan('--instance-types', file, ...GENERAL_PURPOSE);
    // Assess
    expect(run.code).toBe(1);
    expect(run.err).toContain(`${file}: [0].capacity.memory: is required`);
  });

  it('skips kinds it does not read, with a warning', async () => {
    // Prepare
    const file = writeTemp(
      'service.yaml',
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n',
    );
    // Act
    const run = await plan(...GENERAL_PURPOSE, '-f', file, '-o', 'json');
    // Assess
    expect(run.code).toBe(0);
    expect(run.err).toBe(`${file} (document 1) Service/web: skipped: plan does not read this kind`);
  });

  it.each([
    [[], 'at least one -f FILE is required'],
    [[...GENERAL_PURPOSE, '-o', 'yaml'], '-o must be json or text'],
    [[...GENERAL_PURPOSE, '--timeout', 'soon'], '--timeout must be a duration'],
    [[...GENERAL_PURPOSE, '--verbose'], "Unknown option '--verbose'"],
  ])('refuses the command line %j with its usage', async (args, message) => {
    // Act
    const run = await plan(...args);
    // Assess
    expect(run.code).toBe(1);
    expect(run.err).toContain(message);
    expect(run.err).toContain('Usage: skyscale plan');
  });

  it('names the embedded regions when --region has no catalog', async () => {
    // Act
    const run = await plan(...GENERAL_PURPOSE, '--region', 'ap-south-7');
    // Assess
    expect(run.code).toBe(1);
    expect(run.err).toContain(
      'no embedded instance-type catalog for region "ap-south-7" (embedded: us-east-1)',
    );
  });
});
