import { describe, expect, it } from 'vitest';
import { NodePoolSchema, nodePoolHash, type NodePool } from '../../../lib/apis/index.ts';

function nodePool(template: { labels?: Record<string, string>; spec?: object }): NodePool {
  return NodePoolSchema.parse({
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name: 'general' },
    spec: {
      template: {
        metadata: template.labels ? { labels: template.labels } : undefined,
        spec: {
          requirements: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }],
          nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
          ...template.spec,
        },
      },
    },
  });
}

const TAINT_A = { key: 'a', value: '1', effect: 'NoSchedule' };
const TAINT_B = { key: 'b', effect: 'NoExecute' };

describe('nodePoolHash', () => {
  it('is the same for the same template, whatever the order of lists and keys or empty maps', () => {
    // Prepare
    const first = nodePool({ labels: { x: '1', y: '2' }, spec: { taints: [TAINT_A, TAINT_B] } });
    const second = nodePool({
      labels: { y: '2', x: '1' },
      spec: { taints: [TAINT_B, TAINT_A], startupTaints: [] },
    });

    // Act
    const hashes = [nodePoolHash(first), nodePoolHash(second)];

    // Assess
    expect(hashes[0]).toMatch(/^\d+$/);
    expect(hashes[0]).toBe(hashes[1]);
  });

  it('changes when the template changes, but not when only its requirements do', () => {
    // Prepare
    const base = nodePool({ spec: { taints: [TAINT_A] } });
    const relabelled = nodePool({ labels: { team: 'x' }, spec: { taints: [TAINT_A] } });
    const longerLived = nodePool({ spec: { taints: [TAINT_A], expireAfter: '24h' } });
    const otherRequirements = nodePool({
      spec: {
        taints: [TAINT_A],
        requirements: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }],
      },
    });

    // Act
    const [hash, ...others] = [base, relabelled, longerLived, otherRequirements].map(nodePoolHash);

    // Assess
    expect(others).toEqual([
      expect.not.stringMatching(`^${hash}$`),
      expect.not.stringMatching(`^${hash}$`),
      hash,
    ]);
  });
});
