import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BlockingBudgets, ClusterSnapshot, type StateNode } from '../../../lib/state/index.ts';

const NODE_POOLS = ['a', 'b'];

const stateNodeArbitrary = (name: string): fc.Arbitrary<StateNode> =>
  fc
    .record({
      nodePool: fc.option(fc.constantFrom(...NODE_POOLS), { nil: undefined }),
      cpu: fc.integer({ min: 1, max: 192_000 }),
      memory: fc.integer({ min: 1, max: 2 ** 40 }),
      markedForDeletion: fc.boolean(),
    })
    .map(({ nodePool, cpu, memory, markedForDeletion }) => ({
      name,
      nodePool,
      node: undefined,
      nodeClaim: undefined,
      capacity: { cpu, memory },
      allocatable: { cpu, memory },
      markedForDeletion,
      pods: [],
    }));

const nodesArbitrary = fc
  .integer({ min: 1, max: 8 })
  .chain((count) =>
    fc.tuple(...Array.from({ length: count }, (_, index) => stateNodeArbitrary(`node-${index}`))),
  );

function snapshotOf(nodes: readonly StateNode[]): ClusterSnapshot {
  return new ClusterSnapshot({
    nodes,
    pods: [],
    daemonSets: [],
    budgets: new BlockingBudgets([]),
    nodePools: [],
    unavailableNodePools: [],
  });
}

/** The totals recomputed from scratch: every live node of the pool, its capacity and one node each. */
function expectedTotals(nodes: readonly StateNode[], nodePool: string): Record<string, number> {
  const live = nodes.filter((node) => node.nodePool === nodePool && !node.markedForDeletion);
  if (live.length === 0) return {};
  return {
    cpu: live.reduce((sum, { capacity }) => sum + (capacity['cpu'] ?? 0), 0),
    memory: live.reduce((sum, { capacity }) => sum + (capacity['memory'] ?? 0), 0),
    nodes: live.length,
  };
}

describe('NodePool resource totals', () => {
  it('restores the same totals after a node is marked for deletion and unmarked, whatever its state before', () => {
    fc.assert(
      fc.property(nodesArbitrary, fc.nat(), (nodes, pick) => {
        // Prepare
        const snapshot = snapshotOf(nodes);
        const name = nodes[pick % nodes.length]?.name ?? '';
        const before = NODE_POOLS.map((nodePool) => snapshot.nodePoolResources(nodePool));

        // Act
        snapshot.markForDeletion(name);
        snapshot.unmarkForDeletion(name);

        // Assess
        const unmarked = nodes.map((node) =>
          node.name === name ? { ...node, markedForDeletion: false } : node,
        );
        expect(NODE_POOLS.map((nodePool) => snapshot.nodePoolResources(nodePool))).toEqual(
          NODE_POOLS.map((nodePool) => expectedTotals(unmarked, nodePool)),
        );
        if (!nodes.find((node) => node.name === name)?.markedForDeletion)
          expect(NODE_POOLS.map((nodePool) => snapshot.nodePoolResources(nodePool))).toEqual(
            before,
          );
      }),
    );
  });

  it('always equals the totals recomputed from the current views, through any sequence of marks and unmarks', () => {
    fc.assert(
      fc.property(
        nodesArbitrary,
        fc.array(fc.tuple(fc.nat(), fc.boolean()), { maxLength: 30 }),
        (nodes, changes) => {
          // Prepare
          const snapshot = snapshotOf(nodes);
          const current = new Map(nodes.map((node) => [node.name, node]));

          for (const [pick, mark] of changes) {
            // Act
            const name = nodes[pick % nodes.length]?.name ?? '';
            if (mark) snapshot.markForDeletion(name);
            else snapshot.unmarkForDeletion(name);
            current.set(name, { ...(current.get(name) as StateNode), markedForDeletion: mark });

            // Assess
            for (const nodePool of NODE_POOLS)
              expect(snapshot.nodePoolResources(nodePool)).toEqual(
                expectedTotals([...current.values()], nodePool),
              );
          }
        },
      ),
    );
  });

  it('counts a marked node as zero and leaves nodes without a NodePool out', () => {
    // Prepare
    const base = { node: undefined, nodeClaim: undefined, allocatable: {}, pods: [] };
    const snapshot = snapshotOf([
      { ...base, name: 'live', nodePool: 'a', capacity: { cpu: 4000 }, markedForDeletion: false },
      {
        ...base,
        name: 'deleting',
        nodePool: 'a',
        capacity: { cpu: 8000 },
        markedForDeletion: true,
      },
      {
        ...base,
        name: 'unmanaged',
        nodePool: undefined,
        capacity: { cpu: 2000 },
        markedForDeletion: false,
      },
    ]);

    // Act
    const totals = snapshot.nodePoolResources('a');

    // Assess
    expect(totals).toEqual({ cpu: 4000, nodes: 1 });
  });
});
