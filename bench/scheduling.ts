/**
 * Karpenter's scheduling benchmark ported
 * (https://github.com/kubernetes-sigs/karpenter/blob/main/pkg/controllers/provisioning/scheduling/scheduling_benchmark_test.go):
 * `npm run bench:scheduling`.
 * Prints, per case, the CPU time of the best and median of three runs (CPU time, because the
 * machine is shared), the best wall time, CPU per pod, pods/sec, nodes and the process's peak RSS
 * so far; fails if a pod does not schedule or, for
 * the linear catalog, if the node count is not pods/5.
 */
import type { Pod } from '../lib/apis/index.ts';
import { embeddedInstanceTypes } from '../lib/cloudprovider/ec2-model/catalog/index.ts';
import type { InstanceType } from '../lib/cloudprovider/types.ts';
import { schedule, type PreferencePolicy, type SchedulingResult } from '../lib/scheduling/index.ts';
import { diversePods, linearInstanceTypes, preferencePods } from './scheduling-fixtures.ts';
import { systemClock } from '../lib/util/clock.ts';

const SIZES = [1, 50, 100, 500, 1000, 2000, 5000, 10000, 20000];
const GiB = 2 ** 30;

/** Karpenter's benchmark NodePool limits (cpu 10M, memory 10M Gi); the real catalog runs unlimited, since each claim counts its largest option (up to 24 TiB). */
const BENCHMARK_LIMITS = { cpu: 10_000_000 * 1000, memory: 10_000_000 * GiB };

const REPEATS = 3;

interface Timing {
  readonly result: SchedulingResult;
  /** Wall-clock milliseconds. */
  readonly wallMs: number;
  /** CPU milliseconds (user + system) of this process: what one core spends, whatever else runs on the machine. */
  readonly cpuMs: number;
}

/** Schedules `pods` REPEATS times (the scheduler never mutates its input) and returns the runs, least CPU first. */
function run(
  pods: readonly Pod[],
  instanceTypes: readonly InstanceType[],
  preferencePolicy: PreferencePolicy = 'Respect',
  limits: Record<string, number> | null = BENCHMARK_LIMITS,
): Timing[] {
  const nodePool = {
    name: 'default',
    requirements: [],
    ...(limits ? { limits } : {}),
    instanceTypes,
    usage: {},
  };
  return Array.from({ length: REPEATS }, () => {
    const cpuStart = process.cpuUsage();
    const wallStart = performance.now();
    const result = schedule({
      pendingPods: pods,
      existingNodes: [],
      inFlightNodeClaims: [],
      nodePools: [nodePool],
      daemonSets: [],
      clock: systemClock,
      preferencePolicy,
    });
    const wallMs = performance.now() - wallStart;
    const { user, system } = process.cpuUsage(cpuStart);
    return { result, wallMs, cpuMs: (user + system) / 1000 };
  }).sort((a, b) => a.cpuMs - b.cpuMs);
}

function report(
  label: string,
  pods: number,
  runs: readonly Timing[],
  expectedNodes?: number,
): boolean {
  const [best, median] = [runs[0], runs[Math.floor(runs.length / 2)]];
  if (!best || !median) throw new Error('no benchmark run');
  const nodes = best.result.newNodeClaims.length;
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  const problems = [
    best.result.unschedulable.length
      ? `${best.result.unschedulable.length} unschedulable (${best.result.unschedulable[0]?.reason})`
      : '',
    best.result.timedOut ? 'timed out' : '',
    expectedNodes !== undefined && nodes !== expectedNodes ? `expected ${expectedNodes} nodes` : '',
  ].filter(Boolean);
  const ms = (value: number): string => `${value.toFixed(1)} ms`.padStart(11);
  const cells = [
    label.padEnd(22),
    String(pods).padStart(6),
    String(nodes).padStart(6),
    ms(best.cpuMs),
    ms(median.cpuMs),
    ms(best.wallMs),
    `${((best.cpuMs * 1000) / Math.max(pods, 1)).toFixed(1)} µs`.padStart(10),
    String(Math.round((pods * 1000) / best.cpuMs)).padStart(9),
    `${peakRssMiB.toFixed(0)} MiB`.padStart(9),
  ];
  console.log(`| ${cells.join(' | ')} | ${problems.length ? problems.join('; ') : 'ok'} |`);
  return problems.length === 0;
}

const linear = linearInstanceTypes(400);
const headings = [
  'case'.padEnd(22),
  'pods'.padStart(6),
  'nodes'.padStart(6),
  'best CPU'.padStart(11),
  'median CPU'.padStart(11),
  'best wall'.padStart(11),
  'CPU/pod'.padStart(10),
  'pods/sec'.padStart(9),
  'peak RSS'.padStart(9),
  'check',
];
console.log(`| ${headings.join(' | ')} |`);
console.log(`|${headings.map(() => '---').join('|')}|`);
run(diversePods(1000, 7), linear); // warm the JIT before timing
let ok = true;
for (const size of SIZES)
  ok =
    report('diverse, 400 linear', size, run(diversePods(size), linear), Math.ceil(size / 5)) && ok;
for (const policy of ['Respect', 'Ignore'] as const)
  ok = report(`preferences ${policy}`, 4000, run(preferencePods(4000), linear, policy)) && ok;
const catalog = embeddedInstanceTypes('us-east-1');
for (const size of [1000, 5000])
  ok =
    report(
      `us-east-1 (${catalog.length} types)`,
      size,
      run(diversePods(size), catalog, 'Respect', null),
    ) && ok;
if (!ok) process.exitCode = 1;
