import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../lib/apis/index.ts';
import { Labels } from '../../../lib/apis/labels.ts';
import { daemonSet, names, node, nodePool, pod, run, asExisting } from './fixtures.ts';

function withHostPort(
  name: string,
  port: number,
  extra: { hostIP?: string; protocol?: 'TCP' | 'UDP' } = {},
): Pod {
  return pod(
    name,
    { cpu: '100m' },
    { containers: [{ name: 'app', ports: [{ containerPort: port, hostPort: port, ...extra }] }] },
  );
}

describe('schedule: DaemonSet overhead', () => {
  it('adds the requests of compatible DaemonSets to every new NodeClaim', () => {
    // Prepare
    const logging = daemonSet('logging');
    const arm = daemonSet('arm-only', { nodeSelector: { [Labels.arch]: 'arm64' } });
    // Act
    const result = run({
      pendingPods: [pod('a', { cpu: '1', memory: '1Gi' })],
      daemonSets: [logging, arm],
      nodePools: [
        nodePool({ requirements: [{ key: Labels.arch, operator: 'In', values: ['amd64'] }] }),
      ],
    });
    // Assess: only the logging DaemonSet runs on amd64 nodes.
    expect(result.newNodeClaims[0]?.requests).toMatchObject({
      cpu: 1200,
      memory: 1.25 * 2 ** 30,
      pods: 2,
    });
  });

  it('ignores DaemonSets that do not tolerate the NodePool taints', () => {
    const taint = { key: 'dedicated', effect: 'NoSchedule' as const };
    const tolerant = pod(
      'a',
      { cpu: '1' },
      { tolerations: [{ key: 'dedicated', operator: 'Exists' }] },
    );
    const result = run({
      pendingPods: [tolerant],
      daemonSets: [daemonSet('intolerant')],
      nodePools: [nodePool({ taints: [taint] })],
    });
    expect(result.newNodeClaims[0]?.requests['cpu']).toBe(1000);
  });

  it('chooses bigger types when the DaemonSet overhead does not fit a small one', () => {
    const heavy = daemonSet('heavy', {}, { cpu: '1500m' });
    const result = run({ pendingPods: [pod('a', { cpu: '500m' })], daemonSets: [heavy] });
    expect(
      result.newNodeClaims[0]?.instanceTypes.map(({ instanceType }) => instanceType.name),
    ).toEqual(['medium', 'large']);
  });

  it('reserves room on an in-flight NodeClaim for DaemonSets that have no pod there yet', () => {
    const inFlight = {
      name: 'claim-1',
      nodePool: 'default',
      requirements: [],
      capacity: { cpu: 2000 },
      allocatable: { cpu: 2000, memory: 4 * 2 ** 30, pods: 10 },
      pods: [],
    };
    const result = run({
      pendingPods: [pod('a', { cpu: '1500m' })],
      inFlightNodeClaims: [inFlight],
      daemonSets: [daemonSet('logging', {}, { cpu: '600m' })],
    });
    expect(result.existingNodes).toEqual([]);
    expect(result.newNodeClaims).toHaveLength(1);
  });
});

describe('schedule: host ports', () => {
  it('never launches a node for a pod whose host port a DaemonSet on it takes', () => {
    // Prepare
    const proxy = daemonSet('proxy', {
      containers: [{ name: 'proxy', ports: [{ containerPort: 8080, hostPort: 8080 }] }],
    });
    // Act
    const result = run({ pendingPods: [withHostPort('web', 8080)], daemonSets: [proxy] });
    // Assess
    expect(result.newNodeClaims).toEqual([]);
    expect(result.unschedulable[0]?.reason).toMatch(
      /host port 8080\/TCP is already used by DaemonSet kube-system\/proxy/,
    );
  });

  it('gives each new NodeClaim its own copy of the DaemonSet ports', () => {
    const proxy = daemonSet('proxy', {
      containers: [{ name: 'proxy', ports: [{ containerPort: 9000, hostPort: 9000 }] }],
    });
    const result = run({
      pendingPods: [withHostPort('a', 80), withHostPort('b', 80)],
      daemonSets: [proxy],
    });
    expect(result.newNodeClaims.map(({ pods }) => names(pods))).toEqual([['a'], ['b']]);
  });

  it('packs pods whose host ports differ by protocol or specific IP together', () => {
    const pods = [
      withHostPort('tcp', 53),
      withHostPort('udp', 53, { protocol: 'UDP' }),
      withHostPort('ip-1', 80, { hostIP: '10.0.0.1' }),
      withHostPort('ip-2', 80, { hostIP: '10.0.0.2' }),
    ];
    const result = run({ pendingPods: pods });
    expect(result.newNodeClaims).toHaveLength(1);
  });

  it('treats a wildcard host IP as conflicting with every IP', () => {
    const result = run({
      pendingPods: [
        withHostPort('any', 80, { hostIP: '0.0.0.0' }),
        withHostPort('one', 80, { hostIP: '10.0.0.1' }),
      ],
    });
    expect(result.newNodeClaims).toHaveLength(2);
  });

  it('respects host ports of pods already bound to an existing node', () => {
    const existing = {
      ...asExisting(node('node-1', { cpu: '8', memory: '8Gi', pods: '10' })),
      pods: [withHostPort('bound', 443)],
    };
    const result = run({
      pendingPods: [withHostPort('pending', 443), withHostPort('other', 444)],
      existingNodes: [existing],
    });
    expect(result.existingNodes.map(({ pods }) => names(pods))).toEqual([['other']]);
    expect(names(result.newNodeClaims[0]?.pods ?? [])).toEqual(['pending']);
  });
});
