import { describe, expect, it } from 'vitest';
import {
  disruptionCandidates,
  driftReason,
  expiredClaims,
  orchestrationSteps,
  REPLACEMENT_TIMEOUT_MS,
} from '../../../lib/disruption/index.ts';
import {
  Annotations,
  ec2NodeClassHashAnnotations,
  nodePoolHash,
  type EC2NodeClass,
} from '../../../lib/apis/index.ts';
import { nodeClass } from '../../fixtures/node-class.ts';
import { budgets, HOUR, node, nodeClaim, nodePool, NOW, pdb, pod, stateNode } from './fixtures.ts';

const POOLS = new Map([['general', nodePool()]]);

function candidateNames(
  nodes: ReturnType<typeof stateNode>[],
  pdbs = [] as ReturnType<typeof pdb>[],
  disruptionClass: 'graceful' | 'eventual' = 'graceful',
) {
  const { candidates, blocked } = disruptionCandidates(
    { nodes, nodePools: POOLS, budgets: budgets(pdbs), now: NOW },
    disruptionClass,
  );
  return {
    candidates: candidates.map(({ name }) => name),
    blocked: Object.fromEntries(blocked.map(({ stateNode: { name }, reason }) => [name, reason])),
  };
}

describe('disruption candidates', () => {
  it('leaves out a replacement while a node it replaces is still there, as Karpenter leaves out nominated nodes', () => {
    // Prepare
    const replaces = (names: string) => ({ annotations: { 'skyscale.sh/replaces': names } });
    const nodes = [
      stateNode('old', {}, [pod('web', 'old')]),
      stateNode('waiting', replaces('old')),
      stateNode('settled', replaces('gone')),
    ];

    // Act
    const { candidates, blocked } = candidateNames(nodes);

    // Assess
    expect(candidates).toEqual(['old', 'settled']);
    expect(blocked).toEqual({ waiting: 'node is nominated for the pods of the nodes it replaces' });
  });

  it('leaves out nodes with a do-not-disrupt pod, one whose do-not-disrupt duration has not elapsed, and a do-not-disrupt node', () => {
    // Prepare: the pods started an hour ago.
    const nodes = [
      stateNode('free', {}, [pod('web', 'free')]),
      stateNode('pinned', {}, [pod('job', 'pinned', { 'karpenter.sh/do-not-disrupt': 'true' })]),
      stateNode('pinned-for-2h', {}, [
        pod('job2', 'pinned-for-2h', { 'karpenter.sh/do-not-disrupt': '2h' }),
      ]),
      stateNode('was-pinned-30m', {}, [
        pod('job3', 'was-pinned-30m', { 'karpenter.sh/do-not-disrupt': '30m' }),
      ]),
      stateNode('node-pinned', {}, [], { annotations: { 'karpenter.sh/do-not-disrupt': 'true' } }),
    ];

    // Act
    const { candidates, blocked } = candidateNames(nodes);

    // Assess
    expect(candidates).toEqual(['free', 'was-pinned-30m']);
    expect(blocked).toEqual({
      pinned: 'pod "default/job" has the "karpenter.sh/do-not-disrupt" annotation',
      'pinned-for-2h': 'pod "default/job2" has the "karpenter.sh/do-not-disrupt" annotation',
      'node-pinned': 'disruption is blocked through the "karpenter.sh/do-not-disrupt" annotation',
    });
  });

  it('leaves out a node whose pod a PodDisruptionBudget allows no disruption of, unless drift may bound it by a terminationGracePeriod', () => {
    // Prepare
    const nodes = [
      stateNode('db', {}, [pod('db-0', 'db', {}, { app: 'db' })]),
      stateNode('db-bounded', { spec: { terminationGracePeriod: '1h' } }, [
        pod('db-1', 'db-bounded', {}, { app: 'db' }),
      ]),
      stateNode('cache', {}, [pod('cache-0', 'cache', {}, { app: 'cache' })]),
    ];
    const pdbs = [pdb('db', { app: 'db' }, 0), pdb('cache', { app: 'cache' }, 1)];

    // Act
    const graceful = candidateNames(nodes, pdbs, 'graceful');
    const eventual = candidateNames(nodes, pdbs, 'eventual');

    // Assess
    expect(graceful.candidates).toEqual(['cache']);
    expect(graceful.blocked.db).toBe('pdb "default/db" prevents pod evictions');
    expect(eventual.candidates).toEqual(['db-bounded', 'cache']);
  });

  it('leaves out nodes that are not initialized, already being disrupted or deleting', () => {
    // Prepare
    const nodes = [
      stateNode('new', { initializedAt: undefined }),
      stateNode('busy', { disruption: { reason: 'Drifted', at: NOW } }),
      stateNode('going', { deleting: true }),
      stateNode('ok'),
    ];

    // Act
    const { candidates, blocked } = candidateNames(nodes);

    // Assess
    expect(candidates).toEqual(['ok']);
    expect(Object.keys(blocked)).toEqual(['new', 'busy', 'going']);
  });
});

describe('drift', () => {
  it('finds static drift only between hashes of the same version, and requirements drift when the node no longer satisfies them', () => {
    // Prepare
    const pool = nodePool('general', {}, { expireAfter: '24h' });
    const hash = nodePoolHash(pool);
    const current = nodeClaim('a', {
      annotations: {
        'karpenter.sh/nodepool-hash': hash,
        'karpenter.sh/nodepool-hash-version': 'v3',
      },
    });
    const stale = nodeClaim('b', {
      annotations: {
        'karpenter.sh/nodepool-hash': '1',
        'karpenter.sh/nodepool-hash-version': 'v3',
      },
    });
    const otherVersion = nodeClaim('c', {
      annotations: {
        'karpenter.sh/nodepool-hash': '1',
        'karpenter.sh/nodepool-hash-version': 'v2',
      },
    });
    const arm = nodeClaim('d', { labels: { 'kubernetes.io/arch': 'arm64' } });
    const inputs = { nodePool: pool, instanceTypes: undefined, nodeClass: undefined };

    // Act
    const reasons = [current, stale, otherVersion, arm].map((claim) => driftReason(claim, inputs));

    // Assess
    expect(reasons).toEqual([undefined, 'NodePoolDrifted', undefined, 'RequirementsDrifted']);
  });

  it('finds node class drift when the class hashes differently now, only between hashes of the same version', () => {
    // Prepare
    const launchedFrom = nodeClass();
    const changed = nodeClass({ userData: 'echo changed' });
    const stamped = (name: string, annotations: Record<string, string>) =>
      nodeClaim(name, { annotations });
    const annotated = (nodeClass: EC2NodeClass, annotations: Record<string, string>) => ({
      ...nodeClass,
      metadata: { ...nodeClass.metadata, annotations },
    });
    const current = annotated(changed, ec2NodeClassHashAnnotations(changed));
    const claims = [
      stamped('same', ec2NodeClassHashAnnotations(changed)),
      stamped('old', ec2NodeClassHashAnnotations(launchedFrom)),
      stamped('old-version', {
        ...ec2NodeClassHashAnnotations(launchedFrom),
        [Annotations.ec2NodeClassHashVersion]: 'v3',
      }),
      stamped('unstamped', {}),
    ];
    const inputs = (nodeClass: EC2NodeClass) => ({
      nodePool: nodePool(),
      instanceTypes: undefined,
      nodeClass,
    });

    // Act
    const reasons = claims.map((claim) => driftReason(claim, inputs(current)));
    const beforeTheClassIsStamped = driftReason(claims[1]!, inputs(changed));

    // Assess
    expect(reasons).toEqual([undefined, 'NodeClassDrift', undefined, undefined]);
    expect(beforeTheClassIsStamped).toBeUndefined();
  });
});

describe('expiration', () => {
  it('expires claims past their expireAfter, never those set to Never or already deleting', () => {
    // Prepare
    const claims = [
      nodeClaim('old', { spec: { expireAfter: '1h' }, createdAt: NOW - 2 * HOUR }),
      nodeClaim('young', { spec: { expireAfter: '3h' }, createdAt: NOW - 2 * HOUR }),
      nodeClaim('forever', { spec: { expireAfter: 'Never' }, createdAt: NOW - 2000 * HOUR }),
      nodeClaim('going', {
        spec: { expireAfter: '1h' },
        createdAt: NOW - 2 * HOUR,
        deleting: true,
      }),
    ];

    // Act
    const expired = expiredClaims(claims, NOW);

    // Assess
    expect(expired.map(({ metadata }) => metadata.name)).toEqual(['old']);
  });
});

describe('orchestration of commands in progress', () => {
  const initialized = { initializedAt: NOW - 60_000 };

  it('deletes a candidate once every replacement initialized, waits before, and rolls back after 10 minutes', () => {
    // Prepare
    const ready = [
      nodeClaim('old', { disruption: { reason: 'Drifted', at: NOW - 60_000, replacements: 1 } }),
      nodeClaim('new', { replaces: 'old', ...initialized }),
    ];
    const booting = [
      nodeClaim('old', { disruption: { reason: 'Drifted', at: NOW - 60_000, replacements: 1 } }),
      nodeClaim('new', { replaces: 'old' }),
    ];
    const stuck = [
      nodeClaim('old', {
        disruption: { reason: 'Drifted', at: NOW - REPLACEMENT_TIMEOUT_MS, replacements: 1 },
      }),
      nodeClaim('new', { replaces: 'old' }),
    ];

    // Act
    const steps = [ready, booting, stuck].map((claims) => orchestrationSteps(claims, [], NOW));

    // Assess
    expect(steps.map((list) => list.map(({ kind }) => kind))).toEqual([
      ['delete'],
      ['wait'],
      ['rollback'],
    ]);
    expect(steps[2]?.[0]).toMatchObject({ replacements: [{ metadata: { name: 'new' } }] });
  });

  it('rolls back a command whose replacements a killed run never created, and untaints a node no command explains', () => {
    // Prepare
    const claims = [
      nodeClaim('old', { disruption: { reason: 'Drifted', at: NOW, replacements: 2 } }),
      nodeClaim('new', { replaces: 'old' }),
      nodeClaim('other'),
    ];
    const nodes = [
      node('old', { taints: [{ key: 'karpenter.sh/disrupted', effect: 'NoSchedule' }] }),
      node('other', { taints: [{ key: 'karpenter.sh/disrupted', effect: 'NoSchedule' }] }),
    ];

    // Act
    const steps = orchestrationSteps(claims, nodes, NOW);

    // Assess
    expect(steps).toEqual([
      expect.objectContaining({
        kind: 'rollback',
        reason: '1 of its 2 replacement(s) do not exist',
      }),
      expect.objectContaining({
        kind: 'untaint',
        node: expect.objectContaining({ metadata: expect.objectContaining({ name: 'other' }) }),
      }),
    ]);
  });
});
