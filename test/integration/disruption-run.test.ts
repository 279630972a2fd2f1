/**
 * The disruption run against the real kube-apiserver (KWOK nodes, kube-controller-manager) and
 * moto: a drifted node replaced end to end, an empty node removed, a budget of one holding a
 * drift rollout to one node at a time, commands whose run died resumed by the next runs (after
 * EC2 launched the replacement: the launch recorded and the node replaced; after the taint,
 * before the replacement existed: rolled back, then started again), and an underutilized
 * two-node cluster consolidated onto one node.
 */
import {
  AppsV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  findCondition,
  isConditionTrue,
  NodeClaimConditionTypes,
  type NodeClaim,
} from '../../lib/apis/index.ts';
import type { KubeClients } from '../../lib/kube/index.ts';
import { runProvisioning } from '../../lib/provisioning/index.ts';
import { runDisruption } from '../../lib/tick/index.ts';
import { createTestNamespace, kubeConfigYaml, resetAws } from '../env/index.ts';
import { KilledAfterLaunch } from '../fixtures/crashing-cloud.ts';
import { recordingRunLogger } from '../fixtures/recording-run-logger.ts';
import { createLifecycleWorld, type LifecycleWorld } from './lifecycle-fixtures.ts';
import {
  createPendingPods,
  deleteTestPods,
  POOL_LABEL,
  waitUntilUnschedulable,
} from './provisioning-fixtures.ts';

const WAIT = { timeout: 60_000, interval: 500 };

const MERGE_PATCH = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

describe(
  'the disruption run on the real kube-apiserver, KWOK and moto',
  { timeout: 240_000 },
  () => {
    let world: LifecycleWorld;
    let namespace: string;
    let custom: CustomObjectsApi;
    let apps: AppsV1Api;
    const logger = recordingRunLogger();

    async function patchNodePool(patch: object): Promise<void> {
      await custom.patchClusterCustomObject(
        {
          group: 'karpenter.sh',
          version: 'v1',
          plural: 'nodepools',
          name: world.pool,
          body: patch,
        },
        MERGE_PATCH,
      );
    }

    function initialized(claims: NodeClaim[]): NodeClaim[] {
      return claims.filter(
        (claim) =>
          !claim.metadata.deletionTimestamp &&
          isConditionTrue(claim.status?.conditions, NodeClaimConditionTypes.initialized),
      );
    }

    /** `count` initialized claims, one pod of `prefix` on each (the pods are deleted again when `empty`). */
    async function initializedClaims(
      prefix: string,
      count: number,
      empty = false,
    ): Promise<NodeClaim[]> {
      const names = await createPendingPods(world, namespace, world.pool, {
        prefix,
        count,
        cpu: '500m',
        onePerNode: true,
      });
      await waitUntilUnschedulable(world, namespace, names);
      await runProvisioning(world.deps(`seed-${prefix}`));
      const claims = await vi.waitFor(async () => {
        await world.pass();
        const ready = initialized(await world.claims());
        if (ready.length < count) throw new Error(`${ready.length}/${count} initialized`);
        return ready;
      }, WAIT);
      if (empty)
        for (const name of names)
          await world.core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 0 });
      return claims;
    }

    /** Deletes every claim of the pool and waits until termination is done with them. */
    async function clearPool(): Promise<void> {
      await deleteTestPods(world, namespace);
      for (const claim of await world.claims())
        await world.kube.kube.deleteNodeClaim(claim.metadata.name ?? '');
      await vi.waitFor(async () => {
        await world.pass();
        if ((await world.claims()).length > 0) throw new Error('claims remain');
      }, WAIT);
    }

    beforeAll(async () => {
      await resetAws();
      namespace = await createTestNamespace('disruption');
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromString(kubeConfigYaml());
      custom = kubeConfig.makeApiClient(CustomObjectsApi);
      apps = kubeConfig.makeApiClient(AppsV1Api);
      world = await createLifecycleWorld({ pool: 'disruption', logger, bootDelayMs: 500 });
    });

    /** A Deployment of one small pod. */
    async function smallDeployment(name: string): Promise<void> {
      const labels = { app: name };
      await apps.createNamespacedDeployment({
        namespace,
        body: {
          metadata: { name },
          spec: {
            replicas: 1,
            selector: { matchLabels: labels },
            template: {
              metadata: { labels },
              spec: {
                nodeSelector: { [POOL_LABEL]: world.pool },
                tolerations: [{ key: POOL_LABEL, operator: 'Exists', effect: 'NoSchedule' }],
                terminationGracePeriodSeconds: 0,
                containers: [
                  {
                    name: 'app',
                    image: 'registry.k8s.io/pause:3.10',
                    resources: { requests: { cpu: '100m', memory: '128Mi' } },
                  },
                ],
              },
            },
          },
        },
      });
    }

    async function cordon(nodeName: string, unschedulable: boolean): Promise<void> {
      await world.core.patchNode(
        { name: nodeName, body: { spec: { unschedulable } } },
        MERGE_PATCH,
      );
    }

    /** Waits until the Deployment's `count` pods are bound, and gives the nodes they are on. */
    async function boundTo(name: string, count: number): Promise<Set<string>> {
      return vi.waitFor(async () => {
        const pods = await deploymentPods(name);
        if (pods.length < count || pods.some(({ node }) => node === undefined))
          throw new Error('a pod is not bound yet');
        return new Set(pods.flatMap(({ node }) => (node ? [node] : [])));
      }, WAIT);
    }

    /** The Deployment's pods that are not deleting, with the node each is bound to. */
    async function deploymentPods(name: string): Promise<{ name: string; node?: string }[]> {
      const pods = await world.core.listNamespacedPod({ namespace, labelSelector: `app=${name}` });
      return pods.items
        .filter(({ metadata }) => !metadata?.deletionTimestamp)
        .map(({ metadata, spec }) => ({
          name: metadata?.name ?? '',
          ...(spec?.nodeName && { node: spec.nodeName }),
        }));
    }

    afterAll(async () => {
      await clearPool();
      await world.stop();
    });

    it('removes an empty node: Consolidatable, tainted, deleted, drained and its instance terminated', async () => {
      // Prepare
      const [claim] = await initializedClaims('empty', 1, true);
      const name = claim?.metadata.name ?? '';
      // A fresh node matches its class's AMI, subnets and security groups.
      const cloudDrift = claim && (await world.cloud().isDrifted(claim));

      // Act
      const result = await runDisruption(world.deps('disrupt-empty'));
      await vi.waitFor(async () => {
        await world.pass();
        if (await world.kube.kube.getNodeClaim(name)) throw new Error('the claim remains');
      }, WAIT);

      // Assess
      expect(cloudDrift).toBeUndefined();
      expect(result.commands[0]).toMatchObject({ reason: 'Empty' });
      expect(result.commands[0]?.deleted).toContain(name);
      const instances = await world.instances(['shutting-down', 'terminated']);
      expect(instances.map(({ InstanceId }) => InstanceId)).toContain(
        claim?.status?.providerID?.split('/').at(-1),
      );
    });

    it('replaces a drifted node: the replacement is initialized before the old node is deleted', async () => {
      // Prepare
      const [claim] = await initializedClaims('drift', 1);
      const name = claim?.metadata.name ?? '';
      await patchNodePool({
        spec: { template: { metadata: { labels: { 'skyscale.test/revision': '2' } } } },
      });

      // Act
      const started = await runDisruption(world.deps('disrupt-drift'));
      const replacement = started.commands[0]?.replacements[0] ?? '';
      const finished = await vi.waitFor(async () => {
        await world.pass();
        const result = await runDisruption(world.deps('disrupt-drift-resume'));
        if (!result.orchestration?.deleted.includes(name))
          throw new Error('the candidate was not deleted yet');
        return result;
      }, WAIT);

      // Assess
      expect(started.commands[0]).toMatchObject({
        reason: 'Drifted',
        candidates: [name],
        deleted: [],
      });
      const old = await world.kube.kube.getNodeClaim(name);
      expect(findCondition(old?.status?.conditions, 'Drifted')).toMatchObject({
        status: 'True',
        reason: 'NodePoolDrifted',
      });
      expect(findCondition(old?.status?.conditions, 'DisruptionReason')).toMatchObject({
        reason: 'Drifted',
      });
      const fresh = await world.kube.kube.getNodeClaim(replacement);
      expect(isConditionTrue(fresh?.status?.conditions, NodeClaimConditionTypes.initialized)).toBe(
        true,
      );
      expect(fresh?.metadata.labels?.['skyscale.test/revision']).toBe('2');
      expect(finished.orchestration?.deleted).toEqual([name]);
      await clearPool();
    });

    it('holds a drift rollout to one node at a time under a budget of 1', async () => {
      // Prepare
      await patchNodePool({ spec: { disruption: { budgets: [{ nodes: '1' }] } } });
      const claims = await initializedClaims('budget', 3);
      await patchNodePool({
        spec: { template: { metadata: { labels: { 'skyscale.test/revision': '3' } } } },
      });

      const original = new Set(claims.map(({ metadata }) => metadata.name ?? ''));
      /** Claims of the pool out of service: a command's candidates, and claims deleting. */
      const disrupting = async () =>
        (await world.claims()).filter(
          (claim) =>
            claim.metadata.deletionTimestamp !== undefined ||
            isConditionTrue(claim.status?.conditions, NodeClaimConditionTypes.disruptionReason),
        );

      // Act: a run, one while the first node is being replaced, then runs until it is gone
      const first = await runDisruption(world.deps('disrupt-budget-1'));
      const second = await runDisruption(world.deps('disrupt-budget-2'));
      const whileReplacing = await disrupting();
      const next = await vi.waitFor(async () => {
        await world.pass();
        const result = await runDisruption(world.deps('disrupt-budget-next'));
        if (result.commands.length === 0) throw new Error('no next command yet');
        return result;
      }, WAIT);
      const afterNext = await disrupting();

      // Assess
      const firstCandidate = first.commands[0]?.candidates[0] ?? '';
      expect(first.commands).toHaveLength(1);
      expect(original).toContain(firstCandidate);
      expect(second.commands).toEqual([]);
      expect(whileReplacing.map(({ metadata }) => metadata.name)).toEqual([firstCandidate]);
      expect(await world.kube.kube.getNodeClaim(firstCandidate)).toBeUndefined();
      expect(next.commands).toHaveLength(1);
      // The next command's candidate may be an original node or the first one's replacement, which
      // its evicted bare pod left empty; it may even be gone already. Never two at once.
      expect(afterNext.length).toBeLessThanOrEqual(1);
      for (const { metadata } of afterNext)
        expect(next.commands[0]?.candidates).toContain(metadata.name);
      await clearPool();
    });

    it('launches a replacement whose run died once EC2 had started its instance, then replaces the node', async () => {
      // Prepare: the run dies after EC2 launched the replacement, before recording the launch.
      await patchNodePool({ spec: { disruption: { budgets: [{ nodes: '10%' }] } } });
      const [claim] = await initializedClaims('unrecorded', 1);
      const name = claim?.metadata.name ?? '';
      await patchNodePool({
        spec: { template: { metadata: { labels: { 'skyscale.test/revision': '5' } } } },
      });
      const base = world.deps('disrupt-unrecorded');
      const dying = new KilledAfterLaunch(base.cloud);
      const killed = await runDisruption({ ...base, cloud: dying });
      const replacement = killed.commands[0]?.replacements[0] ?? '';

      // Act
      const finished = await vi.waitFor(async () => {
        await world.pass();
        const result = await runDisruption(world.deps('disrupt-after-unrecorded'));
        if (!result.orchestration?.deleted.includes(name))
          throw new Error('the candidate was not deleted yet');
        return result;
      }, WAIT);

      // Assess
      expect(killed.commands[0]?.failures).toHaveLength(1);
      const launched = await world.kube.kube.getNodeClaim(replacement);
      expect(launched?.status?.providerID).toBe(dying.launched[0]);
      expect(
        isConditionTrue(launched?.status?.conditions, NodeClaimConditionTypes.initialized),
      ).toBe(true);
      expect(finished.orchestration?.deleted).toEqual([name]);
      await clearPool();
    });

    it('rolls back a command whose run died before creating its replacement, then starts it again', async () => {
      // Prepare: the run dies on creating the replacement, after marking the candidate.
      await patchNodePool({ spec: { disruption: { budgets: [{ nodes: '10%' }] } } });
      const [claim] = await initializedClaims('killed', 1);
      const name = claim?.metadata.name ?? '';
      await patchNodePool({
        spec: { template: { metadata: { labels: { 'skyscale.test/revision': '4' } } } },
      });
      const base = world.deps('disrupt-killed');
      const real = base.kube.kube;
      const dying: KubeClients = {
        ...base.kube,
        runLock: base.kube.runLock.bind(base.kube),
        kube: new Proxy(real, {
          get: (target, property, receiver) =>
            property === 'createNodeClaim'
              ? () => Promise.reject(new Error('the invocation was killed'))
              : (Reflect.get(target, property, receiver) as unknown),
        }),
      };
      const killed = await runDisruption({ ...base, kube: dying });

      // Act
      const resumed = await runDisruption(world.deps('disrupt-after-kill'));

      // Assess
      expect(killed.commands[0]?.replacements).toEqual([]);
      expect(resumed.orchestration?.rolledBack).toEqual([
        { name, reason: '1 of its 1 replacement(s) do not exist' },
      ]);
      expect(resumed.commands[0]).toMatchObject({ reason: 'Drifted', candidates: [name] });
      expect(resumed.commands[0]?.replacements).toHaveLength(1);
    });

    it('consolidates an underutilized two-node cluster onto one node, one node at a time, every pod placed', async () => {
      // Prepare: two nodes, and a Deployment's two small pods, one on each (the other node
      // cordoned while each is placed), once the pods the nodes were launched for are gone.
      await clearPool();
      await patchNodePool({ spec: { disruption: { budgets: [{ nodes: '1' }] } } });
      const seeds = await initializedClaims('under', 2);
      const [first, second] = seeds.map(({ status }) => status?.nodeName ?? '');
      await cordon(second ?? '', true);
      await smallDeployment('small');
      await boundTo('small', 1);
      await cordon(second ?? '', false);
      await cordon(first ?? '', true);
      await apps.patchNamespacedDeployment(
        { name: 'small', namespace, body: { spec: { replicas: 2 } } },
        MERGE_PATCH,
      );
      const spread = await boundTo('small', 2);
      await cordon(first ?? '', false);
      for (const index of [0, 1])
        await world.core.deleteNamespacedPod({
          name: `under-${index}`,
          namespace,
          gracePeriodSeconds: 0,
        });

      // Act
      const result = await runDisruption(world.deps('consolidate'));
      const remaining = await vi.waitFor(async () => {
        await world.pass();
        const claims = await world.claims();
        if (claims.length > 1) throw new Error(`${claims.length} claims remain`);
        const pods = await deploymentPods('small');
        if (pods.length < 2 || pods.some(({ node }) => node === undefined))
          throw new Error('a pod waits for a node');
        return { claims, pods };
      }, WAIT);

      // Assess
      expect(spread.size).toBe(2);
      const [command, ...more] = result.commands;
      expect(more).toEqual([]);
      expect(command).toMatchObject({ reason: 'Underutilized', replacements: [] });
      expect(command?.candidates).toHaveLength(1);
      expect(seeds.map(({ metadata }) => metadata.name)).toContain(command?.candidates[0]);
      expect(command?.deleted).toEqual(command?.candidates);
      const [survivor] = remaining.claims;
      expect(survivor?.metadata.name).not.toBe(command?.candidates[0]);
      expect(new Set(remaining.pods.map(({ node }) => node))).toEqual(
        new Set([survivor?.status?.nodeName]),
      );
      await apps.deleteNamespacedDeployment({ name: 'small', namespace });
    });
  },
);
