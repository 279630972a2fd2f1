import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { KubeConfig, PatchStrategy, PolicyV1Api, setHeaderOptions } from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { Labels, type NodeClaim } from '../../lib/apis/index.ts';
import { systemClock } from '../../lib/util/clock.ts';
import {
  collectGarbage,
  LEAKED_INSTANCE_GRACE_MS,
  loadLifecycleView,
  runLifecycle,
  runTermination,
  type LifecycleDeps,
} from '../../lib/lifecycle/index.ts';
import { runProvisioning } from '../../lib/provisioning/index.ts';
import { awsClientConfig, createTestNamespace, kubeConfigPath, resetAws } from '../env/index.ts';
import { recordingRunLogger } from '../fixtures/recording-run-logger.ts';
import {
  createPendingPods,
  createProvisioningWorld,
  waitUntilUnschedulable,
  type ProvisioningWorld,
} from './provisioning-fixtures.ts';

const POOL = 'tick-runs';
const MERGE_PATCH = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

describe('the tick’s per-object runs against the real kube-apiserver and moto', () => {
  let world: ProvisioningWorld;
  let namespace: string;
  const logger = recordingRunLogger();

  function deps(overrides: Partial<LifecycleDeps> = {}): LifecycleDeps {
    const { kube, cloud, clock } = world.deps('tick');
    return { kube: kube.kube, cloud, clock, logger, ...overrides };
  }

  /** A NodeClaim of the pool, created and launched in moto by a provisioning pass for one pod. */
  async function launchedClaim(prefix: string): Promise<NodeClaim> {
    const names = await createPendingPods(world, namespace, POOL, { prefix, count: 1 });
    await waitUntilUnschedulable(world, namespace, names);
    const result = await runProvisioning(world.deps(`provision-${prefix}`));
    if (result.status !== 'completed') throw new Error(`provisioning was ${result.status}`);
    const [name] = result.nodeClaimsLaunched;
    const claim = await world.kube.kube.getNodeClaim(name ?? '');
    if (!claim) throw new Error('no NodeClaim was launched');
    await world.core.deleteNamespacedPod({ name: names[0] ?? '', namespace });
    return claim;
  }

  async function instanceState(providerID: string): Promise<string | undefined> {
    const instanceId = providerID.split('/').at(-1) ?? '';
    const described = await world.ec2.send(
      new DescribeInstancesCommand({ InstanceIds: [instanceId] }),
    );
    return described.Reservations?.[0]?.Instances?.[0]?.State?.Name;
  }

  /** What a kubelet's registration leaves: a Node with the instance's providerID. */
  async function registerNode(claim: NodeClaim): Promise<string> {
    const name = `${claim.metadata.name ?? ''}-node`;
    await world.core.createNode({
      body: {
        metadata: { name, labels: { [Labels.hostname]: name } },
        spec: {
          providerID: claim.status?.providerID,
          taints: [{ key: 'karpenter.sh/unregistered', effect: 'NoExecute' }],
        },
      },
    });
    return name;
  }

  async function runningPod(name: string, nodeName: string, labels: Record<string, string>) {
    await world.core.createNamespacedPod({
      namespace,
      body: {
        metadata: { name, labels },
        spec: {
          nodeName,
          tolerations: [{ operator: 'Exists' as const, key: 'skyscale.test/pool' }],
          containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10' }],
        },
      },
    });
    await world.core.patchNamespacedPodStatus(
      {
        name,
        namespace,
        body: { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } },
      },
      MERGE_PATCH,
    );
  }

  /** The budget as the disruption controller would report it (no controller runs here). */
  async function setBudget(disruptionsAllowed: number): Promise<void> {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(kubeConfigPath());
    const policy = kubeConfig.makeApiClient(PolicyV1Api);
    const existing = await policy
      .readNamespacedPodDisruptionBudget({ name: 'db', namespace })
      .catch(() => undefined);
    if (!existing)
      await policy.createNamespacedPodDisruptionBudget({
        namespace,
        body: {
          metadata: { name: 'db' },
          spec: { maxUnavailable: 0, selector: { matchLabels: { app: 'db' } } },
        },
      });
    const status = {
      observedGeneration: 1,
      disruptionsAllowed,
      currentHealthy: 1,
      desiredHealthy: 1,
      expectedPods: 1,
    };
    await policy.patchNamespacedPodDisruptionBudgetStatus(
      { name: 'db', namespace, body: { status } },
      MERGE_PATCH,
    );
  }

  beforeAll(async () => {
    await resetAws();
    namespace = await createTestNamespace('tick');
    world = await createProvisioningWorld({
      kubeConfigPath: kubeConfigPath(),
      aws: awsClientConfig(),
      pool: POOL,
      logger,
    });
  });

  it('terminates an instance in moto that no NodeClaim owns once it is 30 s old', async () => {
    // Prepare
    const claim = await launchedClaim('leaked');
    const name = claim.metadata.name ?? '';
    await world.kube.kube.updateNodeClaim(name, (current) => ({
      ...current,
      metadata: { ...current.metadata, finalizers: [] },
    }));
    await world.kube.kube.deleteNodeClaim(name);
    const later = { ...systemClock, now: () => Date.now() + LEAKED_INSTANCE_GRACE_MS + 5_000 };

    // Act
    const young = await collectGarbage(deps());
    const old = await collectGarbage(deps({ clock: later }));

    // Assess
    const instanceId = claim.status?.providerID?.split('/').at(-1);
    expect(young.instancesTerminated).toEqual([]);
    expect(old.instancesTerminated).toEqual([instanceId]);
    expect(await instanceState(claim.status?.providerID ?? '')).toMatch(/shutting-down|terminated/);
  });

  it('drains through the real Eviction API, retrying a PodDisruptionBudget’s 429, then terminates the instance and removes both objects', async () => {
    // Prepare
    const claim = await launchedClaim('drained');
    const nodeName = await registerNode(claim);
    await runLifecycle(deps(), await loadLifecycleView(world.kube.kube));
    await runningPod('db-0', nodeName, { app: 'db' });
    await setBudget(0);
    await world.kube.kube.deleteNodeClaim(claim.metadata.name ?? '');
    const pass = async () => runTermination(deps(), await loadLifecycleView(world.kube.kube));

    // Act
    const refused = await pass();
    await setBudget(1);
    const allowed = await pass();
    // No kubelet runs here: finish the evicted pod as the kubelet would.
    await world.core.deleteNamespacedPod({ name: 'db-0', namespace, gracePeriodSeconds: 0 });
    const drained = await pass();

    // Assess
    expect(refused).toMatchObject({ blocked: 1, evicted: 0, waiting: [nodeName] });
    expect(allowed).toMatchObject({ blocked: 0, evicted: 1, waiting: [nodeName] });
    expect(drained.finished).toEqual([nodeName, claim.metadata.name]);
    expect(await instanceState(claim.status?.providerID ?? '')).toMatch(/shutting-down|terminated/);
    expect(await world.kube.kube.getNodeClaim(claim.metadata.name ?? '')).toBeUndefined();
    const nodes = (await world.kube.kube.listNodes()).items.map(({ metadata }) => metadata.name);
    expect(nodes).not.toContain(nodeName);
  });

  it('after kubectl delete node, deletes the claim too and ends with the instance terminated and both objects gone', async () => {
    // Prepare
    const claim = await launchedClaim('deleted-node');
    const nodeName = await registerNode(claim);
    await runLifecycle(deps(), await loadLifecycleView(world.kube.kube));
    await world.core.deleteNode({ name: nodeName });

    // Act
    const result = await runTermination(deps(), await loadLifecycleView(world.kube.kube));

    // Assess
    expect(result.finished).toEqual([nodeName, claim.metadata.name]);
    expect(await instanceState(claim.status?.providerID ?? '')).toMatch(/shutting-down|terminated/);
    expect(await world.kube.kube.getNodeClaim(claim.metadata.name ?? '')).toBeUndefined();
  });
});
