import { describe, expect, it } from 'vitest';
import { Labels } from '../../../lib/apis/labels.ts';
import { daemonSet, nodePool, pod, run } from './fixtures.ts';
import { instanceType } from '../../fixtures/instance-type.ts';

const AMD = instanceType('amd-small', 2, 8, { price: 0.1 });
const ARM = instanceType('arm-small', 2, 8, { price: 0.08, labels: { [Labels.arch]: 'arm64' } });

function optionNames(result: ReturnType<typeof run>): string[] {
  return (result.newNodeClaims[0]?.instanceTypes ?? []).map(({ instanceType: type }) => type.name);
}

describe('DaemonSet overhead per instance type', () => {
  it('an arm64-only DaemonSet counts only against arm64 types of a mixed-architecture NodePool', () => {
    // Prepare: the agent leaves no room on arm-small for a 1-CPU pod; amd-small is not affected.
    const armAgent = daemonSet(
      'arm-agent',
      { nodeSelector: { [Labels.arch]: 'arm64' } },
      { cpu: '1', memory: '256Mi' },
    );
    // Act
    const result = run({
      pendingPods: [pod('a', { cpu: '1', memory: '1Gi' })],
      daemonSets: [armAgent],
      nodePools: [nodePool({ instanceTypes: [ARM, AMD] })],
    });
    // Assess
    expect(optionNames(result)).toEqual(['amd-small']);
    expect(result.newNodeClaims[0]?.requests).toMatchObject({ cpu: 1000, pods: 1 });
  });

  it('a DaemonSet selecting by node affinity on instance labels counts against the types it selects', () => {
    // Prepare
    const gpu = instanceType('gpu', 4, 16, {
      price: 1,
      labels: { [Labels.instanceGpuCount]: '1' },
    });
    const plain = instanceType('plain', 4, 16, { price: 2 });
    const gpuDriver = daemonSet(
      'gpu-driver',
      {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: Labels.instanceGpuCount, operator: 'Exists' }] },
              ],
            },
          },
        },
      },
      { cpu: '3500m' },
    );
    // Act
    const result = run({
      pendingPods: [pod('a', { cpu: '1' })],
      daemonSets: [gpuDriver],
      nodePools: [nodePool({ instanceTypes: [gpu, plain] })],
    });
    // Assess: the driver fills the GPU type, so only the plain type fits the pod.
    expect(optionNames(result)).toEqual(['plain']);
  });

  it('a DaemonSet that runs on every type still counts against all of them', () => {
    // Act
    const result = run({
      pendingPods: [pod('a', { cpu: '1', memory: '1Gi' })],
      daemonSets: [daemonSet('everywhere', {}, { cpu: '1', memory: '256Mi' })],
      nodePools: [nodePool({ instanceTypes: [ARM, AMD] })],
    });
    // Assess
    expect(result.newNodeClaims).toEqual([]);
    expect(result.unschedulable).toHaveLength(1);
  });

  it('the NodeClaim requests include the arch-specific DaemonSet when only its types remain', () => {
    // Prepare
    const armAgent = daemonSet(
      'arm-agent',
      { nodeSelector: { [Labels.arch]: 'arm64' } },
      { cpu: '200m', memory: '256Mi' },
    );
    // Act
    const result = run({
      pendingPods: [
        pod('a', { cpu: '1', memory: '1Gi' }, { nodeSelector: { [Labels.arch]: 'arm64' } }),
      ],
      daemonSets: [armAgent],
      nodePools: [nodePool({ instanceTypes: [ARM, AMD] })],
    });
    // Assess
    expect(optionNames(result)).toEqual(['arm-small']);
    expect(result.newNodeClaims[0]?.requests).toMatchObject({ cpu: 1200, pods: 2 });
  });
});
