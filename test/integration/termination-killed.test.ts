/**
 * A termination run killed before each of its writes (to the apiserver or to EC2), on a real
 * Node, is completed by the runs after it: the Node, the NodeClaim and the instance all go.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { isConditionTrue, NodeClaimConditionTypes, type NodeClaim } from '../../lib/apis/index.ts';
import {
  loadLifecycleView,
  runTermination,
  type LifecycleDeps,
} from '../../lib/lifecycle/index.ts';
import { runProvisioning } from '../../lib/provisioning/index.ts';
import { createTestNamespace, resetAws } from '../env/index.ts';
import { recordingRunLogger } from '../fixtures/recording-run-logger.ts';
import { createLifecycleWorld, type LifecycleWorld } from './lifecycle-fixtures.ts';
import { createPendingPods, waitUntilUnschedulable } from './provisioning-fixtures.ts';

/** More than the writes terminating one node takes, so every kill point is reached. */
const NODES = 11;
const WAIT = { timeout: 45_000, interval: 250 };
const KUBE_WRITE = /^(create|update|delete|evict)/;
const CLOUD_WRITE = /^(create|delete)$/;

interface KillSwitch {
  /** The write (1-based, counted across passes) the process dies before. */
  readonly killBefore: number;
  writes: number;
  killedAt?: string;
}

class Killed extends Error {}

/** `target` whose methods fail once the switch has killed the process, and kill it at its write. */
function killable<T extends object>(target: T, isWrite: RegExp, kill: KillSwitch): T {
  return new Proxy(target, {
    get(object, property) {
      const value: unknown = Reflect.get(object, property, object);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        if (kill.killedAt !== undefined) throw new Killed('the process is gone');
        if (isWrite.test(String(property)) && ++kill.writes === kill.killBefore) {
          kill.killedAt = String(property);
          throw new Killed(`killed before ${kill.killedAt}`);
        }
        return (value as (...parameters: unknown[]) => unknown).apply(object, args);
      };
    },
  });
}

describe('a termination run killed at each step', { timeout: 300_000 }, () => {
  let world: LifecycleWorld;
  let claims: NodeClaim[];
  const logger = recordingRunLogger();

  async function terminationPass(deps: LifecycleDeps): Promise<void> {
    await runTermination(deps, await loadLifecycleView(deps.kube));
  }

  beforeAll(async () => {
    await resetAws();
    const namespace = await createTestNamespace('killed');
    world = await createLifecycleWorld({ pool: 'termination-killed', logger, bootDelayMs: 500 });
    const pods = await createPendingPods(world, namespace, world.pool, {
      prefix: 'victim',
      count: NODES,
      cpu: '500m',
      onePerNode: true,
    });
    await waitUntilUnschedulable(world, namespace, pods);
    await runProvisioning(world.deps('victims'));
    claims = await vi.waitFor(async () => {
      await world.pass();
      const ready = (await world.claims()).filter((claim) =>
        isConditionTrue(claim.status?.conditions, NodeClaimConditionTypes.initialized),
      );
      if (ready.length < NODES) throw new Error(`${ready.length}/${NODES} initialized`);
      return ready;
    }, WAIT);
    // Earlier test files' nodes and claims still being deleted finish first, so every counted
    // write is this file's
    await vi.waitFor(async () => {
      await world.pass();
      const [nodes, nodeClaims] = await Promise.all([
        world.kube.kube.listNodes(),
        world.kube.kube.listNodeClaims(),
      ]);
      const deleting = [...nodes.items, ...nodeClaims.items].filter(
        ({ metadata }) => metadata.deletionTimestamp !== undefined,
      );
      expect(deleting.map(({ metadata }) => metadata.name)).toEqual([]);
    }, WAIT);
    // Each node has its pod to evict
    await vi.waitFor(async () => {
      const { items } = await world.core.listNamespacedPod({ namespace });
      expect(items.filter((pod) => pod.status?.phase === 'Running')).toHaveLength(NODES);
    }, WAIT);
  });

  afterAll(async () => {
    await world.stop();
  });

  it('converges after a kill before any of its writes', async () => {
    const killPoints: string[] = [];
    for (const [index, claim] of claims.entries()) {
      // Prepare
      const name = claim.metadata.name ?? '';
      const nodeName = claim.status?.nodeName ?? '';
      const instanceId = claim.status?.providerID?.split('/').at(-1);
      const kill: KillSwitch = { killBefore: index + 1, writes: 0 };
      const clean = world.lifecycleDeps();
      const doomed = {
        ...clean,
        kube: killable(clean.kube, KUBE_WRITE, kill),
        cloud: killable(clean.cloud, CLOUD_WRITE, kill),
      };
      await world.kube.kube.deleteNodeClaim(name);

      // Act: passes of the doomed process until it dies (or finishes), then clean passes
      await vi.waitFor(async () => {
        await terminationPass(doomed).catch((error: unknown) => {
          if (!(error instanceof Killed)) throw error;
        });
        const gone = !(await world.claims()).some(({ metadata }) => metadata.name === name);
        if (kill.killedAt === undefined && !gone) throw new Error('not killed yet');
      }, WAIT);
      await vi.waitFor(async () => {
        await terminationPass(clean);
        expect((await world.claims()).map(({ metadata }) => metadata.name)).not.toContain(name);
      }, WAIT);

      // Assess
      const { items: nodes } = await world.core.listNode();
      expect(nodes.map(({ metadata }) => metadata?.name)).not.toContain(nodeName);
      const live = (await world.instances()).map(({ InstanceId }) => InstanceId);
      expect(live).not.toContain(instanceId);
      if (kill.killedAt === undefined) break;
      killPoints.push(kill.killedAt);
    }
    // Every write of a node's termination was a kill point once; the last claim ran unkilled
    expect(killPoints).toEqual(
      expect.arrayContaining(['deleteNode', 'updateNode', 'evictPod', 'delete', 'updateNodeClaim']),
    );
    expect(killPoints.length).toBeLessThan(NODES);
  });
});
