import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { beforeAll, describe, expect, it, vi } from 'vitest';

import { createTestNamespace, kubeConfigYaml } from '../env/index.ts';

describe('the real kube-scheduler', () => {
  let core: CoreV1Api;
  let namespace: string;

  beforeAll(async () => {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(kubeConfigYaml());
    core = kubeConfig.makeApiClient(CoreV1Api);
    namespace = await createTestNamespace('scheduler');
  });

  it('marks a pod Unschedulable when no node matches it', async () => {
    // Prepare: other test files' nodes may exist; none carries this label
    const { items: nodes } = await core.listNode();
    expect(nodes.filter((node) => node.metadata?.labels?.['skyscale.test/none'])).toEqual([]);

    // Act
    await core.createNamespacedPod({
      namespace,
      body: {
        metadata: { name: 'pending' },
        spec: {
          nodeSelector: { 'skyscale.test/none': 'true' },
          containers: [
            {
              name: 'app',
              image: 'registry.k8s.io/pause:3.10',
              resources: { requests: { cpu: '1' } },
            },
          ],
        },
      },
    });

    // Assess
    const scheduled = await vi.waitFor(
      async () => {
        const pod = await core.readNamespacedPod({ name: 'pending', namespace });
        const condition = pod.status?.conditions?.find(({ type }) => type === 'PodScheduled');
        if (condition === undefined) throw new Error('the scheduler has not looked at the pod yet');
        return { condition, nodeName: pod.spec?.nodeName };
      },
      { timeout: 30_000, interval: 200 },
    );
    expect(scheduled.condition).toMatchObject({
      status: 'False',
      reason: 'Unschedulable',
      message:
        nodes.length === 0
          ? 'no nodes available to schedule pods'
          : expect.stringMatching(new RegExp(`^0/${nodes.length} nodes are available`)),
    });
    expect(scheduled.nodeName).toBeUndefined();
  });
});
