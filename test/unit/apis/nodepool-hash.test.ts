import { describe, expect, it } from 'vitest';
import { NodePoolSchema, nodePoolHash, type NodePool } from '../../../lib/apis/index.ts';

const NODE_CLASS_REF = { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' };

function nodePool(template: { metadata?: object; spec?: object }): NodePool {
  return NodePoolSchema.parse({
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name: 'general' },
    spec: {
      template: {
        ...(template.metadata && { metadata: template.metadata }),
        spec: {
          requirements: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }],
          nodeClassRef: NODE_CLASS_REF,
          ...template.spec,
        },
      },
    },
  });
}

const TAINT_A = { key: 'a', value: '1', effect: 'NoSchedule' };
const TAINT_B = { key: 'b', effect: 'NoExecute', timeAdded: '2024-05-06T07:08:09Z' };

describe('nodePoolHash', () => {
  // The expected values are what Karpenter v1.4.0's NodePool.Hash() returns for the same JSON.
  it.each([
    ['the defaults (expireAfter 720h)', {}, '6821555240594823858'],
    [
      'labels, annotations, taints with a time, expireAfter Never and a terminationGracePeriod',
      {
        metadata: { labels: { team: 'x', a: '' }, annotations: { k: 'v' } },
        spec: {
          taints: [TAINT_A, TAINT_B],
          startupTaints: [],
          expireAfter: 'Never',
          terminationGracePeriod: '1h30m',
        },
      },
      '13656693770608990101',
    ],
    [
      'an empty label map and a zero expireAfter',
      { metadata: { labels: {} }, spec: { expireAfter: '0s' } },
      '11518162726987618464',
    ],
  ])('matches Karpenter’s hash for %s', (_name, template, expected) => {
    // Prepare
    const pool = nodePool(template);

    // Act
    const hash = nodePoolHash(pool);

    // Assess
    expect(hash).toBe(expected);
  });

  it('is the same whatever the order of taints and map keys', () => {
    // Prepare
    const first = nodePool({
      metadata: { labels: { x: '1', y: '2' } },
      spec: { taints: [TAINT_A, TAINT_B] },
    });
    const second = nodePool({
      metadata: { labels: { y: '2', x: '1' } },
      spec: { taints: [TAINT_B, TAINT_A] },
    });

    // Act
    const hashes = [nodePoolHash(first), nodePoolHash(second)];

    // Assess
    expect(hashes[0]).toBe(hashes[1]);
  });

  it('changes when the template changes, but not when only its requirements do', () => {
    // Prepare
    const base = nodePool({ spec: { taints: [TAINT_A] } });
    const relabelled = nodePool({
      metadata: { labels: { team: 'x' } },
      spec: { taints: [TAINT_A] },
    });
    const longerLived = nodePool({ spec: { taints: [TAINT_A], expireAfter: '24h' } });
    const emptyStartupTaints = nodePool({ spec: { taints: [TAINT_A], startupTaints: [] } });
    const otherRequirements = nodePool({
      spec: {
        taints: [TAINT_A],
        requirements: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }],
      },
    });

    // Act
    const [hash, ...others] = [
      base,
      relabelled,
      longerLived,
      emptyStartupTaints,
      otherRequirements,
    ].map(nodePoolHash);

    // Assess
    expect(new Set([hash, ...others.slice(0, 3)]).size).toBe(4);
    expect(others[3]).toBe(hash);
  });
});
