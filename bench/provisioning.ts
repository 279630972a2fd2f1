/**
 * `npm run bench:provisioning`: a provisioning pass for 1,000 pending pods against the real
 * kube-apiserver, kube-scheduler and moto (started here with test/env's own startup code):
 * load the snapshot, solve, create the NodeClaims and launch them. Two pod mixes, each in its own
 * NodePool: "packed" (plain pods of 1 and ½ CPU, which fill a few large nodes) and "spread"
 * (a fifth of the pods refuse to share a node, as in Karpenter's scheduling benchmark, so the
 * pass launches 200 NodeClaims). Prints the load/solve/act split and fails if a pass leaves a
 * pod unplaced, or if the packed pass takes longer than its 2 s target. The spread pass is
 * reported against its 10 s target, not held to it: its launches share a few CreateFleet calls,
 * but each of the 200 instances is then tagged with its NodeClaim, and moto serves those
 * CreateTags calls one at a time (~20-50 ms each on this machine, depending on its load).
 *
 * Each pass also reports the EC2 and apiserver requests it sent per launched NodeClaim (whole
 * pass: snapshot, creates and launches), and which requests they were.
 *
 * Each pass runs in a warm container: instance types and prices, which the AWS provider caches
 * for the container's life, are discovered once beforehand; that cold discovery is reported on
 * its own line.
 */
import { Labels } from '../lib/apis/labels.ts';
import { runProvisioning } from '../lib/provisioning/index.ts';
import { quietLogger } from './kwok-world.ts';
import { startTestEnvironment, type RunningTestEnvironment } from '../test/env/global-setup.ts';
import {
  createPendingPods,
  createProvisioningWorld,
  waitUntilUnschedulable,
  type PendingPodsOptions,
} from '../test/integration/provisioning-fixtures.ts';

interface Scenario {
  readonly batches: readonly PendingPodsOptions[];
  readonly targetMs: number;
  readonly heldToTarget: boolean;
}

const SCENARIOS: Record<string, Scenario> = {
  packed: {
    batches: [
      { prefix: 'large', count: 500, cpu: '1' },
      { prefix: 'small', count: 500, cpu: '500m' },
    ],
    targetMs: 2_000,
    heldToTarget: true,
  },
  spread: {
    batches: [
      { prefix: 'solo', count: 200, cpu: '500m', onePerNode: true },
      { prefix: 'web', count: 800, cpu: '500m' },
    ],
    targetMs: 10_000,
    heldToTarget: false,
  },
};

/** Requests of the timed pass, printed after the table. */
const breakdowns: string[] = [];

function total(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}

/** Events are about pods (nominated, failed scheduling) as well as claims, deduplicated and rate-limited. */
function withoutEvents(counts: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([call]) => call !== 'create events'));
}

function perClaim(counts: Readonly<Record<string, number>>, launched: number): string {
  return launched === 0 ? '-' : (total(counts) / launched).toFixed(2);
}

function breakdown(counts: Readonly<Record<string, number>>): string {
  return Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([call, count]) => `${call} ${count}`)
    .join(', ');
}

/** Runs one scenario in its own NodePool and namespace; returns what went wrong, if anything. */
async function bench(
  environment: RunningTestEnvironment['environment'],
  pool: string,
  { batches, targetMs, heldToTarget }: Scenario,
): Promise<string[]> {
  const world = await createProvisioningWorld({
    kubeConfigPath: environment.kubeConfigPath,
    aws: {
      endpoint: environment.awsEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    },
    pool,
    logger: quietLogger,
  });
  const { core } = world;
  const namespace =
    (await core.createNamespace({ body: { metadata: { generateName: `${pool}-` } } })).metadata
      ?.name ?? '';
  const names = (
    await Promise.all(batches.map((batch) => createPendingPods(world, namespace, pool, batch)))
  ).flat();
  const preparing = performance.now();
  await waitUntilUnschedulable(world, namespace, names, 180_000);
  console.log(
    `${pool}: ${names.length} pods Unschedulable after ${((performance.now() - preparing) / 1000).toFixed(1)} s (not timed)`,
  );

  const deps = world.deps(`${pool}-run`);
  const discovering = performance.now();
  const nodePool = (await world.kube.kube.listNodePools()).items.find(
    ({ metadata }) => metadata.name === pool,
  );
  if (!nodePool) throw new Error(`NodePool ${pool} is missing`);
  const instanceTypes = await deps.cloud.getInstanceTypes(nodePool);
  console.log(
    `${pool}: cold instance-type and price discovery, ${instanceTypes.length} types in ${((performance.now() - discovering) / 1000).toFixed(1)} s (once per container, not timed)`,
  );

  world.requests.reset();
  const startedAt = performance.now();
  const result = await runProvisioning(deps);
  const wallMs = performance.now() - startedAt;
  const requests = world.requests.counts();
  if (result.status !== 'completed')
    throw new Error(`the run was ${result.status}: ${result.reason}`);

  // The next scenario's pass should not find these pods still pending.
  await core.deleteCollectionNamespacedPod({ namespace, gracePeriodSeconds: 0 });
  const claims = (await world.kube.kube.listNodeClaims()).items.filter(
    ({ metadata }) => metadata.labels?.[Labels.nodePool] === pool,
  );
  const { loadMs, solveMs, actMs } = result.durations;
  const launchesPerSecond = (result.nodeClaimsLaunched.length * 1000) / actMs;
  console.log(
    `| ${pool} | ${names.length} | ${result.nodeClaimsCreated.length} | ${result.nodeClaimsLaunched.length} | ${loadMs} ms | ${solveMs} ms | ${actMs} ms | ${wallMs.toFixed(0)} ms (target ${targetMs / 1000} s) | ${launchesPerSecond.toFixed(1)} | ${perClaim(requests.ec2, result.nodeClaimsLaunched.length)} | ${perClaim(requests.apiserver, result.nodeClaimsLaunched.length)} | ${perClaim(withoutEvents(requests.apiserver), result.nodeClaimsLaunched.length)} |`,
  );
  breakdowns.push(
    `${pool}: EC2 ${breakdown(requests.ec2)}; apiserver ${breakdown(requests.apiserver)}`,
  );
  return [
    result.podsNominated !== names.length
      ? `${result.podsNominated} of ${names.length} pods nominated`
      : '',
    result.unschedulablePods.length
      ? `${result.unschedulablePods.length} unschedulable (${result.unschedulablePods[0]?.reason})`
      : '',
    result.nodeClaimsLaunched.length !== result.nodeClaimsCreated.length
      ? `${result.nodeClaimsCreated.length - result.nodeClaimsLaunched.length} NodeClaims not launched`
      : '',
    claims.length !== result.nodeClaimsCreated.length
      ? `${claims.length} NodeClaims in the cluster`
      : '',
    heldToTarget && wallMs > targetMs ? `slower than the ${targetMs / 1000} s target` : '',
  ]
    .filter(Boolean)
    .map((problem) => `${pool}: ${problem}`);
}

const { environment, stop } = await startTestEnvironment();
try {
  const problems: string[] = [];
  console.log(
    '| scenario | pods | NodeClaims | launched | load | solve | act | total | launches/s | EC2 calls/claim | apiserver calls/claim | without Events |',
  );
  for (const [pool, scenario] of Object.entries(SCENARIOS))
    problems.push(...(await bench(environment, pool, scenario)));
  for (const line of breakdowns) console.log(line);
  console.log(
    problems.length
      ? `FAILED: ${problems.join('; ')}`
      : 'ok: every pod placed; the packed pass within its target',
  );
  process.exitCode = problems.length > 0 ? 1 : 0;
} finally {
  await stop();
}
