/**
 * `npm run bench:plan`: `skyscale plan` end to end, as a user runs it. Writes a YAML file with a
 * NodePool, its EC2NodeClass and Karpenter's diverse benchmark pods (5,000, then 20,000), then runs
 * the package's `bin` entry in fresh Node processes with `-o json` and reports, per size, the
 * median wall time from process start to JSON printed, the CPU time, the scheduling's share (as
 * plan measures it in its process) and the peak RSS; the start-up alone (`plan --help`) comes
 * first. Targets:
 * 5,000 pods within 1 s of wall time, 20,000 pods within 500 MiB. The machine is shared, so the
 * CPU time is printed beside the wall time and a wall time over target whose CPU time is within
 * it is reported as slowed by the load. Run `npm run build` first: the bin entry runs the built
 * JavaScript.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import type { PlanReport } from '../lib/cli/plan/index.ts';
import { diversePods } from './scheduling-fixtures.ts';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, '.cache', 'bench-plan');
const BIN = join(ROOT, 'bin', 'skyscale.js');
const RUNS = 5;
const WALL_TARGET_MS = 1_000;
const RSS_TARGET_MIB = 500;

/** An unlimited NodePool over the embedded catalog's amd64 Linux types. */
const NODE_POOL_DOCUMENTS = [
  {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name: 'default' },
    spec: {
      template: {
        spec: {
          requirements: [
            { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
            { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] },
          ],
          nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
        },
      },
    },
  },
  {
    apiVersion: 'karpenter.k8s.aws/v1',
    kind: 'EC2NodeClass',
    metadata: { name: 'default' },
    spec: {
      role: 'KarpenterNodeRole-bench',
      amiSelectorTerms: [{ alias: 'al2023@latest' }],
      subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'bench' } }],
      securityGroupSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'bench' } }],
    },
  },
];

function writeInput(pods: number): string {
  const file = join(OUT, `diverse-${pods}.yaml`);
  const documents = [
    ...NODE_POOL_DOCUMENTS,
    ...diversePods(pods).map((pod) => ({ apiVersion: 'v1', kind: 'Pod', ...pod })),
  ];
  writeFileSync(file, documents.map((document) => stringify(document)).join('---\n'));
  return file;
}

interface BinRun {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly maxRssMiB: number;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

interface PlanRun {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly maxRssMiB: number;
  /** The scheduling alone, as plan measures it in its process (`stats.durationMs`). */
  readonly schedulingMs: number;
  readonly problem: string;
}

/** Prints the process's own resource usage on stderr as it exits, for the parent to read. */
const REPORT_USAGE = `data:text/javascript,${encodeURIComponent(
  "process.on('exit', () => { const u = process.resourceUsage(); process.stderr.write('\\nusage ' + JSON.stringify({ cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRssMiB: u.maxRSS / 1024 }) + '\\n'); });",
)}`;

/** The bin entry in a fresh Node process, timed from its start to its exit. */
function runBin(args: readonly string[]): BinRun {
  const started = performance.now();
  const child = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    maxBuffer: 1024 ** 3,
    env: { ...process.env, NODE_OPTIONS: `--import=${REPORT_USAGE}` },
  });
  const wallMs = performance.now() - started;
  const usageLine = child.stderr.split('\n').find((line) => line.startsWith('usage '));
  const usage = JSON.parse(usageLine?.slice('usage '.length) ?? '{}') as Partial<BinRun>;
  return {
    wallMs,
    cpuMs: usage.cpuMs ?? Number.NaN,
    maxRssMiB: usage.maxRssMiB ?? 0,
    status: child.status,
    stdout: child.stdout,
    stderr: child.stderr,
  };
}

function planOnce(file: string, pods: number): PlanRun {
  const run = runBin(['plan', '-f', file, '-o', 'json']);
  let problem = run.status === 0 ? '' : `exit ${run.status}: ${run.stderr.slice(0, 500)}`;
  let schedulingMs = Number.NaN;
  if (!problem) {
    const report = JSON.parse(run.stdout) as PlanReport;
    schedulingMs = report.stats.durationMs;
    if (report.stats.pods !== pods) problem = `planned ${report.stats.pods} of ${pods} pods`;
    else if (report.unschedulable.length)
      problem = `${report.unschedulable.length} pods unschedulable (${report.unschedulable[0]?.reason})`;
  }
  return { ...run, schedulingMs, problem };
}

function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
}

mkdirSync(OUT, { recursive: true });
console.log(
  `load average ${loadavg()
    .map((value) => value.toFixed(2))
    .join(' ')}`,
);
// Start-up alone: loading the bundle and printing the plan command's usage.
const startUps = Array.from({ length: RUNS }, () => runBin(['plan', '--help']));
console.log(
  `start-up (skyscale plan --help): median wall ${median(startUps.map((run) => run.wallMs)).toFixed(0)} ms, CPU ${median(startUps.map((run) => run.cpuMs)).toFixed(0)} ms`,
);
console.log(
  '| pods | median wall | median CPU | of which scheduling | peak RSS | target | check |',
);
console.log('|---:|---:|---:|---:|---:|---|---|');
const problems: string[] = [];
for (const pods of [5_000, 20_000]) {
  const file = writeInput(pods);
  const runs = Array.from({ length: RUNS }, () => planOnce(file, pods));
  const wallMs = median(runs.map((run) => run.wallMs));
  const cpuMs = median(runs.map((run) => run.cpuMs));
  const schedulingMs = median(runs.map((run) => run.schedulingMs));
  const rssMiB = Math.max(...runs.map((run) => run.maxRssMiB));
  const failed = runs.find((run) => run.problem)?.problem;
  const target =
    pods === 5_000 ? `wall ≤ ${WALL_TARGET_MS} ms` : `peak RSS ≤ ${RSS_TARGET_MIB} MiB`;
  let check = failed ?? 'ok';
  if (!failed && pods === 5_000 && wallMs > WALL_TARGET_MS)
    check = cpuMs > WALL_TARGET_MS ? 'over target' : 'wall over target, CPU within: load';
  if (!failed && pods !== 5_000 && rssMiB > RSS_TARGET_MIB) check = 'over target';
  if (check === 'over target' || failed) problems.push(`${pods} pods: ${check}`);
  console.log(
    `| ${pods} | ${wallMs.toFixed(0)} ms | ${cpuMs.toFixed(0)} ms | ${schedulingMs.toFixed(0)} ms | ${rssMiB.toFixed(0)} MiB | ${target} | ${check} |`,
  );
}
console.log(problems.length ? `FAILED: ${problems.join('; ')}` : 'ok: within the targets');
process.exitCode = problems.length > 0 ? 1 : 0;
