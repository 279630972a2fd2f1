import { describe, expect, it } from 'vitest';
import { isConditionTrue, NodeClaimConditionTypes } from '../../../lib/apis/index.ts';
import { ResourceTypes } from '../../../lib/kube/index.ts';
import { loadLifecycleView, runLifecycle, runNodeClasses } from '../../../lib/lifecycle/index.ts';
import { COMMAND_VALIDATION_DELAY_MS } from '../../../lib/disruption/index.ts';
import { runDisruption, runObjectPass } from '../../../lib/tick/index.ts';
import type { Clock } from '../../../lib/util/clock.ts';
import { LifecycleEnvironment, NODE_POOL } from '../lifecycle/lifecycle-environment.ts';
import { NODE_CLASS_NAME } from '../provisioning/memory-environment.ts';

const NODES = 10;

interface Sample {
  /** The pool's initialized nodes, as its budgets count them. */
  readonly nodes: number;
  /** Those being disrupted: a command's candidates and nodes whose claim is deleting. */
  readonly disrupting: number;
}

async function sample(env: LifecycleEnvironment): Promise<Sample> {
  const registered = new Set(
    (await env.kube.kube.listNodes()).items.map(({ spec }) => spec?.providerID),
  );
  const counted = (await env.kube.kube.listNodeClaims()).items.filter(
    ({ status }) =>
      registered.has(status?.providerID) &&
      isConditionTrue(status?.conditions, NodeClaimConditionTypes.initialized) &&
      !isConditionTrue(status?.conditions, NodeClaimConditionTypes.instanceTerminating),
  );
  const disrupting = counted.filter(
    (claim) =>
      claim.metadata.deletionTimestamp !== undefined ||
      isConditionTrue(claim.status?.conditions, NodeClaimConditionTypes.disruptionReason),
  );
  return { nodes: counted.length, disrupting: disrupting.length };
}

/** The cluster's clock, sampling the cluster whenever the run waits to re-check a command. */
function sampling(env: LifecycleEnvironment, samples: Sample[]): Clock {
  return {
    now: () => env.clock.now(),
    sleep: async (milliseconds: number) => {
      if (milliseconds === COMMAND_VALIDATION_DELAY_MS) samples.push(await sample(env));
      return env.clock.sleep(milliseconds);
    },
  };
}

async function settle<T>(env: LifecycleEnvironment, run: Promise<T>): Promise<T> {
  let done = false;
  const result = run.finally(() => {
    done = true;
  });
  while (!done) await env.clock.advance(1_000);
  return result;
}

/** What happens between two disruption runs: kubelets register replacements and finish evicted pods; the object runs move claims along. */
async function betweenRuns(env: LifecycleEnvironment): Promise<void> {
  const registered = new Set(
    (await env.kube.kube.listNodes()).items.map(({ spec }) => spec?.providerID),
  );
  for (const claim of (await env.kube.kube.listNodeClaims()).items)
    if (claim.status?.providerID && !registered.has(claim.status.providerID))
      await env.registerNode(claim);
  for (let pass = 0; pass < 3; pass += 1) {
    await settle(env, runObjectPass(env.deps()));
    for (const node of (await env.kube.kube.listNodes()).items)
      await env.kubeletFinishes(node.metadata.name);
  }
  await runLifecycle(env.lifecycleDeps(), await loadLifecycleView(env.kube.kube));
}

describe('disruption budgets across the commands of one run', () => {
  it('starts several commands in one run but never has more than 20 % of 10 nodes disrupted at once during a drift rollout', async () => {
    // Prepare: 10 initialized nodes, each running a pod, then their EC2NodeClass changes
    const env = new LifecycleEnvironment();
    await env.setUp();
    await env.cluster.patch(
      ResourceTypes.nodePool,
      { name: NODE_POOL },
      { spec: { disruption: { budgets: [{ nodes: '20%' }] } } },
    );
    const original: string[] = [];
    for (let index = 0; index < NODES; index += 1) {
      const { claim, node } = await env.registeredClaim();
      original.push(claim.metadata.name ?? '');
      await env.runPod(`web-${index}`, node.metadata.name);
    }
    await runLifecycle(env.lifecycleDeps(), await loadLifecycleView(env.kube.kube));
    await env.cluster.patch(
      ResourceTypes.ec2NodeClass,
      { name: NODE_CLASS_NAME },
      { spec: { tags: { rollout: '2' } } },
    );
    await runNodeClasses(env.lifecycleDeps());
    const samples: Sample[][] = [];
    const commandsPerRun: number[] = [];

    // Act: disruption runs, with the world moving on between them, until every original node is gone
    for (let run = 0; run < 20; run += 1) {
      const remaining = new Set(
        (await env.kube.kube.listNodeClaims()).items.map(({ metadata }) => metadata.name),
      );
      if (original.every((name) => !remaining.has(name))) break;
      const runSamples: Sample[] = [];
      const result = await settle(
        env,
        runDisruption(env.deps({ clock: sampling(env, runSamples) })),
      );
      commandsPerRun.push(result.commands.length);
      samples.push([...runSamples, await sample(env)]);
      await betweenRuns(env);
    }

    // Assess
    const left = (await env.kube.kube.listNodeClaims()).items.map(({ metadata }) => metadata.name);
    expect(original.filter((name) => left.includes(name))).toEqual([]);
    // The first run sees exactly the 10 nodes: two commands, never more than 2 nodes at once.
    expect(commandsPerRun[0]).toBe(2);
    expect(samples[0]?.every(({ nodes }) => nodes === NODES)).toBe(true);
    expect(Math.max(...(samples[0] ?? []).map(({ disrupting }) => disrupting))).toBe(2);
    // Later the pool also counts initialized replacements: 20 % of them, rounded up, as Karpenter rounds.
    const over = samples
      .flat()
      .filter(({ nodes, disrupting }) => disrupting > Math.ceil(nodes / 5));
    expect(over).toEqual([]);
    expect(commandsPerRun.filter((count) => count > 1).length).toBeGreaterThan(1);
  });
});
