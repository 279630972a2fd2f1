import { beforeAll, describe, expect, it } from 'vitest';
import type { NodeClaim } from '../../../lib/apis/nodeclaim.ts';
import { KubeApiError } from '../../../lib/kube/index.ts';
import { nodeClaimDraft } from './fixtures.ts';
import {
  clientFor,
  clusterName,
  withRivalWrites,
  type ContractHarness,
  type HarnessFactory,
} from './harness.ts';

const launched = {
  type: 'Launched',
  status: 'True' as const,
  reason: 'Launched',
  message: '',
  lastTransitionTime: '2026-01-01T00:00:00Z',
};

function addLabel(key: string, value: string) {
  return (claim: NodeClaim): NodeClaim => ({
    ...claim,
    metadata: { ...claim.metadata, labels: { ...claim.metadata.labels, [key]: value } },
  });
}

export function nodeClaimContract(setup: HarnessFactory): void {
  describe('NodeClaims', () => {
    let harness: ContractHarness;
    beforeAll(async () => {
      harness = await setup();
    });

    it('creates with a generated name, a uid, a resourceVersion and a creationTimestamp, ignoring status', async () => {
      // Prepare
      const kube = clientFor(harness);
      const prefix = clusterName(harness, 'generated-');

      // Act
      const created = await kube.createNodeClaim({
        ...nodeClaimDraft(prefix),
        status: { conditions: [launched] },
      });

      // Assess
      expect(created.metadata.name).toMatch(new RegExp(`^${prefix}[a-z0-9]{5}$`));
      expect(created.metadata.uid).toBeTruthy();
      expect(created.metadata.resourceVersion).toBeTruthy();
      expect(Date.parse(created.metadata.creationTimestamp ?? '')).not.toBeNaN();
      expect(created.status?.conditions ?? []).toEqual([]);
      expect(await kube.getNodeClaim(created.metadata.name ?? '')).toMatchObject({
        metadata: { uid: created.metadata.uid },
      });
    });

    it('lists every page', async () => {
      // Prepare
      const kube = clientFor(harness, { pageSize: 2 });
      const prefix = clusterName(harness, 'paged-');
      const created = await Promise.all(
        Array.from({ length: 5 }, () => kube.createNodeClaim(nodeClaimDraft(prefix))),
      );

      // Act
      const listed = await kube.listNodeClaims();

      // Assess
      const names = listed.items
        .map((claim) => claim.metadata.name)
        .filter((name) => name?.startsWith(prefix));
      expect(names.sort()).toEqual(created.map((claim) => claim.metadata.name).sort());
    });

    it('updates metadata without touching status, and status without touching metadata', async () => {
      // Prepare
      const kube = clientFor(harness);
      const { metadata } = await kube.createNodeClaim(
        nodeClaimDraft(clusterName(harness, 'split-')),
      );
      const name = metadata.name ?? '';
      const withStatusAndLabel = (claim: NodeClaim): NodeClaim => ({
        ...addLabel('team', 'a')(claim),
        status: { conditions: [launched] },
      });

      // Act
      const afterObjectWrite = await kube.updateNodeClaim(name, withStatusAndLabel);
      const afterStatusWrite = await kube.updateNodeClaimStatus(name, (claim) => ({
        ...addLabel('team', 'b')(claim),
        status: { conditions: [launched] },
      }));

      // Assess
      expect(afterObjectWrite.metadata.labels?.['team']).toBe('a');
      expect(afterObjectWrite.status?.conditions ?? []).toEqual([]);
      expect(afterStatusWrite.metadata.labels?.['team']).toBe('a');
      expect(afterStatusWrite.status?.conditions).toEqual([launched]);
      expect(afterStatusWrite.metadata.generation).toBe(metadata.generation);
    });

    it('re-reads and re-applies the mutation when another writer got there first', async () => {
      // Prepare
      const { metadata } = await clientFor(harness).createNodeClaim(
        nodeClaimDraft(clusterName(harness, 'conflict-')),
      );
      const rival = withRivalWrites(harness.transport, 1);
      const kube = clientFor({ ...harness, transport: rival });
      let calls = 0;

      // Act
      const updated = await kube.updateNodeClaim(metadata.name ?? '', (claim) => {
        calls++;
        return addLabel('mine', 'wrote')(claim);
      });

      // Assess
      expect(rival.rivalWrites()).toBe(1);
      expect(calls).toBe(2);
      expect(updated.metadata.labels).toMatchObject({ rival: '1', mine: 'wrote' });
    });

    it('starts from a stale known object, then re-reads when the write conflicts', async () => {
      // Prepare
      const kube = clientFor(harness);
      const created = await kube.createNodeClaim(nodeClaimDraft(clusterName(harness, 'known-')));
      const name = created.metadata.name ?? '';
      await kube.updateNodeClaim(name, addLabel('first', 'write'));
      const seen: (string | undefined)[] = [];

      // Act
      const updated = await kube.updateNodeClaimStatus(
        name,
        (claim) => {
          seen.push(claim.metadata.resourceVersion);
          return { ...claim, status: { providerID: 'aws:///us-east-1a/i-0123456789abcdef0' } };
        },
        created,
      );

      // Assess
      expect(seen).toHaveLength(2);
      expect(seen[0]).toBe(created.metadata.resourceVersion);
      expect(updated.metadata.labels?.['first']).toBe('write');
      expect(updated.status?.providerID).toBe('aws:///us-east-1a/i-0123456789abcdef0');
    });

    it('gives up with a Conflict after the configured number of attempts', async () => {
      // Prepare
      const { metadata } = await clientFor(harness).createNodeClaim(
        nodeClaimDraft(clusterName(harness, 'contended-')),
      );
      const kube = clientFor(
        { ...harness, transport: withRivalWrites(harness.transport, Infinity) },
        { maxUpdateAttempts: 3 },
      );
      let calls = 0;

      // Act
      const attempt = kube.updateNodeClaim(metadata.name ?? '', (claim) => {
        calls++;
        return addLabel('mine', 'never')(claim);
      });

      // Assess
      await expect(attempt).rejects.toMatchObject({ reason: 'Conflict' });
      expect(calls).toBe(3);
      expect(
        (await clientFor(harness).getNodeClaim(metadata.name ?? ''))?.metadata.labels?.['mine'],
      ).toBeUndefined();
    });

    it('only marks a NodeClaim with a finalizer for deletion, and removes it when the finalizer goes', async () => {
      // Prepare
      const kube = clientFor(harness);
      const draft = nodeClaimDraft(clusterName(harness, 'finalized-'));
      const { metadata } = await kube.createNodeClaim({
        ...draft,
        metadata: { ...draft.metadata, finalizers: ['karpenter.sh/termination'] },
      });
      const name = metadata.name ?? '';

      // Act
      await kube.deleteNodeClaim(name);
      const marked = await kube.getNodeClaim(name);
      const addFinalizer = kube.updateNodeClaim(name, (claim) => ({
        ...claim,
        metadata: {
          ...claim.metadata,
          finalizers: ['karpenter.sh/termination', 'other/finalizer'],
        },
      }));
      await expect(addFinalizer).rejects.toBeInstanceOf(KubeApiError);
      await kube.updateNodeClaim(name, (claim) => ({
        ...claim,
        metadata: { ...claim.metadata, finalizers: [] },
      }));

      // Assess
      expect(marked?.metadata.deletionTimestamp).toBeTruthy();
      expect(await kube.getNodeClaim(name)).toBeUndefined();
    });

    it('treats deleting or reading an absent NodeClaim as already done', async () => {
      // Prepare
      const kube = clientFor(harness);
      const name = clusterName(harness, 'absent');

      // Act
      const deletion = kube.deleteNodeClaim(name);

      // Assess
      await expect(deletion).resolves.toBeUndefined();
      expect(await kube.getNodeClaim(name)).toBeUndefined();
    });
  });
}
