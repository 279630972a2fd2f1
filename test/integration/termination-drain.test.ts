/**
 * Draining real Nodes: evictions through the Eviction API that kube-apiserver checks against
 * PodDisruptionBudgets (their status kept by kube-controller-manager), ReplicaSets recreating the
 * evicted pods on another KWOK node, and `karpenter.sh/do-not-disrupt` holding a node until its
 * terminationGracePeriod.
 */
import { AppsV1Api, KubeConfig, PolicyV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import {
  Annotations,
  isConditionTrue,
  NodeClaimConditionTypes,
  type NodeClaim,
} from '../../lib/apis/index.ts';
import { runProvisioning } from '../../lib/provisioning/index.ts';
import { createTestNamespace, kubeConfigYaml, resetAws } from '../env/index.ts';
import { recordingRunLogger } from '../fixtures/recording-run-logger.ts';
import { createLifecycleWorld, type LifecycleWorld } from './lifecycle-fixtures.ts';
import {
  createPendingPods,
  deleteTestPods,
  waitUntilUnschedulable,
} from './provisioning-fixtures.ts';
import { deploymentOf, onPool, pauseContainer, upPods } from './workload-fixtures.ts';

const WAIT = { timeout: 45_000, interval: 250 };
const GRACE_SECONDS = 10;

describe('draining real nodes', { timeout: 150_000 }, () => {
  let drained: LifecycleWorld;
  let guarded: LifecycleWorld;
  let namespace: string;
  let apps: AppsV1Api;
  let policy: PolicyV1Api;
  const logger = recordingRunLogger();

  /** `count` initialized claims of `world`'s pool, one pod on each. */
  async function initializedClaims(world: LifecycleWorld, count: number): Promise<NodeClaim[]> {
    const names = await createPendingPods(world, namespace, world.pool, {
      prefix: `${world.pool}-seed`,
      count,
      cpu: '500m',
      onePerNode: true,
    });
    await waitUntilUnschedulable(world, namespace, names);
    await runProvisioning(world.deps('seed'));
    return vi.waitFor(async () => {
      await world.pass();
      const claims = (await world.claims()).filter((claim) =>
        isConditionTrue(claim.status?.conditions, NodeClaimConditionTypes.initialized),
      );
      if (claims.length < count) throw new Error(`${claims.length}/${count} initialized`);
      return claims;
    }, WAIT);
  }

  async function setUnschedulable(world: LifecycleWorld, node: string, value: boolean) {
    await world.kube.kube.updateNode(node, (current) => ({
      ...current,
      spec: { ...current.spec, unschedulable: value },
    }));
  }

  beforeAll(async () => {
    await resetAws();
    namespace = await createTestNamespace('drain');
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(kubeConfigYaml());
    apps = kubeConfig.makeApiClient(AppsV1Api);
    policy = kubeConfig.makeApiClient(PolicyV1Api);
    [drained, guarded] = await Promise.all([
      createLifecycleWorld({ pool: 'drain-pdb', logger, bootDelayMs: 500 }),
      createLifecycleWorld({
        pool: 'drain-guarded',
        logger,
        bootDelayMs: 500,
        terminationGracePeriod: `${GRACE_SECONDS}s`,
      }),
    ]);
  });

  afterAll(async () => {
    // Nothing of this file may hold a later file's drain
    await apps.deleteNamespacedDeployment({ name: 'web', namespace });
    await policy.deleteNamespacedPodDisruptionBudget({ name: 'web', namespace });
    await deleteTestPods(drained, namespace);
    await drained.stop();
    await guarded.stop();
  });

  it('evicts one pod at a time under a PodDisruptionBudget allowing one disruption, then terminates the node', async () => {
    // Prepare: nodes A and B; the Deployment's 3 pods on A (B cordoned meanwhile)
    const [claimA, claimB] = await initializedClaims(drained, 2);
    const nodeA = claimA?.status?.nodeName ?? '';
    const nodeB = claimB?.status?.nodeName ?? '';
    await setUnschedulable(drained, nodeB, true);
    await apps.createNamespacedDeployment({
      namespace,
      body: deploymentOf('web', 3, {
        ...onPool(drained.pool),
        containers: [pauseContainer('web', { cpu: '100m', memory: '64Mi' })],
      }),
    });
    await policy.createNamespacedPodDisruptionBudget({
      namespace,
      body: {
        metadata: { name: 'web' },
        spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } },
      },
    });
    await vi.waitFor(async () => {
      const pods = await upPods(drained.core, namespace, 'web');
      expect(pods.map((pod) => pod.spec?.nodeName)).toEqual([nodeA, nodeA, nodeA]);
      const budget = await policy.readNamespacedPodDisruptionBudget({ name: 'web', namespace });
      expect(budget.status?.disruptionsAllowed).toBe(1);
    }, WAIT);
    await setUnschedulable(drained, nodeB, false);

    // Act: kubectl delete nodeclaim A, then the runs until A is gone, watching the web pods
    await drained.kube.kube.deleteNodeClaim(claimA?.metadata.name ?? '');
    let fewestReady = 3;
    await vi.waitFor(
      async () => {
        await drained.pass();
        const ready = (await upPods(drained.core, namespace, 'web')).length;
        fewestReady = Math.min(fewestReady, ready);
        const names = (await drained.claims()).map(({ metadata }) => metadata.name);
        expect(names).not.toContain(claimA?.metadata.name);
      },
      { timeout: 60_000, interval: 250 },
    );

    // Assess: never more than one web pod down, all on B now
    expect(fewestReady).toBeGreaterThanOrEqual(2);
    const web = await upPods(drained.core, namespace, 'web');
    expect(web.map((pod) => pod.spec?.nodeName)).toEqual([nodeB, nodeB, nodeB]);
    const { items: nodes } = await drained.core.listNode();
    expect(nodes.map(({ metadata }) => metadata?.name)).not.toContain(nodeA);
    const live = (await drained.instances()).map(({ InstanceId }) => InstanceId);
    expect(live).toEqual([claimB?.status?.providerID?.split('/').at(-1)]);
  });

  it('keeps a do-not-disrupt pod until the terminationGracePeriod, then deletes it and terminates the node', async () => {
    // Prepare: a pod that must not be disrupted, on the claim's node
    const [claim] = await initializedClaims(guarded, 1);
    const nodeName = claim?.status?.nodeName ?? '';
    await guarded.core.createNamespacedPod({
      namespace,
      body: {
        metadata: { name: 'keeper', annotations: { [Annotations.doNotDisrupt]: 'true' } },
        spec: {
          nodeName,
          terminationGracePeriodSeconds: 0,
          containers: [{ name: 'keeper', image: 'registry.k8s.io/pause:3.10' }],
        },
      },
    });
    await vi.waitFor(async () => {
      const pod = await guarded.core.readNamespacedPod({ name: 'keeper', namespace });
      expect(pod.status?.phase).toBe('Running');
    }, WAIT);

    // Act
    const deletedAt = Date.now();
    await guarded.kube.kube.deleteNodeClaim(claim?.metadata.name ?? '');
    let keeperSeenAt = 0;
    await vi.waitFor(
      async () => {
        await guarded.pass();
        const { items: pods } = await guarded.core.listNamespacedPod({ namespace });
        const keeper = pods.find(
          ({ metadata }) => metadata?.name === 'keeper' && !metadata.deletionTimestamp,
        );
        if (keeper) keeperSeenAt = Date.now();
        expect(await guarded.claims()).toEqual([]);
      },
      { timeout: (GRACE_SECONDS + 30) * 1000, interval: 500 },
    );

    // Assess: held while the grace period ran, gone with the node after it
    const goneAt = Date.now();
    expect(keeperSeenAt - deletedAt).toBeGreaterThanOrEqual((GRACE_SECONDS - 2) * 1000);
    expect(goneAt - deletedAt).toBeGreaterThanOrEqual((GRACE_SECONDS - 1) * 1000);
    const { items } = await guarded.core.listNamespacedPod({ namespace });
    expect(items.map(({ metadata }) => metadata?.name)).not.toContain('keeper');
    expect(await guarded.instances()).toEqual([]);
  });
});
