import { describe, expect, it } from 'vitest';
import { Labels } from '../../../lib/apis/index.ts';
import { ResourceTypes } from '../../../lib/kube/index.ts';
import { runProvisioning } from '../../../lib/provisioning/index.ts';
import { MemoryEnvironment } from './memory-environment.ts';

describe('volume topology in a provisioning run', () => {
  it('loads PersistentVolumes and claims: a pod whose claim is bound to a zonal volume gets a NodeClaim in that zone', async () => {
    // Prepare
    const env = new MemoryEnvironment();
    await env.createNodeClass();
    await env.createNodePool('general');
    await env.create(ResourceTypes.persistentVolume, {
      metadata: { name: 'pv-db' },
      spec: {
        nodeAffinity: {
          required: {
            nodeSelectorTerms: [
              {
                matchExpressions: [
                  { key: 'topology.ebs.csi.aws.com/zone', operator: 'In', values: ['us-east-1c'] },
                ],
              },
            ],
          },
        },
      },
    });
    await env.create(ResourceTypes.persistentVolumeClaim, {
      metadata: { name: 'data-db', namespace: 'default' },
      spec: { volumeName: 'pv-db' },
    });
    await env.createPendingPod('db', {
      spec: { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data-db' } }] },
    });

    // Act
    const result = await runProvisioning(env.deps());

    // Assess
    expect(result.status).toBe('completed');
    const [claim] = (await env.kube.kube.listNodeClaims()).items;
    expect(claim?.spec.requirements.find(({ key }) => key === Labels.zone)?.values).toEqual([
      'us-east-1c',
    ]);
  });

  it('loads StorageClasses: an unbound WaitForFirstConsumer claim takes its allowed zones', async () => {
    // Prepare
    const env = new MemoryEnvironment();
    await env.createNodeClass();
    await env.createNodePool('general');
    await env.create(ResourceTypes.storageClass, {
      metadata: { name: 'gp3' },
      provisioner: 'ebs.csi.aws.com',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowedTopologies: [
        { matchLabelExpressions: [{ key: Labels.zone, values: ['us-east-1b', 'us-east-1d'] }] },
      ],
    });
    await env.create(ResourceTypes.persistentVolumeClaim, {
      metadata: { name: 'data-db', namespace: 'default' },
      spec: { storageClassName: 'gp3' },
    });
    await env.createPendingPod('db', {
      spec: { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data-db' } }] },
    });

    // Act
    await runProvisioning(env.deps());

    // Assess
    const [claim] = (await env.kube.kube.listNodeClaims()).items;
    const zones = claim?.spec.requirements.find(({ key }) => key === Labels.zone)?.values ?? [];
    expect(zones.length).toBeGreaterThan(0);
    expect(zones.every((zone) => ['us-east-1b', 'us-east-1d'].includes(zone))).toBe(true);
  });
});
