import { describe, expect, it } from 'vitest';
import {
  InvalidObjectError,
  KubeApiError,
  ResourceTypes,
  type ResourceTransport,
} from '../../../lib/kube/index.ts';
import { MemoryCluster } from '../../../lib/kube/memory/index.ts';
import { createKubeClient } from '../../../lib/kube/kube-client-over-transport.ts';
import {
  budgetStatus,
  nodeClaimDraft,
  pod,
  podDisruptionBudget,
} from '../../contract/kube/fixtures.ts';
import { overriding, recordingLogger } from '../../contract/kube/harness.ts';
import { ManualClock } from '../../fixtures/manual-clock.ts';

function setup(transportFor: (cluster: MemoryCluster) => ResourceTransport = (cluster) => cluster) {
  const clock = new ManualClock();
  const cluster = new MemoryCluster({ clock });
  const logger = recordingLogger();
  return { cluster, logger, kube: createKubeClient(transportFor(cluster), { logger, clock }) };
}

describe('KubeClient over the in-memory cluster', () => {
  it('sets aside objects that fail their schema, reporting each field, without failing the list', async () => {
    // Prepare
    const { cluster, logger, kube } = setup();
    const good = await kube.createNodeClaim(nodeClaimDraft('good-'));
    const bad = nodeClaimDraft('bad-');
    await cluster.create(ResourceTypes.nodeClaim, {
      ...bad,
      spec: { ...bad.spec, requirements: [{ key: 'kubernetes.io/arch', operator: 'Near' }] },
    });

    // Act
    const listed = await kube.listNodeClaims();

    // Assess
    expect(listed.items.map((claim) => claim.metadata.name)).toEqual([good.metadata.name]);
    expect(listed.invalid).toHaveLength(1);
    expect(listed.invalid[0]?.objectName).toMatch(/^bad-/);
    expect(listed.invalid[0]?.problems.map((problem) => problem.path)).toEqual([
      'spec.requirements[0].operator',
    ]);
    expect(logger.warnings).toEqual([
      expect.objectContaining({
        attributes: expect.objectContaining({
          kind: 'NodeClaim',
          problems: listed.invalid[0]?.problems,
        }),
      }),
    ]);
  });

  it('refuses to read or update an invalid object rather than guess at it', async () => {
    // Prepare
    const { cluster, kube } = setup();
    const draft = nodeClaimDraft('bad-');
    const created = await cluster.create(ResourceTypes.nodeClaim, {
      ...draft,
      spec: { ...draft.spec, nodeClassRef: {} },
    });
    const name = (created['metadata'] as { name: string }).name;

    // Act
    const read = kube.getNodeClaim(name);
    const update = kube.updateNodeClaim(name, (claim) => claim);

    // Assess
    await expect(read).rejects.toBeInstanceOf(InvalidObjectError);
    await expect(update).rejects.toThrow(/spec\.nodeClassRef\.group/);
  });

  it('writes nothing when the mutation declines or changes nothing', async () => {
    // Prepare
    const { kube } = setup();
    const created = await kube.createNodeClaim(nodeClaimDraft('quiet-'));
    const name = created.metadata.name ?? '';

    // Act
    const declined = await kube.updateNodeClaim(name, () => undefined);
    const unchanged = await kube.updateNodeClaimStatus(name, (claim) => claim);

    // Assess
    expect(declined.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    expect(unchanged.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
  });

  it('writes from a known, current object without reading it first', async () => {
    // Prepare
    let reads = 0;
    const { kube } = setup((cluster) =>
      overriding(cluster, {
        get: (type, key) => (reads++, cluster.get(type, key)),
      }),
    );
    const created = await kube.createNodeClaim(nodeClaimDraft('launched-'));

    // Act
    const updated = await kube.updateNodeClaimStatus(
      created.metadata.name ?? '',
      (claim) => ({ ...claim, status: { nodeName: 'ip-10-0-0-1.ec2.internal' } }),
      created,
    );

    // Assess
    expect(reads).toBe(0);
    expect(updated.status?.nodeName).toBe('ip-10-0-0-1.ec2.internal');
  });

  it('blocks eviction under a budget its controller has not observed yet, and fails under two budgets', async () => {
    // Prepare
    const { cluster, kube } = setup();
    const running = async (name: string, app: string) => {
      await cluster.create(
        ResourceTypes.pod,
        pod('ns', name, { labels: { app }, nodeName: 'node-a' }),
      );
      await cluster.patch(
        ResourceTypes.pod,
        { namespace: 'ns', name },
        { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } },
        'status',
      );
    };
    await running('unobserved', 'unobserved');
    await running('doubly-covered', 'doubly-covered');
    await cluster.create(
      ResourceTypes.podDisruptionBudget,
      podDisruptionBudget('ns', 'unobserved', { app: 'unobserved' }),
    );
    await cluster.patch(
      ResourceTypes.podDisruptionBudget,
      { namespace: 'ns', name: 'unobserved' },
      { status: budgetStatus(0, 5) },
      'status',
    );
    for (const name of ['first', 'second']) {
      await cluster.create(
        ResourceTypes.podDisruptionBudget,
        podDisruptionBudget('ns', name, { app: 'doubly-covered' }),
      );
      await cluster.patch(
        ResourceTypes.podDisruptionBudget,
        { namespace: 'ns', name },
        { status: budgetStatus(1, 5) },
        'status',
      );
    }

    // Act
    const unobserved = await kube.evictPod({ namespace: 'ns', name: 'unobserved' });
    const doublyCovered = kube.evictPod({ namespace: 'ns', name: 'doubly-covered' });

    // Assess
    expect(unobserved).toBe('blocked');
    await expect(doublyCovered).rejects.toMatchObject({ reason: 'InternalError' });
  });

  it('logs an event it could not record instead of failing the run', async () => {
    // Prepare
    const { logger, kube } = setup((cluster) =>
      overriding(cluster, {
        create: () => Promise.reject(new KubeApiError(403, 'Forbidden', 'events is forbidden')),
      }),
    );

    // Act
    const recording = kube.recordEvent({
      involvedObject: { apiVersion: 'v1', kind: 'Pod', name: 'web', namespace: 'ns' },
      type: 'Warning',
      reason: 'FailedScheduling',
      message: 'no NodePool fits',
    });

    // Assess
    await expect(recording).resolves.toBeUndefined();
    expect(logger.warnings).toEqual([
      expect.objectContaining({
        message: 'Could not record an event',
        attributes: expect.objectContaining({ reason: 'FailedScheduling' }),
      }),
    ]);
  });

  it('generates the same names and uids in every run, for reproducible simulations', async () => {
    // Prepare
    const names = async () => {
      const { kube } = setup();
      const claims = [
        await kube.createNodeClaim(nodeClaimDraft('pool-')),
        await kube.createNodeClaim(nodeClaimDraft('pool-')),
      ];
      return claims.map((claim) => [claim.metadata.name, claim.metadata.uid]);
    };

    // Act
    const [first, second] = [await names(), await names()];

    // Assess
    expect(first).toEqual(second);
    expect(new Set(first.map(([name]) => name)).size).toBe(2);
  });
});
