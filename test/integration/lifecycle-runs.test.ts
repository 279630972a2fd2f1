/**
 * The lifecycle, termination and garbage-collection runs on real Nodes: kube-apiserver,
 * kube-scheduler, kube-controller-manager, KWOK and moto, with the node registrar as the booting
 * instances.
 */
import { RunInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import {
  isConditionTrue,
  Labels,
  NodeClaimConditionTypes,
  Taints,
  TERMINATION_FINALIZER,
  type NodeClaim,
} from '../../lib/apis/index.ts';
import { clusterTags, NODECLAIM_TAG } from '../../lib/cloudprovider/aws/tags.ts';
import { collectGarbage, LEAKED_INSTANCE_GRACE_MS } from '../../lib/lifecycle/index.ts';
import { runProvisioning } from '../../lib/provisioning/index.ts';
import { createTestNamespace, resetAws } from '../env/index.ts';
import { recordingRunLogger } from '../fixtures/recording-run-logger.ts';
import { clockAhead, createLifecycleWorld, type LifecycleWorld } from './lifecycle-fixtures.ts';
import {
  createPendingPods,
  deleteTestPods,
  waitUntilUnschedulable,
} from './provisioning-fixtures.ts';

const WAIT = { timeout: 45_000, interval: 500 };
/** A provisioning run against moto takes about 10 s on the shared 2-core machine. */
const TEST_TIMEOUT_MS = 120_000;

function conditionTrue(claim: NodeClaim | undefined, type: string): boolean {
  return isConditionTrue(claim?.status?.conditions, type);
}

describe(
  'the lifecycle, termination and garbage-collection runs against real kubelets',
  { timeout: TEST_TIMEOUT_MS },
  () => {
    let world: LifecycleWorld;
    let neverRegisters: LifecycleWorld;
    let namespace: string;
    const logger = recordingRunLogger();

    /** Pending pods of `pool` that kube-scheduler has marked Unschedulable, then a provisioning run. */
    async function provision(target: LifecycleWorld, prefix: string, count: number): Promise<void> {
      const names = await createPendingPods(target, namespace, target.pool, {
        prefix,
        count,
        cpu: '500m',
        onePerNode: true,
      });
      await waitUntilUnschedulable(target, namespace, names);
      await runProvisioning(target.deps(`provision-${prefix}`));
    }

    /** Passes until the pool's claims named `names` are all Initialized. */
    async function initialized(target: LifecycleWorld, count: number): Promise<NodeClaim[]> {
      return vi.waitFor(async () => {
        await target.pass();
        const claims = (await target.claims()).filter((claim) => !claim.metadata.deletionTimestamp);
        const ready = claims.filter((claim) =>
          conditionTrue(claim, NodeClaimConditionTypes.initialized),
        );
        if (ready.length < count) throw new Error(`${ready.length}/${count} claims initialized`);
        return ready;
      }, WAIT);
    }

    beforeAll(async () => {
      await resetAws();
      namespace = await createTestNamespace('lifecycle');
      world = await createLifecycleWorld({ pool: 'lifecycle-runs', logger, bootDelayMs: 1_000 });
      neverRegisters = await createLifecycleWorld({ pool: 'lifecycle-unborn', logger });
    });

    afterAll(async () => {
      await deleteTestPods(world, namespace);
      await world.stop();
      await neverRegisters.stop();
    });

    it('launch → register → initialize: the claims and their Nodes are synced and the pods run on them', async () => {
      // Act: two pods that will not share a node
      await provision(world, 'first', 2);
      const claims = await initialized(world, 2);

      // Assess
      const nodes = await Promise.all(claims.map((claim) => world.nodeOf(claim)));
      for (const [index, claim] of claims.entries()) {
        const node = nodes[index];
        expect(conditionTrue(claim, NodeClaimConditionTypes.registered)).toBe(true);
        expect(claim.status?.nodeName).toBe(node?.metadata.name);
        expect(node?.metadata.labels).toMatchObject({
          [Labels.registered]: 'true',
          [Labels.initialized]: 'true',
          [Labels.nodePool]: world.pool,
        });
        expect(node?.metadata.finalizers).toContain(TERMINATION_FINALIZER);
        expect(node?.spec?.taints?.map(({ key }) => key)).not.toContain(Taints.unregistered.key);
      }
      await vi.waitFor(async () => {
        const { items } = await world.core.listNamespacedPod({ namespace });
        const placed = items
          .filter(({ metadata }) => metadata?.name?.startsWith('first-'))
          .map((pod) => [pod.spec?.nodeName, pod.status?.phase]);
        expect(placed.toSorted()).toEqual(
          nodes.map((node) => [node?.metadata.name, 'Running']).toSorted(),
        );
      }, WAIT);
    });

    it('replaces a claim whose node never registers once the registration TTL has passed', async () => {
      // Prepare
      await provision(neverRegisters, 'unborn', 1);
      const [first] = await neverRegisters.claims();
      const [firstInstance] = await neverRegisters.instances();
      expect(first?.status?.providerID).toContain(firstInstance?.InstanceId);

      // Act: a 3 s TTL instead of 15 minutes; then the safety-net provisioning pass
      await vi.waitFor(async () => {
        await neverRegisters.pass({ registrationTtlMs: 3_000 });
        expect(await neverRegisters.claims()).toEqual([]);
      }, WAIT);
      await runProvisioning(neverRegisters.deps('safety-net'));

      // Assess
      const [replacement, ...others] = await neverRegisters.claims();
      expect(others).toEqual([]);
      expect(replacement?.metadata.name).not.toBe(first?.metadata.name);
      expect(conditionTrue(replacement, NodeClaimConditionTypes.launched)).toBe(true);
      const live = await neverRegisters.instances();
      expect(live.map(({ InstanceId }) => InstanceId)).not.toContain(firstInstance?.InstanceId);
      expect(live).toHaveLength(1);
    });

    it('kubectl delete node: the claim is deleted, the instance terminated, both objects gone', async () => {
      // Prepare: one of the two initialized claims
      const [doomed] = await world.claims();
      const nodeName = doomed?.status?.nodeName ?? '';
      const instanceId = doomed?.status?.providerID?.split('/').at(-1);

      // Act
      await world.core.deleteNode({ name: nodeName });
      await vi.waitFor(async () => {
        const pass = await world.pass();
        const names = (await world.claims()).map(({ metadata }) => metadata.name);
        expect(names, JSON.stringify(pass.termination)).not.toContain(doomed?.metadata.name);
      }, WAIT);

      // Assess
      const { items: nodes } = await world.core.listNode();
      expect(nodes.map(({ metadata }) => metadata?.name)).not.toContain(nodeName);
      const running = await world.instances(['pending', 'running']);
      expect(running.map(({ InstanceId }) => InstanceId)).not.toContain(instanceId);
    });

    it('collects a leaked instance and deletes a registered claim whose instance is gone', async () => {
      // Prepare: an instance tagged for the cluster whose NodeClaim never existed
      const image = (await world.instances())[0]?.ImageId;
      const leaked = await world.ec2.send(
        new RunInstancesCommand({
          ImageId: image,
          MinCount: 1,
          MaxCount: 1,
          InstanceType: 'm5.large',
          TagSpecifications: [
            {
              ResourceType: 'instance',
              Tags: Object.entries({
                ...clusterTags(world.pool),
                [NODECLAIM_TAG]: 'never-existed',
                [Labels.nodePool]: world.pool,
              }).map(([Key, Value]) => ({ Key, Value })),
            },
          ],
        }),
      );
      const leakedId = leaked.Instances?.[0]?.InstanceId;
      // ...and a registered claim whose instance the cloud reclaimed
      const [reclaimed] = (await world.claims()).filter((claim) =>
        conditionTrue(claim, NodeClaimConditionTypes.registered),
      );
      const reclaimedId = reclaimed?.status?.providerID?.split('/').at(-1) ?? '';
      await world.ec2.send(new TerminateInstancesCommand({ InstanceIds: [reclaimedId] }));

      // Act: as if the leaked instance were older than the grace period
      const deps = world.lifecycleDeps();
      const result = await collectGarbage({
        ...deps,
        clock: clockAhead(deps.clock, LEAKED_INSTANCE_GRACE_MS + 1_000),
      });

      // Assess
      expect(result.failures).toEqual([]);
      expect(result.instancesTerminated).toEqual([leakedId]);
      // Claims of earlier test files lost their instances to the moto reset, and go too
      const ownDeleted = result.nodeClaimsDeleted.filter((name) => name.startsWith(world.pool));
      expect(ownDeleted).toEqual([reclaimed?.metadata.name]);
      const live = await world.instances();
      expect(live.map(({ InstanceId }) => InstanceId)).not.toContain(leakedId);
      await vi.waitFor(async () => {
        await world.pass();
        const names = (await world.claims()).map(({ metadata }) => metadata.name);
        expect(names).not.toContain(reclaimed?.metadata.name);
      }, WAIT);
    });
  },
);
