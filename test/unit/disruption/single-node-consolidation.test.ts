import { describe, expect, it } from 'vitest';
import { Labels } from '../../../lib/apis/labels.ts';
import { singleNodeConsolidationMethod, UnseenNodePools } from '../../../lib/disruption/index.ts';
import { instanceType } from '../../fixtures/instance-type.ts';
import {
  consolidatingPool,
  contextOf,
  names,
  onDemandPool,
  TYPES,
  world,
} from './consolidation-fixtures.ts';

function optionNames(command: ReturnType<typeof singleNodeConsolidationMethod.computeCommand>) {
  return command?.replacements[0]?.instanceTypes.map(({ instanceType }) => instanceType.name);
}

describe('single-node consolidation', () => {
  it('deletes the node whose pods fit on the others, cheapest to disrupt first', () => {
    // Prepare
    const snapshot = world([
      { name: 'busy', type: TYPES.large, pods: [500, 500, 500] },
      { name: 'quiet', type: TYPES.large, pods: [500] },
      { name: 'roomy', type: TYPES.large, pods: [1000, 500] },
    ]);

    // Act
    const command = singleNodeConsolidationMethod.computeCommand(contextOf(snapshot).context);

    // Assess
    expect(command?.reason).toBe('Underutilized');
    expect(names(command?.candidates)).toEqual(['quiet']);
    expect(command?.replacements).toEqual([]);
  });

  it('replaces a lone node by one strictly cheaper on-demand node, keeping only the cheaper options', () => {
    // Prepare
    const snapshot = world(
      [{ name: 'big', type: TYPES.xlarge, pods: [800, 700] }],
      [onDemandPool()],
    );

    // Act
    const command = singleNodeConsolidationMethod.computeCommand(contextOf(snapshot).context);

    // Assess
    expect(names(command?.candidates)).toEqual(['big']);
    expect(optionNames(command)).toEqual(['c.medium', 'c.large']);
    expect(command?.replacements[0]?.priceUSDPerHour).toBeCloseTo(0.1);
    expect(command?.replacements[0]?.capacityTypes).toEqual(['on-demand']);
  });

  it('pins a replacement that may be spot or on-demand to spot, the prices it was chosen by', () => {
    // Prepare
    const snapshot = world([{ name: 'big', type: TYPES.xlarge, pods: [800, 700] }]);

    // Act
    const command = singleNodeConsolidationMethod.computeCommand(contextOf(snapshot).context);

    // Assess
    const replacement = command?.replacements[0];
    expect(replacement?.capacityTypes).toEqual(['spot']);
    expect(replacement?.requirements).toContainEqual({
      key: Labels.capacityType,
      operator: 'In',
      values: ['spot'],
    });
  });

  it('leaves a node that only a node of the same price could replace', () => {
    // Prepare
    const snapshot = world(
      [{ name: 'snug', type: TYPES.medium, pods: [800, 700] }],
      [onDemandPool()],
    );
    const { context, unconsolidatable } = contextOf(snapshot);

    // Act
    const command = singleNodeConsolidationMethod.computeCommand(context);

    // Assess
    expect(command).toBeUndefined();
    expect(unconsolidatable.get('snug')).toBe("can't replace with a cheaper node");
  });

  it('does not consolidate while the Underutilized budget is spent', () => {
    // Prepare
    const pool = consolidatingPool('general', {
      budgets: [{ nodes: '0', reasons: ['Underutilized'] }],
    });
    const snapshot = world(
      [
        { name: 'quiet', type: TYPES.large, pods: [500] },
        { name: 'roomy', type: TYPES.large, pods: [1000, 500] },
      ],
      [pool],
    );

    // Act
    const command = singleNodeConsolidationMethod.computeCommand(contextOf(snapshot).context);

    // Assess
    expect(command).toBeUndefined();
  });

  it('ignores NodePools that consolidate only empty nodes', () => {
    // Prepare
    const pool = consolidatingPool('general', { consolidationPolicy: 'WhenEmpty' });
    const snapshot = world(
      [
        { name: 'quiet', type: TYPES.large, pods: [500] },
        { name: 'roomy', type: TYPES.large, pods: [1000, 500] },
      ],
      [pool],
    );

    // Act
    const command = singleNodeConsolidationMethod.computeCommand(contextOf(snapshot).context);

    // Assess
    expect(command).toBeUndefined();
  });

  it('computes the same command for the same cluster', () => {
    // Prepare
    const nodes = [
      { name: 'a', type: TYPES.xlarge, pods: [300, 300] },
      { name: 'b', type: TYPES.xlarge, pods: [300, 300] },
      { name: 'c', type: TYPES.xlarge, pods: [3000, 3000] },
    ];

    // Act
    const first = singleNodeConsolidationMethod.computeCommand(contextOf(world(nodes)).context);
    const second = singleNodeConsolidationMethod.computeCommand(contextOf(world(nodes)).context);

    // Assess
    expect(names(first?.candidates)).toEqual(['a']);
    expect(names(second?.candidates)).toEqual(names(first?.candidates));
    expect(optionNames(second)).toEqual(optionNames(first));
  });

  it('stops at its deadline with no command', () => {
    // Prepare
    const snapshot = world([
      { name: 'quiet', type: TYPES.large, pods: [500] },
      { name: 'roomy', type: TYPES.large, pods: [1000, 500] },
    ]);
    const { context, clock } = contextOf(snapshot);
    // Every reading of the clock takes a minute: the 3-minute pass runs out in the simulation.
    clock.readCostMs = 60_000;

    // Act
    const command = singleNodeConsolidationMethod.computeCommand(context);

    // Assess
    expect(command).toBeUndefined();
  });
});

describe('single-node consolidation across passes', () => {
  /** alpha's node is the cheaper to disrupt (one pod against two); both fit on alpha's roomy node. */
  function twoPools() {
    return world(
      [
        { name: 'alpha-quiet', type: TYPES.large, pods: [500], pool: 'alpha' },
        { name: 'beta-quiet', type: TYPES.large, pods: [300, 200], pool: 'beta' },
        { name: 'alpha-roomy', type: TYPES.xlarge, pods: [500, 500, 500, 500], pool: 'alpha' },
      ],
      [consolidatingPool('alpha'), consolidatingPool('beta')],
    );
  }

  it('starts with the NodePools a timed-out pass did not reach', () => {
    // Prepare: a pass whose every clock reading takes a minute runs out after alpha's first candidate.
    const unseenNodePools = new UnseenNodePools();
    const slow = contextOf(twoPools(), { unseenNodePools });
    slow.clock.readCostMs = 60_000;
    const timedOut = singleNodeConsolidationMethod.computeCommand(slow.context);

    // Act
    const next = singleNodeConsolidationMethod.computeCommand(
      contextOf(twoPools(), { unseenNodePools }).context,
    );
    const forgetful = singleNodeConsolidationMethod.computeCommand(contextOf(twoPools()).context);

    // Assess
    expect(timedOut).toBeUndefined();
    expect(names(next?.candidates)).toEqual(['beta-quiet']);
    expect(names(forgetful?.candidates)).toEqual(['alpha-quiet']);
    // The pass that found its command leaves the memory as it was; one that sees every NodePool clears it.
    expect(unseenNodePools.first()).toEqual(['beta']);
  });

  it('forgets the NodePools once a pass has looked at every candidate', () => {
    // Prepare: beta remembered from an earlier timeout; budgets that allow nothing now.
    const unseenNodePools = new UnseenNodePools();
    unseenNodePools.remember(['beta']);
    const closed = { budgets: [{ nodes: '0' }] };
    const settled = world(
      [
        { name: 'alpha-quiet', type: TYPES.large, pods: [500], pool: 'alpha' },
        { name: 'beta-quiet', type: TYPES.large, pods: [500], pool: 'beta' },
      ],
      [consolidatingPool('alpha', closed), consolidatingPool('beta', closed)],
    );

    // Act
    const command = singleNodeConsolidationMethod.computeCommand(
      contextOf(settled, { unseenNodePools }).context,
    );

    // Assess
    expect(command).toBeUndefined();
    expect(unseenNodePools.first()).toEqual([]);
  });
});

describe('the NodePool minimum savings threshold', () => {
  /** An 8-core node ($0.40 an hour) whose pods a 2-core ($0.10) or a 4-core ($0.20) node would hold. */
  function oversized(annotation: string) {
    return world(
      [{ name: 'big', type: TYPES.xlarge, pods: [800, 700] }],
      [onDemandPool({ 'skyscale.sh/consolidation-min-savings': annotation })],
    );
  }

  it('keeps only the replacements that save at least the percentage asked', () => {
    // Act: 60% of $0.40 is $0.24; only the $0.10 node saves that much.
    const command = singleNodeConsolidationMethod.computeCommand(
      contextOf(oversized('60%')).context,
    );

    // Assess
    expect(optionNames(command)).toEqual(['c.medium']);
  });

  it('keeps only the replacements that save at least the dollars an hour asked', () => {
    // Act: saving $0.35 an hour is more than any replacement saves.
    const { context, unconsolidatable } = contextOf(oversized('$0.35/hour'));
    const command = singleNodeConsolidationMethod.computeCommand(context);

    // Assess
    expect(command).toBeUndefined();
    expect(unconsolidatable.get('big')).toBe(
      "no replacement saves the NodePool's minimum of $0.3500/hour",
    );
  });

  it('does not consolidate a NodePool whose threshold does not parse, and says which annotation is wrong', () => {
    // Act
    const { context, unconsolidatable } = contextOf(oversized('a lot'));
    const command = singleNodeConsolidationMethod.computeCommand(context);

    // Assess
    expect(command).toBeUndefined();
    expect(unconsolidatable.get('big')).toBe(
      'annotation "skyscale.sh/consolidation-min-savings" on NodePool "general" must be a percentage from 0% to 100% (e.g. "10%") or dollars per hour (e.g. "$0.05/hour"), not "a lot"',
    );
  });
});

describe('spot-to-spot single-node consolidation', () => {
  /** Twenty 4-core spot-only types, $0.01 to $0.20 an hour, and the $0.50 type the node runs. */
  const spotTypes = [
    ...Array.from({ length: 20 }, (_, index) =>
      instanceType(`s.${index + 1}`, 4, 16, {
        offerings: [
          { zone: 'zone-a', capacityType: 'spot', price: (index + 1) / 100, available: true },
        ],
      }),
    ),
    instanceType('s.dear', 4, 16, {
      offerings: [{ zone: 'zone-a', capacityType: 'spot', price: 0.5, available: true }],
    }),
  ];
  const dear = spotTypes.at(-1)!;

  it('is off unless the setting allows it', () => {
    // Prepare
    const snapshot = world(
      [{ name: 'spotty', type: dear, capacityType: 'spot', pods: [1000] }],
      undefined,
      spotTypes,
    );
    const { context, unconsolidatable } = contextOf(snapshot);

    // Act
    const command = singleNodeConsolidationMethod.computeCommand(context);

    // Assess
    expect(command).toBeUndefined();
    expect(unconsolidatable.get('spotty')).toMatch(/spot-to-spot consolidation is disabled/);
  });

  it('replaces a spot node from the 15 cheapest of at least 15 cheaper spot options', () => {
    // Prepare
    const snapshot = world(
      [{ name: 'spotty', type: dear, capacityType: 'spot', pods: [1000] }],
      undefined,
      spotTypes,
    );

    // Act
    const command = singleNodeConsolidationMethod.computeCommand(
      contextOf(snapshot, { spotToSpot: true }).context,
    );

    // Assess
    expect(optionNames(command)).toEqual(
      Array.from({ length: 15 }, (_, index) => `s.${index + 1}`),
    );
    expect(command?.replacements[0]?.capacityTypes).toEqual(['spot']);
  });

  it('leaves a spot node with fewer than 15 cheaper spot options', () => {
    // Prepare
    const fewer = [...spotTypes.slice(0, 14), dear];
    const snapshot = world(
      [{ name: 'spotty', type: dear, capacityType: 'spot', pods: [1000] }],
      undefined,
      fewer,
    );
    const { context, unconsolidatable } = contextOf(snapshot, { spotToSpot: true });

    // Act
    const command = singleNodeConsolidationMethod.computeCommand(context);

    // Assess
    expect(command).toBeUndefined();
    expect(unconsolidatable.get('spotty')).toBe(
      'spot-to-spot consolidation needs 15 cheaper instance type options than the current candidate, got 14',
    );
  });
});
