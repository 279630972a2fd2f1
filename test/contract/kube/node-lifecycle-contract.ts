import { beforeAll, describe, expect, it } from 'vitest';
import { ResourceTypes, type JsonObject } from '../../../lib/kube/index.ts';
import { node, nodePool } from './fixtures.ts';
import { clientFor, clusterName, type ContractHarness, type HarnessFactory } from './harness.ts';

const FINALIZER = 'karpenter.sh/termination';

function volumeAttachment(name: string, nodeName: string): JsonObject {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'VolumeAttachment',
    metadata: { name },
    spec: {
      attacher: 'ebs.csi.aws.com',
      nodeName,
      source: { persistentVolumeName: `${name}-pv` },
    },
  };
}

/** What registration and termination ask of the port: node finalizers and deletion, NodePool annotations, VolumeAttachments. */
export function nodeLifecycleContract(setup: HarnessFactory): void {
  describe('Node deletion, NodePool annotations and VolumeAttachments', () => {
    let harness: ContractHarness;
    beforeAll(async () => {
      harness = await setup();
    });

    it('keeps a node with the termination finalizer until the finalizer is removed', async () => {
      // Prepare
      const kube = clientFor(harness);
      const name = clusterName(harness, 'leaving');
      await harness.transport.create(ResourceTypes.node, node(name));
      await kube.updateNode(name, (current) => ({
        ...current,
        metadata: { ...current.metadata, finalizers: [FINALIZER] },
      }));

      // Act
      await kube.deleteNode(name);
      const deleting = (await kube.listNodes()).items.find((item) => item.metadata.name === name);
      await kube.updateNode(name, (current) => ({
        ...current,
        metadata: { ...current.metadata, finalizers: [] },
      }));
      await kube.deleteNode(clusterName(harness, 'never-existed'));

      // Assess
      expect(deleting?.metadata.deletionTimestamp).toBeTruthy();
      expect((await kube.listNodes()).items.map((item) => item.metadata.name)).not.toContain(name);
    });

    it('annotates a NodePool without a new generation', async () => {
      // Prepare
      const kube = clientFor(harness);
      const name = clusterName(harness, 'annotated-pool');
      const created = await harness.transport.create(ResourceTypes.nodePool, nodePool(name));

      // Act
      const updated = await kube.updateNodePool(name, (pool) => ({
        ...pool,
        metadata: { ...pool.metadata, annotations: { 'skyscale.test/marker': 'yes' } },
      }));

      // Assess
      expect(updated.metadata.annotations).toEqual({ 'skyscale.test/marker': 'yes' });
      expect(updated.metadata.generation).toBe(
        (created['metadata'] as { generation?: number }).generation,
      );
    });

    it('lists VolumeAttachments with their node', async () => {
      // Prepare
      const kube = clientFor(harness, { pageSize: 1 });
      const nodeName = clusterName(harness, 'with-volumes');
      const names = [clusterName(harness, 'va-1'), clusterName(harness, 'va-2')];
      for (const name of names)
        await harness.transport.create(
          ResourceTypes.volumeAttachment,
          volumeAttachment(name, nodeName),
        );

      // Act
      const { items } = await kube.listVolumeAttachments();

      // Assess
      const ours = items.filter((item) => item.spec.nodeName === nodeName);
      expect(ours.map((item) => item.metadata.name).sort()).toEqual(names);
      expect(ours[0]?.spec.source.persistentVolumeName).toBe(`${names[0] ?? ''}-pv`);
    });
  });
}
