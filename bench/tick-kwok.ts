/**
 * `npm run bench:tick:kwok`: the tick's runs against 200 real Nodes: the real kube-apiserver,
 * kube-scheduler, kube-controller-manager, KWOK as the 200 kubelets and moto (started here with
 * test/env's own startup code). Not timed: 200 pods that refuse to share a node, the provisioning
 * pass that launches their 200 NodeClaims, and the node registrar registering each instance.
 * Timed, each against the 10 s target: the tick that registers and initializes all 200 claims,
 * a tick with nothing to do, and a tick that starts draining 20 deleted claims. A tick here is
 * the tick function's first pass of the lifecycle and termination runs beside garbage collection,
 * then the safety-net provisioning check, without the follow-up passes that fill its minute.
 */
import { EPHEMERAL_TAINT_KEYS, Labels, type NodeClaim } from '../lib/apis/index.ts';
import { isNodeReady } from '../lib/lifecycle/index.ts';
import { runProvisioning, type ProvisioningDeps } from '../lib/provisioning/index.ts';
import { runGarbageCollection, runObjectPass, runSafetyNet } from '../lib/tick/index.ts';
import { until, withKwokWorld } from './kwok-world.ts';
import {
  createPendingPods,
  waitUntilUnschedulable,
} from '../test/integration/provisioning-fixtures.ts';

const NODES = Number(process.env['BENCH_NODES'] ?? 200);
const DRAINING = 20;
const TARGET_MS = 10_000;
const POOL = 'bench-tick';
const SETUP_TIMEOUT_MS = 300_000;

interface TickSummary {
  readonly registered: number;
  readonly initialized: number;
  readonly evicted: number;
  readonly failures: number;
}

/** The tick's first pass, garbage collection and the safety net, without its follow-up passes. */
async function tick(deps: ProvisioningDeps): Promise<TickSummary> {
  const [{ lifecycle, termination }, garbage] = await Promise.all([
    runObjectPass(deps),
    runGarbageCollection(deps),
  ]);
  await runSafetyNet(deps);
  return {
    registered: lifecycle.registered.length,
    initialized: lifecycle.initialized.length,
    evicted: termination.evicted,
    failures: lifecycle.failures.length + termination.failures.length + garbage.failures.length,
  };
}

function waitFor(what: string, holds: () => Promise<boolean>): Promise<void> {
  return until(what, holds, SETUP_TIMEOUT_MS);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

await withKwokWorld(POOL, async ({ registrar, world, namespace }) => {
  const settingUp = performance.now();
  const pods = await createPendingPods(world, namespace, POOL, {
    prefix: 'solo',
    count: NODES,
    cpu: '500m',
    onePerNode: true,
  });
  await waitUntilUnschedulable(world, namespace, pods, SETUP_TIMEOUT_MS);
  const poolClaims = async (): Promise<NodeClaim[]> =>
    (await world.kube.kube.listNodeClaims()).items.filter(
      ({ metadata }) => metadata.labels?.[Labels.nodePool] === POOL,
    );
  // A pass that reaches its deadline leaves pods for the next one, as the tick would.
  await waitFor(`${NODES} NodeClaims`, async () => {
    await runProvisioning(world.deps('launch', { deadline: Date.now() + SETUP_TIMEOUT_MS }));
    return (await poolClaims()).length === NODES;
  });
  await waitFor(`${NODES} Nodes`, async () => {
    const nodes = (await world.kube.kube.listNodes()).items.filter(
      ({ metadata }) => metadata.labels?.[Labels.nodePool] === POOL,
    );
    return nodes.length === NODES;
  });
  console.log(
    `${NODES} NodeClaims launched and their Nodes registered in ${seconds(performance.now() - settingUp)} (not timed)`,
  );
  // Every instance has booted. The registrar stands in for kubelets on other machines, so it
  // stops polling moto before the timed ticks instead of competing with them for CPU and moto.
  await registrar.stop();
  const running = async (): Promise<number> =>
    (await world.core.listNamespacedPod({ namespace })).items.filter(
      (pod) => pod.status?.phase === 'Running',
    ).length;

  const problems: string[] = [];
  const timed = async (name: string): Promise<TickSummary> => {
    world.requests.reset();
    const startedAt = performance.now();
    const summary = await tick(world.deps(name, { deadline: Date.now() + 60_000 }));
    const wallMs = performance.now() - startedAt;
    const { apiserver, ec2 } = world.requests.counts();
    const requests = (counts: Record<string, number>): number =>
      Object.values(counts).reduce((sum, count) => sum + count, 0);
    console.log(
      `| ${name} | ${summary.registered} | ${summary.initialized} | ${summary.evicted} | ${summary.failures} | ${requests(apiserver)} | ${requests(ec2)} | ${wallMs.toFixed(0)} ms |`,
    );
    if (wallMs > TARGET_MS) problems.push(`${name}: slower than the ${TARGET_MS / 1000} s target`);
    if (summary.failures > 0) problems.push(`${name}: ${summary.failures} objects failed`);
    return summary;
  };
  console.log(
    '| tick | registered | initialized | evicted | failures | apiserver requests | EC2 requests | wall |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  const first = await timed('registering');
  // A claim whose Node is already Ready registers and initializes in one tick. KWOK marks 200 new
  // Nodes Ready over several seconds, as booting kubelets would; the rest wait for it (not timed).
  await waitFor(`${NODES} Nodes Ready and untainted`, async () => {
    const nodes = (await world.kube.kube.listNodes()).items.filter(
      ({ metadata }) => metadata.labels?.[Labels.nodePool] === POOL,
    );
    return nodes.every(
      (node) =>
        isNodeReady(node) &&
        !(node.spec?.taints ?? []).some(({ key }) => EPHEMERAL_TAINT_KEYS.has(key)),
    );
  });
  const second = first.initialized < NODES ? await timed('initializing') : undefined;
  const initialized = first.initialized + (second?.initialized ?? 0);
  if (first.registered !== NODES) problems.push(`${first.registered} of ${NODES} registered`);
  if (initialized !== NODES) problems.push(`${initialized} of ${NODES} initialized`);
  await waitFor(`${NODES} pods Running`, async () => (await running()) === NODES);
  await timed('steady');
  const claims = await poolClaims();
  await Promise.all(
    claims
      .slice(0, DRAINING)
      .map(({ metadata }) => world.kube.kube.deleteNodeClaim(metadata.name ?? '')),
  );
  const draining = await timed(`draining ${DRAINING}`);
  if (draining.evicted === 0) problems.push('the draining tick evicted nothing');
  console.log(problems.length ? `FAILED:\n${problems.join('\n')}` : 'all ticks within target');
  process.exitCode = problems.length ? 1 : 0;
});
