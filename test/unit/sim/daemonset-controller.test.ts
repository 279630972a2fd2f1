import { describe, expect, it } from 'vitest';
import type { DaemonSet } from '../../../lib/apis/index.ts';
import { daemonPod, missingDaemonPods } from '../../../lib/sim/daemonset-controller.ts';
import { boundTo, readyNode } from './fixtures.ts';

function daemonSet(
  name: string,
  spec: Partial<DaemonSet['spec']['template']['spec']> = {},
): DaemonSet {
  return {
    metadata: { name, namespace: 'kube-system', uid: `uid-${name}` },
    spec: {
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name }], ...spec } },
    },
  };
}

describe('missingDaemonPods', () => {
  it('runs a pod of each DaemonSet on every node it matches, pinned to the node', () => {
    // Prepare
    const nodes = [
      readyNode('linux-a', '2', { os: 'linux' }),
      readyNode('windows-b', '2', { os: 'windows' }),
    ];
    const everywhere = daemonSet('logs');
    const linuxOnly = daemonSet('exporter', { nodeSelector: { os: 'linux' } });
    // Act
    const pods = missingDaemonPods([everywhere, linuxOnly], nodes, []);
    // Assess
    expect(pods.map(({ metadata }) => metadata.name).sort()).toEqual([
      'exporter-linux-a',
      'logs-linux-a',
      'logs-windows-b',
    ]);
    expect(
      pods[0]?.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
        ?.nodeSelectorTerms,
    ).toEqual([
      {
        matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['linux-a'] }],
      },
    ]);
    expect(pods[0]?.metadata.ownerReferences?.[0]).toMatchObject({
      kind: 'DaemonSet',
      uid: 'uid-logs',
    });
  });

  it('leaves out tainted nodes the DaemonSet does not tolerate, and nodes that already run its pod', () => {
    // Prepare
    const tainted = readyNode('gpu', '8', {}, [{ key: 'nvidia.com/gpu', effect: 'NoSchedule' }]);
    const plain = readyNode('plain', '2');
    const logs = daemonSet('logs');
    const running = boundTo('plain', daemonPod(logs, plain));
    // Act
    const pods = missingDaemonPods([logs], [tainted, plain], [running]);
    // Assess
    expect(pods).toEqual([]);
  });
});
