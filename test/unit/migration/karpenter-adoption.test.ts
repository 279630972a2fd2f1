import { beforeEach, describe, expect, it } from 'vitest';
import {
  Annotations,
  findCondition,
  Labels,
  NodeClaimConditionTypes,
} from '../../../lib/apis/index.ts';
import { collectGarbage, loadLifecycleView, runLifecycle } from '../../../lib/lifecycle/index.ts';
import { runDisruption } from '../../../lib/tick/index.ts';
import { LifecycleEnvironment } from '../lifecycle/lifecycle-environment.ts';
import { NODE_CLASS_NAME } from '../provisioning/memory-environment.ts';

/**
 * What Karpenter v1.4.0 stamps as `karpenter.sh/nodepool-hash` (version v3) on the claims of a
 * NodePool whose template is only a nodeClassRef to `default` and requirements (which the hash
 * leaves out), and for the same template with taints and other fields (see nodepool-hash.test.ts).
 */
const KARPENTER_HASH_OF_PLAIN_TEMPLATE = '6821555240594823858';
const KARPENTER_HASH_OF_ANOTHER_TEMPLATE = '13656693770608990101';
const POOL = 'migrated';

describe('NodeClaims and Nodes Karpenter created', () => {
  let env: LifecycleEnvironment;

  beforeEach(async () => {
    env = new LifecycleEnvironment();
    await env.setUp();
    await env.createNodePool(POOL, {
      template: {
        spec: {
          requirements: [{ key: Labels.capacityType, operator: 'In', values: ['on-demand'] }],
          nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: NODE_CLASS_NAME },
        },
      },
      // Consolidation is a separate decision; this test is about drift and ownership.
      disruption: { consolidateAfter: 'Never' },
    });
  });

  /** A running node of the pool whose claim carries Karpenter's hash annotations. */
  async function karpenterNode(hash: string) {
    const { claim, node } = await env.registeredClaim({ nodePool: POOL });
    const name = claim.metadata.name ?? '';
    await env.kube.kube.updateNodeClaim(name, (current) => ({
      ...current,
      metadata: {
        ...current.metadata,
        annotations: {
          ...current.metadata.annotations,
          [Annotations.nodePoolHash]: hash,
          [Annotations.nodePoolHashVersion]: 'v3',
        },
      },
    }));
    await env.runPod(`app-on-${name}`, node.metadata.name, {
      spec: { nodeName: node.metadata.name },
    });
    return { name, node: node.metadata.name, instance: env.instanceOf(claim).id };
  }

  /** Moves the manual clock on whenever the run sleeps (a command's validation delay). */
  async function whileAdvancingTime<T>(running: Promise<T>): Promise<T> {
    let done = false;
    void running.finally(() => (done = true));
    while (!done) {
      await new Promise((resolve) => setImmediate(resolve));
      if (env.clock.pendingSleepers > 0) await env.clock.advance(1000);
    }
    return running;
  }

  async function tickRuns() {
    const lifecycle = await runLifecycle(
      env.lifecycleDeps(),
      await loadLifecycleView(env.kube.kube),
    );
    const garbage = await collectGarbage(env.lifecycleDeps());
    const disruption = await whileAdvancingTime(runDisruption(env.deps()));
    return { lifecycle, garbage, disruption };
  }

  it('are adopted as they are: not drifted, not collected, not replaced', async () => {
    // Prepare
    const adopted = await karpenterNode(KARPENTER_HASH_OF_PLAIN_TEMPLATE);

    // Act
    const { garbage, disruption } = await tickRuns();

    // Assess
    const claim = await env.claim(adopted.name);
    expect(
      findCondition(claim.status?.conditions, NodeClaimConditionTypes.drifted)?.status,
    ).not.toBe('True');
    expect(claim.metadata.deletionTimestamp).toBeUndefined();
    expect(garbage).toMatchObject({ instancesTerminated: [], nodeClaimsDeleted: [] });
    expect(disruption.commands).toEqual([]);
    expect(await env.node(adopted.node)).toBeDefined();
    expect((await env.cloud.list()).map(({ instanceID }) => instanceID)).toContain(
      adopted.instance,
    );
    expect((await env.kube.kube.listNodeClaims()).items).toHaveLength(1);
  });

  it('are found drifted when Karpenter stamped them from another template', async () => {
    // Prepare
    const stale = await karpenterNode(KARPENTER_HASH_OF_ANOTHER_TEMPLATE);

    // Act
    await tickRuns();

    // Assess
    const claim = await env.claim(stale.name);
    expect(findCondition(claim.status?.conditions, NodeClaimConditionTypes.drifted)).toMatchObject({
      status: 'True',
      reason: 'NodePoolDrifted',
    });
  });
});
