import { describe, expect, it } from 'vitest';
import type { Taint } from '../../../lib/apis/index.ts';
import { Labels } from '../../../lib/apis/labels.ts';
import { Requirements } from '../../../lib/scheduling/index.ts';
import {
  boundSpentAt,
  costLowerBound,
  fleetLowerBound,
  type NodeOffer,
  type PodDemand,
} from '../../../lib/sim/cost-lower-bound.ts';

const GI = 1024 ** 3;
const HOUR = 3_600_000;

function offer(
  instanceType: string,
  price: number,
  room: Record<string, number>,
  options: { zone?: string; labels?: Record<string, string>; taints?: Taint[] } = {},
): NodeOffer {
  const zone = options.zone ?? 'us-east-1a';
  return {
    nodePool: 'default',
    instanceType,
    zone,
    capacityType: 'on-demand',
    price,
    room: { pods: 110, ...room },
    requirements: Requirements.fromLabels({
      [Labels.instanceType]: instanceType,
      [Labels.zone]: zone,
      ...options.labels,
    }),
    taints: options.taints ?? [],
  };
}

function pods(count: number, requests: Record<string, number>, spec: PodDemand['spec'] = {}) {
  return Array.from({ length: count }, () => ({ requests: { pods: 1, ...requests }, spec }));
}

describe('fleetLowerBound', () => {
  it('prices the pods’ vCPU at the cheapest price per allocatable vCPU of any offer', () => {
    // Prepare: $0.05 per vCPU on the small node, $0.04 on the large one.
    const offers = [offer('small', 0.1, { cpu: 2000 }), offer('large', 0.16, { cpu: 4000 })];

    // Act
    const bound = fleetLowerBound(pods(3, { cpu: 1000 }), offers);

    // Assess
    expect(bound).toBeCloseTo(3 * 0.04, 10);
  });

  it('stays below the optimal packing when whole nodes leave room unused', () => {
    // Prepare: three 1.5-vCPU pods on 2-vCPU nodes: no two share a node, so the best fleet is 3 nodes.
    const offers = [offer('small', 0.1, { cpu: 2000 })];
    const optimal = 3 * 0.1;

    // Act
    const bound = fleetLowerBound(pods(3, { cpu: 1500 }), offers);

    // Assess
    expect(bound).toBeCloseTo(4.5 * 0.05, 10);
    expect(bound).toBeLessThanOrEqual(optimal);
  });

  it('takes the binding resource, each priced on its own, and stays below the best two-resource packing', () => {
    // Prepare: two CPU-heavy and two memory-heavy pods; a compute node is cheapest per vCPU, a
    // memory node per GiB. The best fleet (checked by hand over every mix of nodes) is one
    // compute node for the CPU-heavy pods and one memory node for the others: $0.296.
    const offers = [
      offer('compute', 0.17, { cpu: 4000, memory: 8 * GI }),
      offer('memory', 0.126, { cpu: 2000, memory: 16 * GI }),
    ];
    const running = [
      ...pods(2, { cpu: 2000, memory: 2 * GI }),
      ...pods(2, { cpu: 500, memory: 6 * GI }),
    ];

    // Act
    const bound = fleetLowerBound(running, offers);

    // Assess: CPU binds: 5 vCPU at $0.0425 (memory: 16 GiB at $0.007875 = $0.126).
    expect(bound).toBeCloseTo(5 * 0.0425, 10);
    expect(bound).toBeLessThanOrEqual(0.17 + 0.126);
  });

  it('prices each pod only on offers it fits, tolerates and may select', () => {
    // Prepare: the cheapest node per vCPU is too small for the big pod, tainted for GPUs, or in
    // the wrong zone for the zonal pod.
    const offers = [
      offer('tiny', 0.001, { cpu: 500 }),
      offer('gpu', 0.02, { cpu: 4000 }, { taints: [{ key: 'gpu', effect: 'NoSchedule' }] }),
      offer('b-zone', 0.03, { cpu: 4000 }, { zone: 'us-east-1b' }),
      offer('a-zone', 0.4, { cpu: 4000 }),
    ];
    const zonal = { nodeSelector: { [Labels.zone]: 'us-east-1a' } };
    const tolerant = { tolerations: [{ key: 'gpu', operator: 'Exists' as const }] };

    // Act
    const bigInA = fleetLowerBound(pods(1, { cpu: 1000 }, zonal), offers);
    const big = fleetLowerBound(pods(1, { cpu: 1000 }), offers);
    const bigTolerant = fleetLowerBound(pods(1, { cpu: 1000 }, tolerant), offers);
    const small = fleetLowerBound(pods(1, { cpu: 500 }), offers);

    // Assess
    expect(bigInA).toBeCloseTo(0.4 / 4, 10);
    expect(big).toBeCloseTo(0.03 / 4, 10);
    expect(bigTolerant).toBeCloseTo(0.02 / 4, 10);
    expect(small).toBeCloseTo(0.001, 10);
  });

  it('counts a resource a pod asks for in full, such as the pods a node may run', () => {
    // Prepare: a node with room for 2 pods only: 4 tiny pods need two of them.
    const offers = [offer('few-pods', 0.1, { cpu: 8000, pods: 2 })];

    // Act
    const bound = fleetLowerBound(pods(4, { cpu: 10 }), offers);

    // Assess
    expect(bound).toBeCloseTo(0.2, 10);
  });

  it('adds nothing for a pod no offer takes', () => {
    // Act
    const bound = fleetLowerBound(pods(1, { cpu: 9000 }), [offer('small', 0.1, { cpu: 2000 })]);

    // Assess
    expect(bound).toBe(0);
  });
});

describe('fleetLowerBound against the best packing', () => {
  /** Every way of splitting `items` into groups (the set partitions). */
  function* partitions<T>(items: readonly T[]): Generator<T[][]> {
    const [first, ...rest] = items;
    if (first === undefined) {
      yield [];
      return;
    }
    for (const partition of partitions(rest)) {
      for (let index = 0; index < partition.length; index++)
        yield partition.map((group, at) => (at === index ? [first, ...group] : group));
      yield [[first], ...partition];
    }
  }

  /** The cheapest fleet: over every grouping of the pods, each group on the cheapest node it fits. */
  function optimalFleet(running: readonly PodDemand[], offers: readonly NodeOffer[]): number {
    let best = Infinity;
    for (const groups of partitions(running)) {
      let cost = 0;
      for (const group of groups) {
        const total: Record<string, number> = {};
        for (const { requests } of group)
          for (const [name, value] of Object.entries(requests))
            total[name] = (total[name] ?? 0) + value;
        const fitting = offers.filter(({ room }) =>
          Object.entries(total).every(([name, value]) => value <= (room[name] ?? 0)),
        );
        cost += Math.min(...fitting.map(({ price }) => price));
      }
      best = Math.min(best, cost);
    }
    return best;
  }

  it('never exceeds the cheapest fleet, over many small clusters', () => {
    // Prepare: a fixed pseudo-random sequence of clusters of up to 6 pods and 3 node shapes.
    let seed = 7;
    const next = (below: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % below;
    };
    const cases = Array.from({ length: 60 }, () => {
      const offers = Array.from({ length: 1 + next(3) }, (_, index) =>
        offer(`shape-${index}`, (1 + next(40)) / 100, {
          cpu: 1000 * (1 + next(4)),
          memory: GI * (1 + next(16)),
        }),
      );
      const running = Array.from({ length: 1 + next(6) }, () => ({
        requests: { pods: 1, cpu: 100 * (1 + next(10)), memory: (GI / 4) * (1 + next(16)) },
        spec: {},
      }));
      // Every pod fits on some node, so the best fleet exists.
      const fitsSomewhere = running.every(({ requests }) =>
        offers.some(({ room }) =>
          Object.entries(requests).every(([name, value]) => value <= (room[name] ?? 0)),
        ),
      );
      return { offers, running, fitsSomewhere };
    }).filter(({ fitsSomewhere }) => fitsSomewhere);

    // Act
    const gaps = cases.map(
      ({ offers, running }) => optimalFleet(running, offers) - fleetLowerBound(running, offers),
    );

    // Assess
    expect(cases.length).toBeGreaterThan(30);
    expect(gaps.filter((gap) => gap < -1e-12)).toEqual([]);
  });
});

describe('costLowerBound', () => {
  const offers = [offer('small', 0.1, { cpu: 2000 })];
  const pod = { requests: { cpu: 1000, pods: 1 }, spec: {} };

  it('steps with the running pods and integrates the steps over the run', () => {
    // Prepare: $0.05 an hour per running pod.
    const lives = [
      { ...pod, boundAt: 0, endedAt: HOUR },
      { ...pod, boundAt: HOUR / 2 },
      { ...pod },
    ];

    // Act
    const bound = costLowerBound(lives, offers, 2 * HOUR);

    // Assess
    expect(bound.steps.map(({ at, usdPerHour }) => [at, Number(usdPerHour.toFixed(10))])).toEqual([
      [0, 0.05],
      [HOUR / 2, 0.1],
      [HOUR, 0.05],
    ]);
    expect(bound.totalUSD).toBeCloseTo(0.05 * 0.5 + 0.1 * 0.5 + 0.05, 10);
    expect(bound.endPerHourUSD).toBeCloseTo(0.05, 10);
    expect(boundSpentAt(bound, [0, (3 * HOUR) / 4, 2 * HOUR])).toEqual([
      0,
      expect.closeTo(0.025 + 0.1 * 0.25, 10),
      expect.closeTo(0.125, 10),
    ]);
  });

  it('is exactly zero once every pod has ended', () => {
    // Prepare: shares that do not add back to zero in floating point.
    const lives = [0.1, 0.2, 0.3].map((cpu, index) => ({
      requests: { cpu: cpu * 1000, pods: 1 },
      spec: {},
      boundAt: index,
      endedAt: HOUR,
    }));

    // Act
    const bound = costLowerBound(lives, offers, 2 * HOUR);

    // Assess
    expect(bound.endPerHourUSD).toBe(0);
    expect(bound.steps.at(-1)).toEqual({ at: HOUR, usdPerHour: 0 });
  });
});
