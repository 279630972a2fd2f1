import { describe, expect, it } from 'vitest';
import type { Taint } from '../../../lib/apis/index.ts';
import { Labels, Taints } from '../../../lib/apis/labels.ts';
import { asExisting, node, nodePool, pod, run } from './fixtures.ts';

const ROOM = { cpu: '4', memory: '16Gi', pods: '110' };
const NOT_READY: Taint = { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' };
const UNINITIALIZED: Taint = {
  key: 'node.cloudprovider.kubernetes.io/uninitialized',
  value: 'true',
  effect: 'NoSchedule',
};
const AGENT: Taint = { key: 'agent.example.com/starting', effect: 'NoSchedule' };

function booting(name: string, taints: readonly Taint[], labels: Record<string, string> = {}) {
  return node(name, ROOM, { [Labels.nodePool]: 'default', ...labels }, { taints: [...taints] });
}

describe('nodes that are not initialized yet', () => {
  it('a launched node still booting takes pods despite its startup and ephemeral taints', () => {
    // Prepare
    const boot = booting('boot', [NOT_READY, UNINITIALIZED, Taints.unregistered, AGENT]);
    // Act
    const result = run({
      pendingPods: [pod('a'), pod('b')],
      existingNodes: [{ ...asExisting(boot), pods: [], managed: { startupTaints: [AGENT] } }],
    });
    // Assess
    expect(result.newNodeClaims).toEqual([]);
    expect(result.existingNodes.map(({ name, pods }) => [name, pods.length])).toEqual([
      ['boot', 2],
    ]);
  });

  it('other taints of a booting node still apply', () => {
    // Prepare
    const dedicated: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
    const boot = booting('boot', [NOT_READY, dedicated]);
    // Act
    const result = run({
      pendingPods: [pod('a')],
      existingNodes: [{ ...asExisting(boot), pods: [], managed: { startupTaints: [] } }],
    });
    // Assess
    expect(result.existingNodes).toEqual([]);
    expect(result.newNodeClaims).toHaveLength(1);
  });

  it('once initialized, or when Skyscale did not launch it, a node is taken as it is', () => {
    // Prepare
    const initialized = booting('initialized', [AGENT], { [Labels.initialized]: 'true' });
    const foreign = booting('foreign', [NOT_READY]);
    // Act
    const result = run({
      pendingPods: [pod('a')],
      existingNodes: [
        { ...asExisting(initialized), pods: [], managed: { startupTaints: [AGENT] } },
        { ...asExisting(foreign), pods: [] },
      ],
    });
    // Assess
    expect(result.existingNodes).toEqual([]);
    expect(result.newNodeClaims).toHaveLength(1);
  });
});

describe('existing-node order', () => {
  it('initialized nodes are tried first, then nodes by name', () => {
    // Prepare: one pod fits on any of them; the uninitialized "a-boot" sorts first by name.
    const nodes = [
      {
        node: booting('c-ready', [], { [Labels.initialized]: 'true' }),
        managed: { startupTaints: [] },
      },
      { node: booting('a-boot', [NOT_READY]), managed: { startupTaints: [] } },
      {
        node: booting('b-ready', [], { [Labels.initialized]: 'true' }),
        managed: { startupTaints: [] },
      },
    ].map(({ node: entry, managed }) => ({ ...asExisting(entry), managed, pods: [] }));
    // Act
    const result = run({ pendingPods: [pod('only')], existingNodes: nodes });
    // Assess
    expect(result.existingNodes.map(({ name }) => name)).toEqual(['b-ready']);
  });

  it('in-flight NodeClaims come after initialized nodes whatever their names', () => {
    // Prepare
    const ready = { ...asExisting(node('z-node', ROOM)), pods: [] };
    const inFlight = {
      name: 'a-claim',
      nodePool: 'default',
      requirements: [],
      capacity: { cpu: 4000, memory: 16 * 2 ** 30, pods: 110 },
      allocatable: { cpu: 4000, memory: 16 * 2 ** 30, pods: 110 },
      pods: [],
    };
    // Act
    const result = run({
      pendingPods: [pod('only')],
      existingNodes: [ready],
      inFlightNodeClaims: [inFlight],
      nodePools: [nodePool()],
    });
    // Assess
    expect(result.existingNodes.map(({ name }) => name)).toEqual(['z-node']);
  });
});
