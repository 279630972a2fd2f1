import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORTING_COMPONENT, ResourceTypes, type JsonObject } from '../../../lib/kube/index.ts';
import {
  budgetStatus,
  daemonSet,
  ec2NodeClass,
  node,
  nodePool,
  pod,
  podDisruptionBudget,
} from './fixtures.ts';
import { clientFor, clusterName, type ContractHarness, type HarnessFactory } from './harness.ts';

function metadataOf(object: JsonObject): { name: string; generation?: number } {
  return object['metadata'] as { name: string; generation?: number };
}

export function clusterContract(setup: HarnessFactory): void {
  describe('NodePools, Nodes, DaemonSets, budgets and EC2NodeClasses', () => {
    let harness: ContractHarness;
    const nodes: string[] = [];
    beforeAll(async () => {
      harness = await setup();
    });
    afterAll(async () => {
      for (const name of nodes) await harness.transport.delete(ResourceTypes.node, { name });
    });

    it('updates NodePool status without a new generation, while a spec change makes one', async () => {
      // Prepare
      const kube = clientFor(harness);
      const name = clusterName(harness, 'pool');
      const created = await harness.transport.create(ResourceTypes.nodePool, nodePool(name));

      // Act
      const updated = await kube.updateNodePoolStatus(name, (pool) => ({
        ...pool,
        status: { resources: { cpu: '4', nodes: '1' } },
      }));
      const respecified = await harness.transport.patch(
        ResourceTypes.nodePool,
        { name },
        { spec: { weight: 10 } },
      );

      // Assess
      expect(updated.status?.resources).toEqual({ cpu: '4', nodes: '1' });
      expect(updated.metadata.generation).toBe(metadataOf(created).generation);
      expect(metadataOf(respecified).generation).toBe((metadataOf(created).generation ?? 0) + 1);
    });

    it('changes a node’s labels, taints and schedulability', async () => {
      // Prepare
      const kube = clientFor(harness);
      const name = clusterName(harness, 'node');
      await harness.transport.create(ResourceTypes.node, node(name));
      nodes.push(name);
      const disrupted = { key: 'karpenter.sh/disrupted', effect: 'NoSchedule' as const };

      // Act
      const updated = await kube.updateNode(name, (current) => ({
        ...current,
        metadata: { ...current.metadata, labels: { 'karpenter.sh/registered': 'true' } },
        spec: {
          ...current.spec,
          unschedulable: true,
          taints: [...(current.spec?.taints ?? []), disrupted],
        },
      }));

      // Assess
      expect(updated.metadata.labels).toEqual({ 'karpenter.sh/registered': 'true' });
      expect(updated.spec?.unschedulable).toBe(true);
      expect(updated.spec?.taints?.map((taint) => taint.key)).toEqual([
        'skyscale.test/contract',
        'node.kubernetes.io/not-ready',
        'karpenter.sh/disrupted',
      ]);
      const listed = await kube.listNodes();
      expect(listed.items.find((item) => item.metadata.name === name)?.spec?.taints).toHaveLength(
        3,
      );
    });

    it('lists DaemonSets, PodDisruptionBudgets and EC2NodeClasses through their schemas', async () => {
      // Prepare
      const kube = clientFor(harness);
      const { namespace } = harness;
      const nodeClassName = clusterName(harness, 'class');
      await harness.transport.create(ResourceTypes.daemonSet, daemonSet(namespace, 'agent'));
      await harness.transport.create(
        ResourceTypes.podDisruptionBudget,
        podDisruptionBudget(namespace, 'web', { app: 'web' }),
      );
      await harness.transport.create(ResourceTypes.ec2NodeClass, ec2NodeClass(nodeClassName));

      // Act
      const [daemonSets, budgets, nodeClasses] = await Promise.all([
        kube.listDaemonSets(),
        kube.listPodDisruptionBudgets(),
        kube.listEC2NodeClasses(),
      ]);

      // Assess
      const inNamespace = <T extends { metadata: { namespace?: string | undefined } }>(
        items: readonly T[],
      ) => items.filter((item) => item.metadata.namespace === namespace);
      expect(
        inNamespace(daemonSets.items).map((item) => item.spec.template.spec.containers[0]?.name),
      ).toEqual(['agent']);
      expect(inNamespace(budgets.items).map((item) => item.spec.maxUnavailable)).toEqual([1]);
      expect(
        nodeClasses.items.find((item) => item.metadata.name === nodeClassName)?.spec.role,
      ).toBe('KarpenterNodeRole-contract');
    });
  });

  describe('Pods, evictions and events', () => {
    let harness: ContractHarness;
    beforeAll(async () => {
      harness = await setup();
    });

    async function runningPod(name: string, labels: Record<string, string>, ready = true) {
      const key = { namespace: harness.namespace, name };
      await harness.transport.create(
        ResourceTypes.pod,
        pod(harness.namespace, name, { labels, nodeName: clusterName(harness, 'absent-node') }),
      );
      const conditions = [{ type: 'Ready', status: ready ? 'True' : 'False' }];
      await harness.transport.patch(
        ResourceTypes.pod,
        key,
        { status: { phase: 'Running', conditions } },
        'status',
      );
      return key;
    }

    async function budget(name: string, app: string, disruptionsAllowed: number) {
      const created = await harness.transport.create(
        ResourceTypes.podDisruptionBudget,
        podDisruptionBudget(harness.namespace, name, { app }),
      );
      const key = { namespace: harness.namespace, name };
      await harness.transport.patch(
        ResourceTypes.podDisruptionBudget,
        key,
        { status: budgetStatus(metadataOf(created).generation ?? 1, disruptionsAllowed) },
        'status',
      );
      return key;
    }

    it('lists pods by namespace, by node and those no node runs yet', async () => {
      // Prepare
      const kube = clientFor(harness, { pageSize: 1 });
      const nodeName = clusterName(harness, 'listing-node');
      await harness.transport.create(ResourceTypes.pod, pod(harness.namespace, 'pending'));
      await harness.transport.create(
        ResourceTypes.pod,
        pod(harness.namespace, 'bound', { nodeName }),
      );

      // Act
      const inNamespace = await kube.listPods({ namespace: harness.namespace });
      const onNode = await kube.listPods({ nodeName });
      const unbound = await kube.listPods({ namespace: harness.namespace, unbound: true });

      // Assess
      expect(inNamespace.items.map((item) => item.metadata.name)).toEqual(
        expect.arrayContaining(['bound', 'pending']),
      );
      expect(onNode.items.map((item) => item.metadata.name)).toEqual(['bound']);
      expect(unbound.items.map((item) => item.metadata.name)).toContain('pending');
      expect(unbound.items.map((item) => item.metadata.name)).not.toContain('bound');
      expect(
        inNamespace.items.find((item) => item.metadata.name === 'pending')?.status?.phase,
      ).toBe('Pending');
    });

    it('deletes an unbound pod at once, a running pod gracefully unless told otherwise', async () => {
      // Prepare
      const kube = clientFor(harness);
      await harness.transport.create(ResourceTypes.pod, pod(harness.namespace, 'unbound'));
      const running = await runningPod('graceful', {});

      // Act
      await kube.deletePod({ namespace: harness.namespace, name: 'unbound' });
      await kube.deletePod(running);
      await kube.deletePod({ namespace: harness.namespace, name: 'never-existed' });

      // Assess
      const names = (await kube.listPods({ namespace: harness.namespace })).items.map(
        (item) => item.metadata.name,
      );
      expect(names).not.toContain('unbound');
      const terminating = await harness.transport.get(ResourceTypes.pod, running);
      expect(
        (terminating['metadata'] as { deletionTimestamp?: string }).deletionTimestamp,
      ).toBeTruthy();
      await kube.deletePod(running, { gracePeriodSeconds: 0 });
      const afterForce = (await kube.listPods({ namespace: harness.namespace })).items;
      expect(afterForce.map((item) => item.metadata.name)).not.toContain('graceful');
    });

    it('evicts through the Eviction API, honouring PodDisruptionBudgets', async () => {
      // Prepare
      const kube = clientFor(harness);
      const free = await runningPod('free', { app: 'free' });
      const guarded = await runningPod('guarded', { app: 'guarded' });
      const spare = await runningPod('spare', { app: 'spare' });
      const unready = await runningPod('unready-guarded', { app: 'guarded' }, false);
      await harness.transport.create(
        ResourceTypes.pod,
        pod(harness.namespace, 'pending-guarded', { labels: { app: 'guarded' } }),
      );
      await budget('guarded', 'guarded', 0);
      const spareBudget = await budget('spare', 'spare', 1);

      // Act
      const results = {
        free: await kube.evictPod(free),
        guarded: await kube.evictPod(guarded),
        spare: await kube.evictPod(spare),
        pendingGuarded: await kube.evictPod({
          namespace: harness.namespace,
          name: 'pending-guarded',
        }),
        unready: await kube.evictPod(unready),
        missing: await kube.evictPod({ namespace: harness.namespace, name: 'missing' }),
      };

      // Assess
      expect(results).toEqual({
        free: 'evicted',
        guarded: 'blocked',
        spare: 'evicted',
        pendingGuarded: 'evicted',
        unready: 'evicted',
        missing: 'not-found',
      });
      const guardedPod = await harness.transport.get(ResourceTypes.pod, guarded);
      expect(
        (guardedPod['metadata'] as { deletionTimestamp?: string }).deletionTimestamp,
      ).toBeUndefined();
      const spent = await harness.transport.get(ResourceTypes.podDisruptionBudget, spareBudget);
      expect((spent['status'] as { disruptionsAllowed: number }).disruptionsAllowed).toBe(0);
    });

    it('records events from component skyscale, cluster-scoped objects’ in namespace default', async () => {
      // Prepare
      const kube = clientFor(harness);
      const claimName = clusterName(harness, 'evented-claim');
      const podReference = {
        apiVersion: 'v1',
        kind: 'Pod',
        name: 'evented',
        namespace: harness.namespace,
      };
      const claimReference = { apiVersion: 'karpenter.sh/v1', kind: 'NodeClaim', name: claimName };

      // Act
      await kube.recordEvent({
        involvedObject: podReference,
        type: 'Normal',
        reason: 'Nominated',
        message: 'Pod should schedule on: nodeclaim/x',
      });
      await kube.recordEvent({
        involvedObject: claimReference,
        type: 'Warning',
        reason: 'InsufficientCapacity',
        message: 'all offerings unavailable',
      });

      // Assess
      const about = async (namespace: string, name: string) => {
        const { items } = await harness.transport.list(ResourceTypes.event, {
          namespace,
          limit: 500,
        });
        return items.filter((event) => (event['involvedObject'] as { name: string }).name === name);
      };
      expect(await about(harness.namespace, 'evented')).toEqual([
        expect.objectContaining({
          reason: 'Nominated',
          type: 'Normal',
          reportingComponent: REPORTING_COMPONENT,
          source: { component: REPORTING_COMPONENT },
        }),
      ]);
      expect(await about('default', claimName)).toEqual([
        expect.objectContaining({
          reason: 'InsufficientCapacity',
          type: 'Warning',
          message: 'all offerings unavailable',
          count: 1,
        }),
      ]);
    });
  });
}
