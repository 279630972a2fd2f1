import { beforeEach, describe, expect, it } from 'vitest';
import { Labels, Taints } from '../../../lib/apis/index.ts';
import { ResourceTypes } from '../../../lib/kube/index.ts';
import { loadLifecycleView, runTermination } from '../../../lib/lifecycle/index.ts';
import { LifecycleEnvironment, PodKinds } from './lifecycle-environment.ts';

describe('the termination run', () => {
  let env: LifecycleEnvironment;
  beforeEach(async () => {
    env = new LifecycleEnvironment();
    await env.setUp();
  });

  async function pass() {
    return runTermination(env.lifecycleDeps(), await loadLifecycleView(env.kube.kube));
  }

  async function gone(claimName: string, nodeName: string) {
    return {
      claim: await env.kube.kube.getNodeClaim(claimName),
      node: await env.node(nodeName),
    };
  }

  it('after kubectl delete nodeclaim, taints, evicts in Karpenter’s order, terminates the instance and removes both objects', async () => {
    // Prepare
    const { claim, node } = await env.registeredClaim();
    const nodeName = node.metadata.name;
    await env.runPod('web', nodeName);
    await env.runPod('agent', nodeName, PodKinds.daemon);
    await env.runPod('dns', nodeName, PodKinds.critical);
    await env.kube.kube.deleteNodeClaim(claim.metadata.name ?? '');

    // Act
    const evictedInOrder: string[][] = [];
    for (let round = 0; round < 3; round++) {
      const before = await env.podNames(nodeName);
      await pass();
      const terminating = (await env.kube.kube.listPods({ nodeName })).items
        .filter(({ metadata }) => metadata.deletionTimestamp)
        .map(({ metadata }) => metadata.name);
      evictedInOrder.push(terminating.filter((name) => before.includes(name)));
      await env.kubeletFinishes(nodeName);
    }
    const tainted = await env.node(nodeName);
    const last = await pass();

    // Assess
    expect(evictedInOrder).toEqual([['web'], ['agent'], ['dns']]);
    expect(tainted?.spec?.taints).toContainEqual(Taints.disrupted);
    expect(tainted?.metadata.labels?.[Labels.excludeFromLoadBalancers]).toBe('karpenter');
    expect(last.finished).toEqual([nodeName, claim.metadata.name]);
    expect(env.instanceOf(claim).terminatedAt).toBeDefined();
    expect(await gone(claim.metadata.name ?? '', nodeName)).toEqual({
      claim: undefined,
      node: undefined,
    });
  });

  it('after kubectl delete node, deletes the claim too and ends with both gone', async () => {
    // Prepare
    const { claim, node } = await env.registeredClaim();
    await env.kube.kube.deleteNode(node.metadata.name);

    // Act
    const result = await pass();

    // Assess
    expect(result.finished).toEqual([node.metadata.name, claim.metadata.name]);
    expect(await gone(claim.metadata.name ?? '', node.metadata.name)).toEqual({
      claim: undefined,
      node: undefined,
    });
    expect(env.instanceOf(claim).terminatedAt).toBeDefined();
  });

  it('retries an eviction a PodDisruptionBudget refuses and never forces it', async () => {
    // Prepare
    const { claim, node } = await env.registeredClaim();
    await env.runPod('guarded', node.metadata.name, { metadata: { labels: { app: 'db' } } });
    await env.create(ResourceTypes.podDisruptionBudget, {
      metadata: { name: 'db', namespace: 'default' },
      spec: { maxUnavailable: 0, selector: { matchLabels: { app: 'db' } } },
    });
    await env.patchObject(
      ResourceTypes.podDisruptionBudget,
      { name: 'db', namespace: 'default' },
      {
        status: {
          observedGeneration: 1,
          disruptionsAllowed: 0,
          currentHealthy: 1,
          desiredHealthy: 1,
          expectedPods: 1,
        },
      },
      'status',
    );
    await env.kube.kube.deleteNodeClaim(claim.metadata.name ?? '');

    // Act
    const refused = [await pass(), await pass()];
    await env.patchObject(
      ResourceTypes.podDisruptionBudget,
      { name: 'db', namespace: 'default' },
      { status: { disruptionsAllowed: 1 } },
      'status',
    );
    const allowed = await pass();

    // Assess
    expect(refused.map(({ blocked, evicted }) => ({ blocked, evicted }))).toEqual([
      { blocked: 1, evicted: 0 },
      { blocked: 1, evicted: 0 },
    ]);
    expect(allowed.evicted).toBe(1);
    expect(env.instanceOf(claim).terminatedAt).toBeUndefined();
  });

  it('holds a do-not-disrupt pod until the terminationGracePeriod leaves just its own grace period, then deletes it', async () => {
    // Prepare
    const { claim, node } = await env.registeredClaim({ terminationGracePeriod: '10m' });
    await env.runPod('batch', node.metadata.name, {
      ...PodKinds.doNotDisrupt,
      spec: { terminationGracePeriodSeconds: 120 },
    });
    await env.kube.kube.deleteNodeClaim(claim.metadata.name ?? '');

    // Act
    const early = await pass();
    await env.clock.advance(8 * 60_000 - 1_000);
    const justBefore = await pass();
    await env.clock.advance(2_000);
    const due = await pass();

    // Assess
    expect([early, justBefore].map(({ evicted, forceDeleted }) => evicted + forceDeleted)).toEqual([
      0, 0,
    ]);
    expect(due.forceDeleted).toBe(1);
    const [batch] = (await env.kube.kube.listPods({ nodeName: node.metadata.name })).items;
    expect(batch?.metadata.deletionGracePeriodSeconds).toBe(119);
  });

  it('waits for the node’s VolumeAttachments before terminating the instance', async () => {
    // Prepare
    const { claim, node } = await env.registeredClaim();
    await env.create(ResourceTypes.volumeAttachment, {
      metadata: { name: 'csi-1' },
      spec: {
        attacher: 'ebs.csi.aws.com',
        nodeName: node.metadata.name,
        source: { persistentVolumeName: 'pv-1' },
      },
    });
    await env.kube.kube.deleteNodeClaim(claim.metadata.name ?? '');

    // Act
    const attached = await pass();
    await env.cluster.delete(ResourceTypes.volumeAttachment, { name: 'csi-1' });
    const detached = await pass();

    // Assess
    expect(attached.waiting).toEqual([node.metadata.name]);
    expect(detached.finished).toEqual([node.metadata.name, claim.metadata.name]);
  });

  it('terminates the instance of a claim that never got a node and releases it', async () => {
    // Prepare
    const claim = await env.launchClaim();
    await env.kube.kube.deleteNodeClaim(claim.metadata.name ?? '');

    // Act
    const result = await pass();

    // Assess
    expect(result.finished).toEqual([claim.metadata.name]);
    expect(env.instanceOf(claim).terminatedAt).toBeDefined();
    expect(await env.kube.kube.getNodeClaim(claim.metadata.name ?? '')).toBeUndefined();
  });
});
