/**
 * `npm run bench:provisioning`: one provisioning pass for 1,000 pending pods against the real
 * kube-apiserver, kube-scheduler and moto (started here with test/env's own startup code):
 * load the snapshot, solve, create the NodeClaims and launch them. Prints the load/solve/act
 * split and fails if the pass takes longer than the 10 s target or leaves a pod unplaced.
 *
 * The pass runs in a warm container: instance types and prices, which the AWS provider caches
 * for the container's life, are discovered once beforehand and that cold discovery is reported
 * on its own line.
 */
import { Labels } from '../lib/apis/labels.ts';
import { runProvisioning, type RunLogger } from '../lib/provisioning/index.ts';
import { startTestEnvironment } from '../test/env/global-setup.ts';
import { createPendingPods, createProvisioningWorld, waitUntilUnschedulable } from '../test/integration/provisioning-fixtures.ts';

const POOL = 'bench';
const TARGET_MS = 10_000;
/** Half the pods ask for a whole CPU, half for half of one. */
const BATCHES = [
  { prefix: 'large', count: 500, cpu: '1' },
  { prefix: 'small', count: 500, cpu: '500m' },
];

const quietLogger: RunLogger = {
  info: () => undefined,
  warn: (message, attributes) => console.warn(`warn: ${message}`, attributes ?? ''),
  error: (message, attributes) => console.error(`error: ${message}`, attributes ?? ''),
};

const { environment, stop } = await startTestEnvironment();
try {
  const world = await createProvisioningWorld({
    kubeConfigPath: environment.kubeConfigPath,
    aws: { endpoint: environment.awsEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } },
    pool: POOL,
    logger: quietLogger,
  });
  const namespace = (await world.core.createNamespace({ body: { metadata: { generateName: 'bench-' } } })).metadata?.name ?? '';
  const names = (await Promise.all(BATCHES.map(({ prefix, count, cpu }) => createPendingPods(world, namespace, POOL, prefix, count, cpu)))).flat();
  const preparing = performance.now();
  await waitUntilUnschedulable(world, namespace, names, 180_000);
  console.log(`${names.length} pods Unschedulable after ${((performance.now() - preparing) / 1000).toFixed(1)} s (not timed)`);

  const deps = world.deps('bench-run');
  const discovering = performance.now();
  const nodePool = (await world.kube.kube.listNodePools()).items.find(({ metadata }) => metadata.name === POOL);
  if (!nodePool) throw new Error(`NodePool ${POOL} is missing`);
  const instanceTypes = await deps.cloud.getInstanceTypes(nodePool);
  console.log(`cold instance-type and price discovery: ${instanceTypes.length} types in ${((performance.now() - discovering) / 1000).toFixed(1)} s (once per container, not timed)`);

  const startedAt = performance.now();
  const result = await runProvisioning(deps);
  const wallMs = performance.now() - startedAt;
  if (result.status !== 'completed') throw new Error(`the run was ${result.status}: ${result.reason}`);

  const claims = (await world.kube.kube.listNodeClaims()).items.filter(({ metadata }) => metadata.labels?.[Labels.nodePool] === POOL);
  const { loadMs, solveMs, actMs } = result.durations;
  console.log(`| pods | NodeClaims | launched | load | solve | act | total |`);
  console.log(`| ${names.length} | ${result.nodeClaimsCreated.length} | ${result.nodeClaimsLaunched.length} | ${loadMs} ms | ${solveMs} ms | ${actMs} ms | ${wallMs.toFixed(0)} ms |`);
  const problems = [
    result.podsNominated !== names.length ? `${result.podsNominated} of ${names.length} pods nominated` : '',
    result.unschedulablePods.length ? `${result.unschedulablePods.length} unschedulable (${result.unschedulablePods[0]?.reason})` : '',
    result.nodeClaimsLaunched.length !== result.nodeClaimsCreated.length ? `${result.nodeClaimsCreated.length - result.nodeClaimsLaunched.length} NodeClaims not launched` : '',
    claims.length !== result.nodeClaimsCreated.length ? `${claims.length} NodeClaims in the cluster` : '',
    wallMs > TARGET_MS ? `slower than the ${TARGET_MS / 1000} s target` : '',
  ].filter(Boolean);
  console.log(problems.length ? `FAILED: ${problems.join('; ')}` : `ok: within the ${TARGET_MS / 1000} s target`);
  process.exitCode = problems.length > 0 ? 1 : 0;
} finally {
  await stop();
}
