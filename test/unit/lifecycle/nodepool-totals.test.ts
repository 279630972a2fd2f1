import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NodeClaim } from '../../../lib/apis/index.ts';
import { nodePoolTotals, type LifecycleView } from '../../../lib/lifecycle/index.ts';

const POOLS = ['a', 'b'];

const memberArbitrary = fc.record({
  nodePool: fc.constantFrom(...POOLS),
  cpu: fc.integer({ min: 1, max: 96 }),
  registered: fc.boolean(),
  deleting: fc.boolean(),
});

type Member = typeof memberArbitrary extends fc.Arbitrary<infer T> ? T : never;

function view(members: readonly Member[]): LifecycleView {
  const nodeClaims = members.map(
    ({ nodePool, cpu, deleting }, index) =>
      ({
        metadata: {
          name: `claim-${index}`,
          labels: { 'karpenter.sh/nodepool': nodePool },
          ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
        },
        spec: {},
        status: { providerID: `aws:///z/i-${index}`, capacity: { cpu: String(cpu) } },
      }) as unknown as NodeClaim,
  );
  const nodes = members.flatMap(({ registered, cpu }, index) =>
    registered
      ? [
          {
            metadata: { name: `node-${index}` },
            spec: { providerID: `aws:///z/i-${index}` },
            status: { capacity: { cpu: String(cpu) } },
          },
        ]
      : [],
  );
  return { nodes, nodeClaims, nodePools: [], nodeClasses: [] };
}

describe('NodePool totals', () => {
  it('are the same after a claim is marked for deletion and unmarked again', () => {
    fc.assert(
      fc.property(
        fc.array(memberArbitrary, { minLength: 1, maxLength: 20 }),
        fc.nat(),
        (members, pick) => {
          // Prepare
          const index = pick % members.length;
          const before = view(members);
          const target = members[index];
          if (!target) return;
          const marked = view(
            members.map((member, at) => (at === index ? { ...member, deleting: true } : member)),
          );
          const unmarked = view(
            members.map((member, at) =>
              at === index ? { ...member, deleting: target.deleting } : member,
            ),
          );

          // Act
          const totals = (v: LifecycleView) => POOLS.map((pool) => nodePoolTotals(v).of(pool));
          const markedTotals = totals(marked);

          // Assess
          expect(totals(unmarked)).toEqual(totals(before));
          const pool = POOLS.indexOf(target.nodePool);
          const live = target.deleting ? 0 : 1;
          expect(markedTotals[pool]?.['nodes'] ?? 0).toBe(
            (totals(before)[pool]?.['nodes'] ?? 0) - live,
          );
        },
      ),
    );
  });

  it('count a claim deleted in this pass as gone', () => {
    // Prepare
    const members = [{ nodePool: 'a', cpu: 4, registered: true, deleting: false }];

    // Act
    const totals = nodePoolTotals(view(members), new Set(['claim-0']));

    // Assess
    expect(totals.of('a')).toEqual({});
  });
});
