import { describe, expect, it } from 'vitest';
import type {
  PersistentVolume,
  PersistentVolumeClaim,
  StorageClass,
} from '../../../lib/apis/index.ts';
import { Labels } from '../../../lib/apis/labels.ts';
import type { SchedulingVolumes } from '../../../lib/scheduling/index.ts';
import { asExisting, node, pod, requirementValues, run } from './fixtures.ts';

function withClaim(name: string, claimName: string) {
  return pod(name, undefined, {
    volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }],
  });
}

function claim(name: string, spec: PersistentVolumeClaim['spec']): PersistentVolumeClaim {
  return { metadata: { name, namespace: 'default' }, spec };
}

function zonalVolume(name: string, key: string, zone: string, local = false): PersistentVolume {
  return {
    metadata: { name },
    spec: {
      ...(local ? { local: { path: '/mnt/disk' } } : {}),
      nodeAffinity: {
        required: {
          nodeSelectorTerms: [
            {
              matchExpressions: [
                { key, operator: 'In', values: [zone] },
                ...(local
                  ? [{ key: Labels.hostname, operator: 'In' as const, values: ['old-node'] }]
                  : []),
              ],
            },
          ],
        },
      },
    },
  };
}

function storageClass(
  name: string,
  mode: StorageClass['volumeBindingMode'],
  zones?: string[],
): StorageClass {
  return {
    metadata: { name },
    provisioner: 'ebs.csi.aws.com',
    volumeBindingMode: mode,
    ...(zones
      ? { allowedTopologies: [{ matchLabelExpressions: [{ key: Labels.zone, values: zones }] }] }
      : {}),
  };
}

function volumes(parts: Partial<SchedulingVolumes>): SchedulingVolumes {
  return { persistentVolumes: [], persistentVolumeClaims: [], storageClasses: [], ...parts };
}

describe('volume topology', () => {
  it('a bound zonal PersistentVolume pins the pod to its zone', () => {
    // Act
    const result = run({
      pendingPods: [withClaim('db', 'data-db')],
      volumes: volumes({
        persistentVolumeClaims: [claim('data-db', { volumeName: 'pv-1' })],
        persistentVolumes: [zonalVolume('pv-1', Labels.zone, 'zone-b')],
      }),
    });
    // Assess
    expect(result.newNodeClaims[0]?.zones).toEqual(['zone-b']);
  });

  it('understands the EBS CSI zone label in a volume’s node affinity', () => {
    // Act
    const result = run({
      pendingPods: [withClaim('db', 'data-db')],
      volumes: volumes({
        persistentVolumeClaims: [claim('data-db', { volumeName: 'pv-1' })],
        persistentVolumes: [zonalVolume('pv-1', 'topology.ebs.csi.aws.com/zone', 'zone-c')],
      }),
    });
    // Assess
    expect(requirementValues(result, 0, Labels.zone)).toEqual(['zone-c']);
  });

  it('an unbound claim of a WaitForFirstConsumer StorageClass uses its allowed topologies', () => {
    // Act
    const result = run({
      pendingPods: [withClaim('db', 'data-db')],
      volumes: volumes({
        persistentVolumeClaims: [claim('data-db', { storageClassName: 'gp3' })],
        storageClasses: [storageClass('gp3', 'WaitForFirstConsumer', ['zone-a', 'zone-c'])],
      }),
    });
    // Assess
    expect(result.newNodeClaims[0]?.zones).toEqual(['zone-a', 'zone-c']);
  });

  it('keeps a pod off an existing node in another zone than its volume', () => {
    // Prepare
    const elsewhere = node(
      'elsewhere',
      { cpu: '8', memory: '32Gi', pods: '110' },
      {
        [Labels.zone]: 'zone-a',
      },
    );
    // Act
    const result = run({
      pendingPods: [withClaim('db', 'data-db')],
      existingNodes: [{ ...asExisting(elsewhere), pods: [] }],
      volumes: volumes({
        persistentVolumeClaims: [claim('data-db', { volumeName: 'pv-1' })],
        persistentVolumes: [zonalVolume('pv-1', Labels.zone, 'zone-b')],
      }),
    });
    // Assess
    expect(result.existingNodes).toEqual([]);
    expect(result.newNodeClaims[0]?.zones).toEqual(['zone-b']);
  });

  it('ignores the hostname of a local volume, which a new node never has', () => {
    // Act
    const result = run({
      pendingPods: [withClaim('db', 'data-db')],
      volumes: volumes({
        persistentVolumeClaims: [claim('data-db', { volumeName: 'pv-1' })],
        persistentVolumes: [zonalVolume('pv-1', Labels.zone, 'zone-a', true)],
      }),
    });
    // Assess
    expect(result.unschedulable).toEqual([]);
    expect(result.newNodeClaims[0]?.zones).toEqual(['zone-a']);
  });

  it('an ephemeral volume of a pending pod takes its template’s StorageClass', () => {
    // Prepare
    const ephemeral = pod('cache', undefined, {
      volumes: [
        {
          name: 'scratch',
          ephemeral: { volumeClaimTemplate: { spec: { storageClassName: 'gp3' } } },
        },
      ],
    });
    // Act
    const result = run({
      pendingPods: [ephemeral],
      volumes: volumes({
        storageClasses: [storageClass('gp3', 'WaitForFirstConsumer', ['zone-b'])],
      }),
    });
    // Assess
    expect(result.newNodeClaims[0]?.zones).toEqual(['zone-b']);
  });

  it.each([
    ['a missing claim', volumes({}), /PersistentVolumeClaim "default\/data-db" not found/],
    [
      'an unbound claim under Immediate binding',
      volumes({
        persistentVolumeClaims: [claim('data-db', { storageClassName: 'fast' })],
        storageClasses: [storageClass('fast', 'Immediate')],
      }),
      /binds Immediately/,
    ],
    [
      'a claim bound to a missing volume',
      volumes({ persistentVolumeClaims: [claim('data-db', { volumeName: 'gone' })] }),
      /PersistentVolume "gone", which was not found/,
    ],
    [
      'an unbound claim with no StorageClass',
      volumes({ persistentVolumeClaims: [claim('data-db', {})] }),
      /names no StorageClass/,
    ],
  ])('does not schedule a pod with %s, and says why', (_, given, reason) => {
    // Act
    const result = run({ pendingPods: [withClaim('db', 'data-db')], volumes: given });
    // Assess
    expect(result.newNodeClaims).toEqual([]);
    expect(result.unschedulable[0]?.reason).toMatch(reason);
  });
});
