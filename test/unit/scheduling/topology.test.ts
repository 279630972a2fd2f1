import { describe, expect, it } from 'vitest';
import type { Pod, TopologySpreadConstraint } from '../../../lib/apis/index.ts';
import { Labels } from '../../../lib/apis/labels.ts';
import { names, node, pod, run, asExisting } from './fixtures.ts';

function spreading(
  name: string,
  constraint: Partial<TopologySpreadConstraint> = {},
  labels: Record<string, string> = { app: 'web' },
): Pod {
  const spread: TopologySpreadConstraint = {
    maxSkew: 1,
    topologyKey: Labels.zone,
    whenUnsatisfiable: 'DoNotSchedule',
    labelSelector: { matchLabels: { app: 'web' } },
    ...constraint,
  };
  return pod(name, { cpu: '100m' }, { topologySpreadConstraints: [spread] }, labels);
}

function antiAffine(name: string, topologyKey: string = Labels.hostname): Pod {
  const term = { labelSelector: { matchLabels: { app: 'web' } }, topologyKey };
  return pod(
    name,
    { cpu: '100m' },
    { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } } },
    { app: 'web' },
  );
}

const zonesOf = (result: ReturnType<typeof run>): string[][] =>
  result.newNodeClaims.map(({ zones }) => [...zones]);

describe('topology spread', () => {
  it('spreads over zones within maxSkew', () => {
    // Act
    const result = run({ pendingPods: ['p1', 'p2', 'p3', 'p4'].map((name) => spreading(name)) });
    // Assess
    expect(zonesOf(result)).toEqual([['zone-a'], ['zone-b'], ['zone-c']]);
    expect(result.newNodeClaims.map(({ pods }) => pods.length)).toEqual([2, 1, 1]);
  });

  it('treats the minimum as zero while fewer than minDomains domains exist', () => {
    const result = run({
      pendingPods: ['p1', 'p2', 'p3', 'p4'].map((name) => spreading(name, { minDomains: 5 })),
    });
    expect(result.newNodeClaims).toHaveLength(3);
    expect(result.unschedulable[0]?.reason).toMatch(
      /topology spread \(maxSkew 1\) on topology.kubernetes.io\/zone/,
    );
  });

  it('spreads over hostnames: one self-selecting pod per node with maxSkew 1', () => {
    const result = run({
      pendingPods: ['p1', 'p2', 'p3'].map((name) =>
        spreading(name, { topologyKey: Labels.hostname }),
      ),
    });
    expect(result.newNodeClaims).toHaveLength(3);
  });

  it('spreads over capacity types', () => {
    const result = run({
      pendingPods: ['p1', 'p2'].map((name) =>
        spreading(name, { topologyKey: Labels.capacityType }),
      ),
    });
    expect(result.newNodeClaims.map(({ capacityTypes }) => capacityTypes)).toEqual([
      ['on-demand'],
      ['spot'],
    ]);
  });

  it('counts pods on existing nodes', () => {
    const existing = {
      ...asExisting(
        node('node-a', { cpu: '1', memory: '1Gi', pods: '10' }, { [Labels.zone]: 'zone-a' }),
      ),
      pods: [pod('running', { cpu: '100m' }, {}, { app: 'web' })],
    };
    const result = run({ pendingPods: [spreading('p1')], existingNodes: [existing] });
    expect(zonesOf(result)).toEqual([['zone-b']]);
  });

  it('with nodeTaintsPolicy Honor ignores nodes whose taints the pod does not tolerate', () => {
    // Prepare: a tainted zone-a node runs two matching pods.
    const tainted = {
      ...asExisting(
        node(
          'tainted',
          { cpu: '1', memory: '1Gi', pods: '10' },
          { [Labels.zone]: 'zone-a' },
          { taints: [{ key: 'dedicated', effect: 'NoSchedule' }] },
        ),
      ),
      pods: [1, 2].map((index) => pod(`running-${index}`, { cpu: '100m' }, {}, { app: 'web' })),
    };
    // Act
    const ignored = run({ pendingPods: [spreading('p1')], existingNodes: [tainted] });
    const honored = run({
      pendingPods: [spreading('p1', { nodeTaintsPolicy: 'Honor' })],
      existingNodes: [tainted],
    });
    // Assess
    expect(zonesOf(ignored)).toEqual([['zone-b']]);
    expect(zonesOf(honored)).toEqual([['zone-a']]);
  });

  it('counts each matchLabelKeys value separately', () => {
    const versioned = (name: string, version: string, keys?: string[]): Pod =>
      spreading(
        name,
        { topologyKey: Labels.hostname, ...(keys ? { matchLabelKeys: keys } : {}) },
        { app: 'web', version },
      );
    const separate = run({
      pendingPods: [
        versioned('v1-a', 'v1', ['version']),
        versioned('v1-b', 'v1', ['version']),
        versioned('v2-a', 'v2', ['version']),
      ],
    });
    const together = run({
      pendingPods: [versioned('v1-a', 'v1'), versioned('v1-b', 'v1'), versioned('v2-a', 'v2')],
    });
    expect(separate.newNodeClaims).toHaveLength(2);
    expect(together.newNodeClaims).toHaveLength(3);
  });

  it('relaxes ScheduleAnyway spreads but not DoNotSchedule ones', () => {
    // Prepare: two pods pinned to zone-a; counting zone-b and zone-c (nodeAffinityPolicy Ignore) makes the second exceed maxSkew.
    const pinned = (name: string, whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway'): Pod => {
      const base = spreading(name, { whenUnsatisfiable, nodeAffinityPolicy: 'Ignore' });
      return {
        ...base,
        spec: {
          ...base.spec,
          nodeSelector: { [Labels.zone]: 'zone-a' },
          containers: [{ name: 'app', ports: [{ containerPort: 1, hostPort: 1 }] }],
        },
      };
    };
    // Act
    const soft = run({
      pendingPods: [pinned('p1', 'ScheduleAnyway'), pinned('p2', 'ScheduleAnyway')],
    });
    const hard = run({
      pendingPods: [pinned('p1', 'DoNotSchedule'), pinned('p2', 'DoNotSchedule')],
    });
    // Assess
    expect(soft.newNodeClaims).toHaveLength(2);
    expect(hard.newNodeClaims).toHaveLength(1);
    expect(hard.unschedulable).toHaveLength(1);
  });
});

describe('pod affinity and anti-affinity', () => {
  it('places required hostname anti-affine pods on separate nodes', () => {
    const result = run({ pendingPods: ['a', 'b', 'c'].map((name) => antiAffine(name)) });
    expect(result.newNodeClaims.map(({ pods }) => names(pods))).toEqual([['a'], ['b'], ['c']]);
  });

  it('spreads zone anti-affine pods over zones and refuses a fourth', () => {
    const result = run({
      pendingPods: ['a', 'b', 'c', 'd'].map((name) => antiAffine(name, Labels.zone)),
    });
    expect(zonesOf(result).flat().sort()).toEqual(['zone-a', 'zone-b', 'zone-c']);
    expect(result.unschedulable[0]?.reason).toMatch(
      /pod anti-affinity on topology.kubernetes.io\/zone/,
    );
  });

  it('keeps a pending pod away from nodes whose pods its anti-affinity selects', () => {
    const existing = {
      ...asExisting(node('node-1', { cpu: '8', memory: '8Gi', pods: '10' })),
      pods: [pod('web-0', { cpu: '100m' }, {}, { app: 'web' })],
    };
    const result = run({ pendingPods: [antiAffine('web-1')], existingNodes: [existing] });
    expect(result.existingNodes).toEqual([]);
    expect(result.newNodeClaims).toHaveLength(1);
  });

  it('keeps a selected pod away from an existing pod whose required anti-affinity selects it (symmetry)', () => {
    const existing = {
      ...asExisting(node('node-1', { cpu: '8', memory: '8Gi', pods: '10' })),
      pods: [antiAffine('web-0')],
    };
    const result = run({
      pendingPods: [
        pod('plain-web', { cpu: '100m' }, {}, { app: 'web' }),
        pod('other', { cpu: '100m' }),
      ],
      existingNodes: [existing],
    });
    expect(result.existingNodes.map(({ pods }) => names(pods))).toEqual([['other']]);
    expect(names(result.newNodeClaims[0]?.pods ?? [])).toEqual(['plain-web']);
  });

  it('follows required zone affinity to where matching pods run', () => {
    // Prepare
    const db = {
      ...asExisting(
        node('db-node', { cpu: '1', memory: '1Gi', pods: '10' }, { [Labels.zone]: 'zone-b' }),
      ),
      pods: [pod('db', { cpu: '100m' }, {}, { app: 'db' })],
    };
    const term = { labelSelector: { matchLabels: { app: 'db' } }, topologyKey: Labels.zone };
    const client = pod(
      'client',
      { cpu: '2' },
      { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } } },
    );
    // Act
    const result = run({ pendingPods: [client], existingNodes: [db] });
    // Assess
    expect(zonesOf(result)).toEqual([['zone-b']]);
  });

  it('explains required affinity to pods that run nowhere', () => {
    const term = { labelSelector: { matchLabels: { app: 'missing' } }, topologyKey: Labels.zone };
    const result = run({
      pendingPods: [
        pod('client', undefined, {
          affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } },
        }),
      ],
    });
    expect(result.unschedulable[0]?.reason).toMatch(
      /no pod matching the selector is scheduled anywhere/,
    );
  });

  it('lets a self-affine group pick one zone and keep to it', () => {
    const term = { labelSelector: { matchLabels: { group: 'g' } }, topologyKey: Labels.zone };
    const member = (name: string): Pod =>
      pod(
        name,
        { cpu: '100m' },
        {
          affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } },
          containers: [{ name: 'app', ports: [{ containerPort: 1, hostPort: 1 }] }],
        },
        { group: 'g' },
      );
    const result = run({ pendingPods: ['a', 'b', 'c'].map(member) });
    const zones = zonesOf(result);
    expect(zones).toHaveLength(3);
    expect(zones.every((zone) => zone.length === 1 && zone[0] === zones[0]?.[0])).toBe(true);
  });

  it('reports a non-empty namespaceSelector as unsupported', () => {
    const term = {
      labelSelector: { matchLabels: { app: 'db' } },
      topologyKey: Labels.zone,
      namespaceSelector: { matchLabels: { team: 'x' } },
    };
    const result = run({
      pendingPods: [
        pod('client', undefined, {
          affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } },
        }),
      ],
    });
    expect(result.unschedulable[0]?.reason).toMatch(/non-empty namespaceSelector/);
  });
});

describe('placement order', () => {
  it('puts a pod on the planned NodeClaim with the fewest pods first', () => {
    // Prepare: two anti-affine pods make two claims; the first gets a second pod; the next plain pod goes to the emptier one.
    const pods = [
      antiAffine('a'),
      antiAffine('b'),
      pod('c', { cpu: '50m' }),
      pod('d', { cpu: '10m' }),
    ];
    // Act
    const result = run({ pendingPods: pods });
    // Assess
    expect(result.newNodeClaims.map(({ pods: placed }) => names(placed))).toEqual([
      ['a', 'c'],
      ['b', 'd'],
    ]);
  });
});
