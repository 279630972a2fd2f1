import { beforeEach, describe, expect, it } from 'vitest';
import {
  Annotations,
  EC2NODECLASS_HASH_VERSION,
  ec2NodeClassHash,
  setCondition,
  type EC2NodeClass,
} from '../../../lib/apis/index.ts';
import {
  NODE_CLASS_FINALIZER,
  STATUS_CHECKED_ANNOTATION,
  STATUS_RECHECK_MARK_MS,
  type NodeClassReconciliation,
} from '../../../lib/cloudprovider/index.ts';
import { ResourceTypes } from '../../../lib/kube/index.ts';
import { runLifecycle, loadLifecycleView, runNodeClasses } from '../../../lib/lifecycle/index.ts';
import { runProvisioning } from '../../../lib/provisioning/index.ts';
import { DelegatingCloud } from '../../fixtures/crashing-cloud.ts';
import { NODE_CLASS_NAME } from '../provisioning/memory-environment.ts';
import { LifecycleEnvironment, NODE_POOL } from './lifecycle-environment.ts';

/** The simulated cloud, except that the class's subnets resolve to nothing while `missing` is set. */
class SubnetlessCloud extends DelegatingCloud {
  missing = true;

  override async reconcileNodeClass(nodeClass: EC2NodeClass): Promise<NodeClassReconciliation> {
    const found = await this.inner.reconcileNodeClass(nodeClass);
    if (!this.missing) return found;
    return {
      resolved: { ...found.resolved, subnets: [] },
      problems: {
        SubnetsReady: { reason: 'SubnetsNotFound', message: 'no subnet matches the selector' },
      },
    };
  }
}

describe('the EC2NodeClass controller', () => {
  let env: LifecycleEnvironment;
  const read = async (): Promise<EC2NodeClass> =>
    (await env.kube.kube.listEC2NodeClasses()).items[0] as EC2NodeClass;

  beforeEach(async () => {
    env = new LifecycleEnvironment();
    await env.setUp({ reconcileNodeClass: false });
  });

  it('adds the finalizer and writes the resolved status with every condition True and the current generation', async () => {
    // Act
    const result = await runNodeClasses(env.lifecycleDeps());

    // Assess
    const nodeClass = await read();
    expect(result.ready).toEqual([NODE_CLASS_NAME]);
    expect(result.statusWritten).toEqual([NODE_CLASS_NAME]);
    expect(nodeClass.metadata.finalizers).toContain(NODE_CLASS_FINALIZER);
    expect(nodeClass.status?.subnets?.length).toBeGreaterThan(0);
    expect(nodeClass.status?.amis?.length).toBe(1);
    expect(nodeClass.status?.instanceProfile).toBe('KarpenterNodeRole-unit');
    expect(nodeClass.status?.conditions?.map(({ type, status }) => `${type}=${status}`)).toEqual([
      'SubnetsReady=True',
      'SecurityGroupsReady=True',
      'AMIsReady=True',
      'InstanceProfileReady=True',
      'CapacityReservationsReady=True',
      'ValidationSucceeded=True',
      'Ready=True',
    ]);
    expect(
      nodeClass.status?.conditions?.every(
        ({ observedGeneration }) => observedGeneration === nodeClass.metadata.generation,
      ),
    ).toBe(true);
    expect(nodeClass.metadata.annotations?.[STATUS_CHECKED_ANNOTATION]).toBe(
      '2026-01-01T00:00:00Z',
    );
  });

  it('writes nothing when nothing changed, and only moves the check mark once it is old', async () => {
    // Prepare
    await runNodeClasses(env.lifecycleDeps());
    const first = await read();
    await env.clock.advance(60_000);

    // Act
    const again = await runNodeClasses(env.lifecycleDeps());
    const unchanged = await read();
    await env.clock.advance(STATUS_RECHECK_MARK_MS);
    await runNodeClasses(env.lifecycleDeps());
    const marked = await read();

    // Assess
    expect(again.statusWritten).toEqual([]);
    expect(unchanged.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    expect(marked.status).toEqual(first.status);
    expect(marked.metadata.annotations?.[STATUS_CHECKED_ANNOTATION]).toBe('2026-01-01T00:06:00Z');
  });

  it('reports a class whose subnets vanished NotReady, keeps the unchanged conditions’ transition times, and puts the reason on its NodePools with an event', async () => {
    // Prepare
    await runNodeClasses(env.lifecycleDeps());
    const before = await read();
    await env.clock.advance(120_000);
    const cloud = new SubnetlessCloud(env.cloud);

    // Act
    const result = await runNodeClasses({ ...env.lifecycleDeps(), cloud });
    await runLifecycle(env.lifecycleDeps(), await loadLifecycleView(env.kube.kube));
    await runLifecycle(env.lifecycleDeps(), await loadLifecycleView(env.kube.kube));

    // Assess
    const after = await read();
    const condition = (nodeClass: EC2NodeClass, type: string) =>
      nodeClass.status?.conditions?.find((entry) => entry.type === type);
    expect(result.notReady).toEqual([
      { name: NODE_CLASS_NAME, reason: 'SubnetsReady: no subnet matches the selector' },
    ]);
    expect(condition(after, 'SubnetsReady')).toMatchObject({
      status: 'False',
      reason: 'SubnetsNotFound',
      lastTransitionTime: '2026-01-01T00:02:00Z',
    });
    expect(condition(after, 'AMIsReady')?.lastTransitionTime).toBe(
      condition(before, 'AMIsReady')?.lastTransitionTime,
    );
    expect(condition(after, 'Ready')).toMatchObject({
      status: 'False',
      reason: 'UnhealthyDependents',
      message: 'SubnetsReady=False, ValidationSucceeded=False',
    });
    const nodePool = (await env.kube.kube.listNodePools()).items.find(
      ({ metadata }) => metadata.name === NODE_POOL,
    );
    expect(
      nodePool?.status?.conditions?.find(({ type }) => type === 'NodeClassReady'),
    ).toMatchObject({
      status: 'False',
      reason: 'UnhealthyDependents',
      message: 'SubnetsReady=False, ValidationSucceeded=False',
    });
    const events = (await env.events()).filter(({ reason }) => reason === 'NodeClassNotReady');
    expect(events).toHaveLength(1);
    expect(events[0]?.involvedObject).toMatchObject({ kind: 'NodePool', name: NODE_POOL });
  });

  it('blocks launches of a NodeClaim whose class is NotReady', async () => {
    // Prepare: the simulated cloud launches from any class; provisioning reads readiness from the status
    await runNodeClasses({ ...env.lifecycleDeps(), cloud: new SubnetlessCloud(env.cloud) });
    await env.createPendingPod('web');

    // Act
    const result = await runProvisioning(env.deps());

    // Assess
    expect(result.status === 'completed' && result.nodeClaimsCreated).toEqual([]);
    expect(env.logger.entries).toContainEqual(
      expect.objectContaining({
        message: 'NodePool left out of provisioning',
        attributes: expect.objectContaining({
          reason: expect.stringContaining('SubnetsReady: no subnet matches the selector'),
        }),
      }),
    );
  });

  it('stamps the class with its hash, which claims launched from it carry too, and restamps it when the class changes', async () => {
    // Prepare
    await runNodeClasses(env.lifecycleDeps());
    const stamped = await read();
    const claim = await env.launchClaim();
    await env.kube.kube.updateEC2NodeClass(NODE_CLASS_NAME, (current) => ({
      ...current,
      spec: { ...current.spec, userData: 'echo changed' },
    }));

    // Act
    await runNodeClasses(env.lifecycleDeps());
    const restamped = await read();

    // Assess
    const hashOf = (annotations: Record<string, string> | undefined) => ({
      hash: annotations?.[Annotations.ec2NodeClassHash],
      version: annotations?.[Annotations.ec2NodeClassHashVersion],
    });
    const launchedHash = hashOf(stamped.metadata.annotations);
    expect(launchedHash).toEqual({
      hash: ec2NodeClassHash(stamped),
      version: EC2NODECLASS_HASH_VERSION,
    });
    expect(hashOf(claim.metadata.annotations)).toEqual(launchedHash);
    expect(hashOf(restamped.metadata.annotations)).toEqual({
      hash: ec2NodeClassHash(restamped),
      version: EC2NODECLASS_HASH_VERSION,
    });
    expect(hashOf(restamped.metadata.annotations).hash).not.toBe(launchedHash.hash);
    expect(hashOf((await env.claim(claim.metadata.name ?? '')).metadata.annotations)).toEqual(
      launchedHash,
    );
  });

  it('after a hash version change restamps the class’s claims, keeping the old hash on a drifted one', async () => {
    // Prepare: claims stamped by an older Karpenter, one of them already drifted
    const [fresh, drifted] = [await env.launchClaim(), await env.launchClaim()];
    for (const claim of [fresh, drifted])
      await env.kube.kube.updateNodeClaim(claim.metadata.name ?? '', (current) => ({
        ...current,
        metadata: {
          ...current.metadata,
          annotations: {
            ...current.metadata.annotations,
            [Annotations.ec2NodeClassHash]: '1',
            [Annotations.ec2NodeClassHashVersion]: 'v3',
          },
        },
      }));
    await env.kube.kube.updateNodeClaimStatus(drifted.metadata.name ?? '', (current) => ({
      ...current,
      status: {
        ...current.status,
        conditions: setCondition(current.status?.conditions, {
          type: 'Drifted',
          status: 'True',
          reason: 'NodeClassDrift',
          lastTransitionTime: '2026-01-01T00:00:00Z',
        }),
      },
    }));
    await env.kube.kube.updateEC2NodeClass(NODE_CLASS_NAME, (current) => ({
      ...current,
      metadata: {
        ...current.metadata,
        annotations: {
          ...current.metadata.annotations,
          [Annotations.ec2NodeClassHashVersion]: 'v3',
        },
      },
    }));

    // Act
    await runNodeClasses(env.lifecycleDeps());

    // Assess
    const nodeClass = await read();
    const annotationsOf = async (claim: typeof fresh) =>
      (await env.claim(claim.metadata.name ?? '')).metadata.annotations;
    expect(await annotationsOf(fresh)).toMatchObject({
      [Annotations.ec2NodeClassHash]: ec2NodeClassHash(nodeClass),
      [Annotations.ec2NodeClassHashVersion]: EC2NODECLASS_HASH_VERSION,
    });
    expect(await annotationsOf(drifted)).toMatchObject({
      [Annotations.ec2NodeClassHash]: '1',
      [Annotations.ec2NodeClassHashVersion]: EC2NODECLASS_HASH_VERSION,
    });
    expect(nodeClass.metadata.annotations?.[Annotations.ec2NodeClassHashVersion]).toBe(
      EC2NODECLASS_HASH_VERSION,
    );
  });

  it('on deletion waits while a NodeClaim uses the class, then removes the finalizer so the class goes', async () => {
    // Prepare
    await runNodeClasses(env.lifecycleDeps());
    const claim = await env.launchClaim();
    await env.cluster.delete(ResourceTypes.ec2NodeClass, { name: NODE_CLASS_NAME });

    // Act
    const waiting = await runNodeClasses(env.lifecycleDeps());
    const stillThere = await read();
    await env.kube.kube.updateNodeClaim(claim.metadata.name ?? '', (current) => ({
      ...current,
      metadata: { ...current.metadata, finalizers: [] },
    }));
    await env.cloud.delete(claim);
    await env.kube.kube.deleteNodeClaim(claim.metadata.name ?? '');
    const done = await runNodeClasses(env.lifecycleDeps());

    // Assess
    expect(waiting.deletionWaiting).toEqual([
      { name: NODE_CLASS_NAME, waitingOn: [claim.metadata.name] },
    ]);
    expect(stillThere.metadata.deletionTimestamp).toBeDefined();
    expect((await env.events()).map(({ reason }) => reason)).toContain(
      'WaitingOnNodeClaimTermination',
    );
    expect(done.finalized).toEqual([NODE_CLASS_NAME]);
    expect((await env.kube.kube.listEC2NodeClasses()).items).toEqual([]);
  });
});
