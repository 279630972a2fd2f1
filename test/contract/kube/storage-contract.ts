import { beforeAll, describe, expect, it } from 'vitest';
import { ResourceTypes } from '../../../lib/kube/index.ts';
import { clientFor, clusterName, type ContractHarness, type HarnessFactory } from './harness.ts';

/** What volume topology asks of the port: PersistentVolumes, claims in every namespace, StorageClasses. */
export function storageContract(setup: HarnessFactory): void {
  describe('PersistentVolumes, PersistentVolumeClaims and StorageClasses', () => {
    let harness: ContractHarness;
    beforeAll(async () => {
      harness = await setup();
    });

    it('lists volumes with their node affinity, claims with their binding and StorageClasses with their topology', async () => {
      // Prepare
      const kube = clientFor(harness, { pageSize: 1 });
      const volume = clusterName(harness, 'pv-zonal');
      const claim = clusterName(harness, 'data');
      const storageClass = clusterName(harness, 'gp3');
      await harness.transport.create(ResourceTypes.persistentVolume, {
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: { name: volume },
        spec: {
          capacity: { storage: '1Gi' },
          accessModes: ['ReadWriteOnce'],
          csi: { driver: 'ebs.csi.aws.com', volumeHandle: 'vol-0123' },
          nodeAffinity: {
            required: {
              nodeSelectorTerms: [
                {
                  matchExpressions: [
                    {
                      key: 'topology.ebs.csi.aws.com/zone',
                      operator: 'In',
                      values: ['us-east-1b'],
                    },
                  ],
                },
              ],
            },
          },
        },
      });
      await harness.transport.create(ResourceTypes.persistentVolumeClaim, {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: claim, namespace: 'default' },
        spec: {
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: '1Gi' } },
          storageClassName: storageClass,
        },
      });
      await harness.transport.create(ResourceTypes.storageClass, {
        apiVersion: 'storage.k8s.io/v1',
        kind: 'StorageClass',
        metadata: { name: storageClass },
        provisioner: 'ebs.csi.aws.com',
        volumeBindingMode: 'WaitForFirstConsumer',
        allowedTopologies: [
          {
            matchLabelExpressions: [{ key: 'topology.kubernetes.io/zone', values: ['us-east-1a'] }],
          },
        ],
      });

      // Act
      const [volumes, claims, classes] = await Promise.all([
        kube.listPersistentVolumes(),
        kube.listPersistentVolumeClaims(),
        kube.listStorageClasses(),
      ]);

      // Assess
      const listedVolume = volumes.items.find(({ metadata }) => metadata.name === volume);
      expect(
        listedVolume?.spec.nodeAffinity?.required?.nodeSelectorTerms[0]?.matchExpressions,
      ).toEqual([{ key: 'topology.ebs.csi.aws.com/zone', operator: 'In', values: ['us-east-1b'] }]);
      const listedClaim = claims.items.find(({ metadata }) => metadata.name === claim);
      expect(listedClaim?.metadata.namespace).toBe('default');
      expect(listedClaim?.spec.storageClassName).toBe(storageClass);
      const listedClass = classes.items.find(({ metadata }) => metadata.name === storageClass);
      expect(listedClass?.volumeBindingMode).toBe('WaitForFirstConsumer');
      expect(listedClass?.allowedTopologies?.[0]?.matchLabelExpressions?.[0]?.values).toEqual([
        'us-east-1a',
      ]);
    });
  });
}
