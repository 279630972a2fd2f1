import { describe, expect, it } from 'vitest';
import type { NodeClaim } from '../../../lib/apis/index.ts';
import { ResourceTypes } from '../../../lib/kube/index.ts';
import { decideClaims } from '../../../lib/provisioning/create-claims.ts';
import { schedule } from '../../../lib/scheduling/index.ts';
import { loadClusterSnapshot, schedulingInput } from '../../../lib/state/index.ts';
import { MemoryEnvironment } from './memory-environment.ts';

/** Two pods that refuse to share a node, so the plan holds two NodeClaims. */
async function planTwoClaims(env: MemoryEnvironment) {
  const antiAffinity = {
    podAntiAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [
        { labelSelector: { matchLabels: { app: 'solo' } }, topologyKey: 'kubernetes.io/hostname' },
      ],
    },
  };
  for (const name of ['solo-a', 'solo-b'])
    await env.createPendingPod(name, {
      metadata: { labels: { app: 'solo' } },
      spec: { affinity: antiAffinity },
    });
  const snapshot = await loadClusterSnapshot({ kube: env.kube.kube, cloud: env.cloud });
  return schedule(schedulingInput(snapshot, snapshot.pods, { clock: env.clock })).newNodeClaims;
}

describe('decideClaims', () => {
  it('refuses the claims that would pass the NodePool limits as they stand just before creating, counting each accepted claim', async () => {
    // Prepare: the plan was made without limits; then the NodePool is limited to one node.
    const env = new MemoryEnvironment();
    await env.createNodeClass();
    await env.createNodePool('general');
    const planned = await planTwoClaims(env);
    await env.cluster.patch(
      ResourceTypes.nodePool,
      { name: 'general' },
      { spec: { limits: { nodes: 1 } } },
    );
    const snapshot = await loadClusterSnapshot({ kube: env.kube.kube, cloud: env.cloud });

    // Act
    const decisions = decideClaims(snapshot, planned);

    // Assess
    expect(planned).toHaveLength(2);
    expect(decisions.map(({ kind }) => kind)).toEqual(['create', 'refused']);
    expect(decisions[1]).toMatchObject({
      reason: 'NodePool "general" limits exceeded: nodes would be 2, limit 1',
    });
  });

  it('counts in-flight NodeClaims against the limits', async () => {
    // Prepare: a cpu limit with room for exactly one of the planned claims.
    const env = new MemoryEnvironment();
    await env.createNodeClass();
    await env.createNodePool('general');
    const planned = await planTwoClaims(env);
    const load = () => loadClusterSnapshot({ kube: env.kube.kube, cloud: env.cloud });
    const unlimited = await load();
    const accepted = decideClaims(unlimited, planned).flatMap((decision) =>
      decision.kind === 'create' ? [decision.nodeClaim] : [],
    );
    const roomForOne = Math.max(
      ...accepted.map((nodeClaim) => unlimited.estimateCapacity(nodeClaim).capacity['cpu'] ?? 0),
    );
    await env.cluster.patch(
      ResourceTypes.nodePool,
      { name: 'general' },
      { spec: { limits: { cpu: `${roomForOne}m` } } },
    );
    const beforeCreating = decideClaims(await load(), planned);
    await env.kube.kube.createNodeClaim(accepted[0] as NodeClaim);

    // Act
    const afterCreating = decideClaims(await load(), planned);

    // Assess
    expect(beforeCreating.map(({ kind }) => kind)).toEqual(['create', 'refused']);
    expect(afterCreating.map(({ kind }) => kind)).toEqual(['refused', 'refused']);
    expect(afterCreating[0]).toMatchObject({
      reason: expect.stringMatching(
        /^NodePool "general" limits exceeded: cpu would be \d+, limit \d+$/,
      ),
    });
  });
});
