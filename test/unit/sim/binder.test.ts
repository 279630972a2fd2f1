import { describe, expect, it } from 'vitest';
import type { DaemonSet, Node, Pod } from '../../../lib/apis/index.ts';
import { decideBindings } from '../../../lib/sim/binder.ts';
import { daemonPod } from '../../../lib/sim/daemonset-controller.ts';
import { boundTo, pod, readyNode } from './fixtures.ts';
import { clockReading } from '../../fixtures/manual-clock.ts';

const clock = clockReading(() => 0);

function placements(pods: readonly Pod[], nodes: readonly Node[]) {
  const decision = decideBindings(pods, nodes, clock);
  return {
    bound: Object.fromEntries(
      decision.bindings.map(({ pod: placed, nodeName }) => [placed.metadata.name, nodeName]),
    ),
    unschedulable: Object.fromEntries(
      decision.unschedulable.map(({ pod: left, reason }) => [left.metadata.name, reason]),
    ),
  };
}

describe('decideBindings', () => {
  it('binds pending pods where they fit and leaves the rest Unschedulable as kube-scheduler words it', () => {
    // Prepare
    const nodes = [readyNode('small', '1')];
    const pods = [pod('a', '600m'), pod('b', '600m')];
    // Act
    const { bound, unschedulable } = placements(pods, nodes);
    // Assess
    expect(Object.values(bound)).toEqual(['small']);
    expect(Object.values(unschedulable)).toEqual(['0/1 nodes are available']);
  });

  it('counts the pods already bound to a node', () => {
    // Prepare
    const nodes = [readyNode('n', '1')];
    const pods = [boundTo('n', pod('running', '800m')), pod('new', '500m')];
    // Act
    const { bound, unschedulable } = placements(pods, nodes);
    // Assess
    expect(bound).toEqual({});
    expect(Object.keys(unschedulable)).toEqual(['new']);
  });

  it('keeps pods off nodes whose taints they do not tolerate and off nodes that are not Ready', () => {
    // Prepare
    const tainted = readyNode('gpu', '8', {}, [{ key: 'nvidia.com/gpu', effect: 'NoSchedule' }]);
    const notReady: Node = {
      ...readyNode('booting', '8'),
      status: { allocatable: { cpu: '8', memory: '16Gi', pods: '110' } },
    };
    const tolerating = pod('trainer', '1', {
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists' }],
    });
    // Act
    const { bound, unschedulable } = placements([pod('web', '1'), tolerating], [tainted, notReady]);
    // Assess
    expect(bound).toEqual({ trainer: 'gpu' });
    expect(Object.keys(unschedulable)).toEqual(['web']);
  });

  it('honours node selectors and host ports', () => {
    // Prepare
    const nodes = [readyNode('a', '4', { zone: 'a' }), readyNode('b', '4', { zone: 'b' })];
    const port = (name: string) =>
      pod(name, '100m', {
        containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 8080 }] }],
      });
    const pods = [
      { ...pod('pinned', '100m', { nodeSelector: { zone: 'b' } }) },
      port('p1'),
      port('p2'),
      port('p3'),
    ];
    // Act
    const { bound, unschedulable } = placements(pods, nodes);
    // Assess
    expect(bound['pinned']).toBe('b');
    expect(new Set([bound['p1'], bound['p2'], bound['p3']].filter(Boolean))).toEqual(
      new Set(['a', 'b']),
    );
    expect(Object.keys(unschedulable)).toHaveLength(1);
  });

  it('places DaemonSet pods first, so workload pods cannot take their room', () => {
    // Prepare
    const node = readyNode('n', '1');
    const daemonSet: DaemonSet = {
      metadata: { name: 'agent', namespace: 'kube-system' },
      spec: {
        template: {
          spec: { containers: [{ name: 'agent', resources: { requests: { cpu: '300m' } } }] },
        },
      },
    };
    const pods = [
      pod('web', '800m'),
      {
        ...daemonPod(daemonSet, node),
        metadata: { ...daemonPod(daemonSet, node).metadata, uid: 'ds' },
      },
    ];
    // Act
    const { bound, unschedulable } = placements(pods, [node]);
    // Assess
    expect(bound).toEqual({ 'agent-n': 'n' });
    expect(Object.keys(unschedulable)).toEqual(['web']);
  });
});
