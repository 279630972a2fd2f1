/**
 * `npm run bench:interruption`: a batch of 10 spot interruption warnings against 200 real Nodes
 * (the real kube-apiserver, kube-scheduler, kube-controller-manager, KWOK and moto, started here
 * with test/env's startup code). Not timed: a Deployment of 200 pods that refuse to share a
 * node, and the 200 NodeClaims launched and registered for them. Then 10 warnings are put on
 * moto's EventBridge, travel through the rule to the interruption queue and are received as one
 * batch. Timed from that receipt, each against its target: the handler (1 s); the first eviction
 * (5 s), made by the handler's first termination pass; and the replacement's launch (10 s): the
 * provisioning signal is received from the signal queue while the handler runs (the provisioning
 * function's SQS trigger polls it all along) and the pass it starts launches NodeClaims for the
 * pods of the interrupted nodes.
 */
import { Labels, type NodeClaim } from '../lib/apis/index.ts';
import { runProvisioning } from '../lib/provisioning/index.ts';
import { until, withKwokWorld } from './kwok-world.ts';
import { spotInterruptionWarning } from '../test/fixtures/interruption-events.ts';
import { lambdaContext } from '../test/fixtures/lambda-events.ts';
import {
  createInterruptionQueues,
  createOnePerNodeDeployment,
  interruptionFunction,
  putEvent,
  receive,
  sqsEvent,
} from '../test/integration/interruption-fixtures.ts';
import { runObjectPass } from '../lib/tick/index.ts';

const NODES = Number(process.env['BENCH_NODES'] ?? 200);
const WARNINGS = 10;
const TARGETS_MS = { handler: 1_000, firstEviction: 5_000, replacementLaunch: 10_000 };
const POOL = 'bench-interrupt';
const SETUP_TIMEOUT_MS = 600_000;

function waitFor(what: string, holds: () => Promise<boolean>): Promise<void> {
  return until(what, holds, SETUP_TIMEOUT_MS);
}

await withKwokWorld(POOL, async ({ kubeConfigYaml, aws, world, namespace }) => {
  const queues = await createInterruptionQueues(POOL, aws);
  const settingUp = performance.now();
  await createOnePerNodeDeployment(kubeConfigYaml, namespace, POOL, NODES);
  const poolClaims = async (): Promise<NodeClaim[]> =>
    (await world.kube.kube.listNodeClaims()).items.filter(
      ({ metadata }) => metadata.labels?.[Labels.nodePool] === POOL,
    );
  const running = async (): Promise<number> =>
    (await world.core.listNamespacedPod({ namespace })).items.filter(
      (pod) => pod.status?.phase === 'Running' && !pod.metadata?.deletionTimestamp,
    ).length;
  await waitFor(`${NODES} pods Running`, async () => {
    await runProvisioning(world.deps('launch', { deadline: Date.now() + SETUP_TIMEOUT_MS }));
    await runObjectPass(world.deps('tick', { deadline: Date.now() + SETUP_TIMEOUT_MS }));
    return (await running()) === NODES;
  });
  console.log(
    `${NODES} pods Running on ${(await poolClaims()).length} NodeClaims in ${((performance.now() - settingUp) / 1000).toFixed(1)} s (not timed)`,
  );

  let firstEvictionAt: number | undefined;
  let firstLaunchAt: number | undefined;
  const deps = (runId: string) => {
    const base = world.deps(runId);
    return {
      ...base,
      kube: {
        ...base.kube,
        kube: {
          ...base.kube.kube,
          evictPod: (pod: { namespace: string; name: string }) => {
            firstEvictionAt ??= performance.now();
            return base.kube.kube.evictPod(pod);
          },
        },
      },
    };
  };
  const handler = interruptionFunction(() => deps('interruption'), queues, POOL);
  const before = new Set((await poolClaims()).map(({ metadata }) => metadata.name));
  const warned = (await poolClaims()).slice(0, WARNINGS);
  for (const claim of warned)
    await putEvent(
      queues,
      spotInterruptionWarning({ instanceId: claim.status?.providerID?.split('/').at(-1) ?? '' }),
    );
  const batch = await receive(queues.sqs, queues.queueUrl, WARNINGS);

  const signal = receive(queues.sqs, queues.signalQueueUrl, 1);
  const receivedAt = performance.now();
  let handlerMs = Infinity;
  const handling = handler(
    sqsEvent(batch, queues.queueArn),
    lambdaContext({ remainingMs: 60_000 }),
  ).finally(() => (handlerMs = performance.now() - receivedAt));
  await signal;
  const launched = async (): Promise<boolean> => {
    const result = await runProvisioning(world.deps('provisioner'));
    if (result.status === 'completed' && result.nodeClaimsLaunched.length > 0)
      firstLaunchAt ??= performance.now();
    return firstLaunchAt !== undefined;
  };
  await waitFor('a replacement launch', launched);
  const response = await handling;
  const replacements = (await poolClaims()).filter(({ metadata }) => !before.has(metadata.name));

  const figures = {
    handler: handlerMs,
    firstEviction: (firstEvictionAt ?? Infinity) - receivedAt,
    replacementLaunch: (firstLaunchAt ?? Infinity) - receivedAt,
  };
  console.log(`| measure (${batch.length} warnings, ${NODES} nodes) | time | target |`);
  console.log('|---|---|---|');
  const problems: string[] = [];
  for (const [name, ms] of Object.entries(figures)) {
    const target = TARGETS_MS[name as keyof typeof TARGETS_MS];
    console.log(`| ${name} | ${ms.toFixed(0)} ms | ${target} ms |`);
    if (!(ms <= target)) problems.push(`${name}: ${ms.toFixed(0)} ms over the ${target} ms target`);
  }
  console.log(`${replacements.length} replacement NodeClaim(s) launched`);
  if (batch.length !== WARNINGS) problems.push(`${batch.length} of ${WARNINGS} warnings received`);
  if (response.batchItemFailures.length > 0)
    problems.push(`${response.batchItemFailures.length} messages failed`);
  console.log(problems.length ? `FAILED:\n${problems.join('\n')}` : 'all within target');
  process.exitCode = problems.length ? 1 : 0;
});
