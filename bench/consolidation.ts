/**
 * Consolidation's performance check: `npm run bench:consolidation`. In memory (a ClusterSnapshot
 * built directly, the embedded us-east-1 catalog), over 1,000 nodes and 10,000 pods:
 *
 * - a full single-node scan: every node is packed so that none can be deleted or replaced more
 *   cheaply, so every candidate is simulated (target ≤ 10 s; Karpenter gives up after 3 minutes);
 * - multi-node consolidation on the same cluster at 30 % utilization, where the largest of 100
 *   candidates' prefixes is searched for (target: its own 60 s deadline);
 * - multi-node with a 300 ms deadline, which must return by then with the best command so far.
 *
 * Building the cluster is not timed. On a shared machine the CPU time decides whether a
 * target is met, as in bench/simulate.ts; the load average is printed.
 */
import { loadavg } from 'node:os';
import {
  firstNConsolidation,
  methodContext,
  multiNodeConsolidationMethod,
  MULTI_NODE_CONSOLIDATION_TIMEOUT_MS,
  singleNodeConsolidationMethod,
  type MethodContext,
} from '../lib/disruption/index.ts';
import type { ClusterSnapshot } from '../lib/state/index.ts';
import { systemClock } from '../lib/util/clock.ts';
import { benchCluster } from './consolidation-fixtures.ts';

const NODES = 1_000;
const PODS_PER_NODE = 10;
const SINGLE_TARGET_MS = 10_000;
const TINY_DEADLINE_MS = 300;

function contextOf(snapshot: ClusterSnapshot): {
  context: MethodContext;
  simulations: () => number;
} {
  let simulations = 0;
  const context = methodContext({
    snapshot,
    disruptionClass: 'graceful',
    clock: systemClock,
    deadline: Infinity,
    spotToSpotConsolidation: false,
    blocked: () => undefined,
    unconsolidatable: () => undefined,
  });
  return {
    context: {
      ...context,
      simulate: (candidates, deadline) => {
        simulations += 1;
        return context.simulate(candidates, deadline);
      },
    },
    simulations: () => simulations,
  };
}

interface Measured<T> {
  readonly value: T;
  readonly wallMs: number;
  readonly cpuMs: number;
}

function measure<T>(run: () => T): Measured<T> {
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  const value = run();
  const wallMs = performance.now() - wallStart;
  const { user, system } = process.cpuUsage(cpuStart);
  return { value, wallMs, cpuMs: (user + system) / 1000 };
}

function verdict(measured: Measured<unknown>, targetMs: number): { text: string; ok: boolean } {
  if (measured.wallMs <= targetMs) return { text: `≤ ${targetMs / 1000} s ok`, ok: true };
  if (measured.cpuMs <= targetMs)
    return { text: `≤ ${targetMs / 1000} s: wall over, CPU within`, ok: true };
  return { text: `≤ ${targetMs / 1000} s EXCEEDED`, ok: false };
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
let failed = false;
console.log(
  `load average before: ${loadavg()
    .map((load) => load.toFixed(2))
    .join(' ')}`,
);
console.log('| case | result | simulations | candidates/s | wall | CPU | target |');
console.log('|---|---|---:|---:|---:|---:|---|');

// Full nodes of a NodePool that offers nothing cheaper: no candidate has a command.
const full = benchCluster({
  nodes: NODES,
  podsPerNode: PODS_PER_NODE,
  instanceType: 'm5.xlarge',
  podCpuMillis: 370,
  podMemoryMiB: 1_000,
  allowedTypes: ['m5.large', 'm5.xlarge', 'm5.2xlarge'],
});
{
  const { context, simulations } = contextOf(full.snapshot);
  const scan = measure(() => singleNodeConsolidationMethod.computeCommand(context));
  const { text, ok } = verdict(scan, SINGLE_TARGET_MS);
  failed ||= !ok || scan.value !== undefined || simulations() !== NODES;
  console.log(
    `| single-node, full scan of ${NODES} nodes / ${NODES * PODS_PER_NODE} pods | ${scan.value ? 'a command (unexpected)' : 'no command'} | ${simulations()} | ${Math.round(simulations() / (scan.wallMs / 1000))} | ${seconds(scan.wallMs)} | ${seconds(scan.cpuMs)} | ${text} |`,
  );
}

// The same cluster at 30 % utilization, every catalog type allowed.
const underused = benchCluster({
  nodes: NODES,
  podsPerNode: PODS_PER_NODE,
  instanceType: 'm5.xlarge',
  podCpuMillis: 110,
  podMemoryMiB: 400,
});
{
  const { context, simulations } = contextOf(underused.snapshot);
  const search = measure(() => multiNodeConsolidationMethod.computeCommand(context));
  const { text, ok } = verdict(search, MULTI_NODE_CONSOLIDATION_TIMEOUT_MS);
  const command = search.value;
  failed ||= !ok || command === undefined;
  const result = command
    ? `${command.candidates.length} nodes, ${command.replacements.length} replacement(s)`
    : 'no command (unexpected)';
  console.log(
    `| multi-node, 100 candidates of ${NODES} nodes at 30 % | ${result} | ${simulations()} | ${Math.round(simulations() / (search.wallMs / 1000))} | ${seconds(search.wallMs)} | ${seconds(search.cpuMs)} | ${text} |`,
  );
}
{
  const { context, simulations } = contextOf(underused.snapshot);
  const candidates = context.candidates.slice(0, 100);
  const started = systemClock.now();
  const deadline = started + TINY_DEADLINE_MS;
  const search = measure(() => firstNConsolidation(candidates, context, deadline));
  const late = systemClock.now() - deadline;
  failed ||= late > 0;
  const result = search.value
    ? `best so far: ${search.value.candidates.length} nodes`
    : 'nothing found in time';
  console.log(
    `| multi-node, ${TINY_DEADLINE_MS} ms deadline | ${result} | ${simulations()} | ${Math.round(simulations() / (search.wallMs / 1000))} | ${seconds(search.wallMs)} | ${seconds(search.cpuMs)} | returned ${late > 0 ? `${late} ms LATE` : 'in time'} |`,
  );
}
console.log(
  `load average after: ${loadavg()
    .map((load) => load.toFixed(2))
    .join(' ')}`,
);
process.exitCode = failed ? 1 : 0;
