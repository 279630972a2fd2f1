/**
 * Karpenter's scheduling benchmark ported (performance.md §1): `npm run bench:scheduling`.
 * Prints the best and median of three runs, per-pod time, pods/sec (from the best run), nodes
 * and the process's peak RSS so far, per size; fails if a pod does not schedule or, for
 * the linear catalog, if the node count is not pods/5.
 */
import type { Pod } from '../lib/apis/index.ts';
import { embeddedInstanceTypes } from '../lib/cloudprovider/catalog/index.ts';
import type { InstanceType } from '../lib/cloudprovider/types.ts';
import { schedule, type PreferencePolicy, type SchedulingResult } from '../lib/scheduling/index.ts';
import { diversePods, linearInstanceTypes, preferencePods } from './scheduling-fixtures.ts';

const SIZES = [1, 50, 100, 500, 1000, 2000, 5000, 10000, 20000];
const GiB = 2 ** 30;

/** Karpenter's benchmark NodePool limits (cpu 10M, memory 10M Gi); the real catalog runs unlimited, since each claim counts its largest option (up to 24 TiB). */
const BENCHMARK_LIMITS = { cpu: 10_000_000 * 1000, memory: 10_000_000 * GiB };

const REPEATS = 3;

/** Schedules `pods` REPEATS times (fresh copies are not needed: the scheduler never mutates its input) and keeps the fastest run. */
function run(pods: readonly Pod[], instanceTypes: readonly InstanceType[], preferencePolicy: PreferencePolicy = 'Respect', limits: Record<string, number> | null = BENCHMARK_LIMITS): { result: SchedulingResult; ms: number; medianMs: number } {
  const nodePool = { name: 'default', requirements: [], ...(limits ? { limits } : {}), instanceTypes };
  const runs = Array.from({ length: REPEATS }, () => {
    const started = performance.now();
    const result = schedule({ pendingPods: pods, existingNodes: [], inFlightNodeClaims: [], nodePools: [nodePool], daemonSets: [], clock: () => performance.now(), preferencePolicy });
    return { result, ms: performance.now() - started };
  }).sort((a, b) => a.ms - b.ms);
  const [fastest, median] = [runs[0], runs[Math.floor(REPEATS / 2)]];
  if (!fastest || !median) throw new Error('no benchmark run');
  return { ...fastest, medianMs: median.ms };
}

function report(label: string, pods: number, { result, ms, medianMs }: ReturnType<typeof run>, expectedNodes?: number): boolean {
  const nodes = result.newNodeClaims.length;
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  const problems = [
    result.unschedulable.length ? `${result.unschedulable.length} unschedulable (${result.unschedulable[0]?.reason})` : '',
    result.timedOut ? 'timed out' : '',
    expectedNodes !== undefined && nodes !== expectedNodes ? `expected ${expectedNodes} nodes` : '',
  ].filter(Boolean);
  const cells = [label.padEnd(22), String(pods).padStart(6), String(nodes).padStart(6), `${ms.toFixed(1)} ms`.padStart(11), `${medianMs.toFixed(1)} ms`.padStart(11), `${((ms * 1000) / Math.max(pods, 1)).toFixed(1)} µs`.padStart(10), String(Math.round((pods * 1000) / ms)).padStart(9), `${peakRssMiB.toFixed(0)} MiB`.padStart(9)];
  console.log(`| ${cells.join(' | ')} | ${problems.length ? problems.join('; ') : 'ok'} |`);
  return problems.length === 0;
}

const linear = linearInstanceTypes(400);
console.log(`| ${['case'.padEnd(22), 'pods'.padStart(6), 'nodes'.padStart(6), 'best time'.padStart(11), 'median'.padStart(11), 'per pod'.padStart(10), 'pods/sec'.padStart(9), 'peak RSS'.padStart(9)].join(' | ')} | check |`);
console.log(`|${Array.from({ length: 9 }, () => '---').join('|')}|`);
run(diversePods(1000, 7), linear); // warm the JIT before timing
let ok = true;
for (const size of SIZES) ok = report('diverse, 400 linear', size, run(diversePods(size), linear), Math.ceil(size / 5)) && ok;
for (const policy of ['Respect', 'Ignore'] as const) ok = report(`preferences ${policy}`, 4000, run(preferencePods(4000), linear, policy)) && ok;
const catalog = embeddedInstanceTypes('us-east-1');
for (const size of [1000, 5000]) ok = report(`us-east-1 (${catalog.length} types)`, size, run(diversePods(size), catalog, 'Respect', null)) && ok;
if (!ok) process.exitCode = 1;
