import { describe, expect, it } from 'vitest';
import { Labels } from '../../../lib/apis/labels.ts';
import {
  LARGE,
  MEDIUM,
  names,
  node,
  nodePool,
  pod,
  requirementValues,
  run,
  SMALL,
  asExisting,
} from './fixtures.ts';
import { instanceType } from '../../fixtures/instance-type.ts';
import { clockReading } from '../../fixtures/manual-clock.ts';

describe('schedule: packing and instance types', () => {
  it('packs pods onto one NodeClaim whose options are the compatible types, cheapest first', () => {
    // Prepare
    const pods = [pod('a'), pod('b'), pod('c')];
    // Act
    const result = run({ pendingPods: pods });
    // Assess
    expect(result.newNodeClaims).toHaveLength(1);
    const [claim] = result.newNodeClaims;
    expect(names(claim?.pods ?? [])).toEqual(['a', 'b', 'c']);
    expect(claim?.instanceTypes.map(({ instanceType }) => instanceType.name)).toEqual([
      'small',
      'medium',
      'large',
    ]);
    expect(claim?.priceUSDPerHour).toBe(0.05);
    expect(claim?.requests).toMatchObject({ cpu: 1500, memory: 1.5 * 2 ** 30, pods: 3 });
    expect(requirementValues(result, 0, Labels.instanceType)).toEqual(['large', 'medium', 'small']);
  });

  it('writes up to 600 options on the NodeClaim, the cheapest (the launch cuts to 60)', () => {
    const types = Array.from({ length: 650 }, (_, index) =>
      instanceType(`t-${String(index).padStart(3, '0')}`, 4, 8, { price: 100 - index * 0.1 }),
    );
    const result = run({
      pendingPods: [pod('a')],
      nodePools: [nodePool({ instanceTypes: types })],
    });
    const kept =
      result.newNodeClaims[0]?.instanceTypes.map(({ instanceType }) => instanceType.name) ?? [];
    expect(kept).toHaveLength(600);
    expect(kept[0]).toBe('t-649');
    expect(kept).not.toContain('t-049');
    expect(kept).toContain('t-050');
  });

  it('drops types too small for the pod and reports a pod no type can hold', () => {
    const result = run({
      pendingPods: [pod('big', { cpu: '3', memory: '1Gi' }), pod('huge', { cpu: '64' })],
    });
    expect(
      result.newNodeClaims[0]?.instanceTypes.map(({ instanceType }) => instanceType.name),
    ).toEqual(['medium', 'large']);
    expect(result.unschedulable.map(({ pod: p }) => p.metadata.name)).toEqual(['huge']);
    expect(result.unschedulable[0]?.reason).toMatch(
      /NodePool "default": no instance type has room for the pod plus DaemonSet overhead/,
    );
  });

  it('schedules extended resources only on types that have them', () => {
    const gpu = instanceType('gpu', 8, 32, { extra: { 'nvidia.com/gpu': 1 }, price: 3 });
    const result = run({
      pendingPods: [pod('trainer', { cpu: '1', 'nvidia.com/gpu': '1' })],
      nodePools: [nodePool({ instanceTypes: [SMALL, gpu] })],
    });
    expect(
      result.newNodeClaims[0]?.instanceTypes.map(({ instanceType }) => instanceType.name),
    ).toEqual(['gpu']);
  });

  it('counts pods against max pods', () => {
    const tiny = instanceType('tiny', 16, 64, { pods: 2 });
    const result = run({
      pendingPods: ['a', 'b', 'c'].map((name) => pod(name, { cpu: '100m' })),
      nodePools: [nodePool({ instanceTypes: [tiny] })],
    });
    expect(result.newNodeClaims.map(({ pods }) => pods.length)).toEqual([2, 1]);
  });

  it('filters by offerings: a zone no offering serves is unschedulable', () => {
    const zonal = instanceType('zonal', 4, 8, {
      offerings: [
        { zone: 'zone-a', capacityType: 'on-demand', price: 1, available: true },
        { zone: 'zone-b', capacityType: 'on-demand', price: 1, available: false },
      ],
    });
    const result = run({
      pendingPods: [
        pod('a', undefined, { nodeSelector: { [Labels.zone]: 'zone-a' } }),
        pod('b', undefined, { nodeSelector: { [Labels.zone]: 'zone-b' } }),
      ],
      nodePools: [nodePool({ instanceTypes: [zonal] })],
    });
    expect(result.newNodeClaims.map(({ zones }) => zones)).toEqual([['zone-a']]);
    expect(result.unschedulable.map(({ pod: p }) => p.metadata.name)).toEqual(['b']);
  });

  it('keeps enough types for minValues and refuses pods that would leave fewer', () => {
    const types = [
      instanceType('a1', 4, 8, { labels: { family: 'a' } }),
      instanceType('b1', 8, 16, { labels: { family: 'b' } }),
    ];
    const pool = nodePool({
      requirements: [{ key: 'family', operator: 'Exists', minValues: 2 }],
      instanceTypes: types,
    });
    const result = run({
      pendingPods: [pod('fits-both', { cpu: '1' }), pod('fits-one', { cpu: '6' })],
      nodePools: [pool],
    });
    expect(result.newNodeClaims).toHaveLength(1);
    expect(result.unschedulable[0]?.reason).toMatch(/minValues 2 for family/);
  });
});

describe('schedule: node selection', () => {
  it('honours nodeSelector and records it in the NodeClaim requirements', () => {
    const result = run({
      pendingPods: [pod('a', undefined, { nodeSelector: { [Labels.capacityType]: 'spot' } })],
    });
    expect(result.newNodeClaims[0]?.capacityTypes).toEqual(['spot']);
    expect(result.newNodeClaims[0]?.labels[Labels.capacityType]).toBe('spot');
  });

  it('tries ORed required node-affinity terms one at a time', () => {
    // Prepare: the first term asks for a label no NodePool has; the second is satisfiable.
    const terms = [
      { matchExpressions: [{ key: 'team', operator: 'In' as const, values: ['x'] }] },
      { matchExpressions: [{ key: Labels.zone, operator: 'In' as const, values: ['zone-b'] }] },
    ];
    const affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms },
      },
    };
    // Act
    const result = run({ pendingPods: [pod('a', undefined, { affinity })] });
    // Assess
    expect(result.newNodeClaims[0]?.zones).toEqual(['zone-b']);
  });

  it('supports Gt on integer labels', () => {
    const types = [
      instanceType('c2', 2, 4, { labels: { [Labels.instanceCpu]: '2' } }),
      instanceType('c8', 8, 16, { labels: { [Labels.instanceCpu]: '8' } }),
    ];
    const affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            {
              matchExpressions: [
                { key: Labels.instanceCpu, operator: 'Gt' as const, values: ['4'] },
              ],
            },
          ],
        },
      },
    };
    const result = run({
      pendingPods: [pod('a', undefined, { affinity })],
      nodePools: [nodePool({ instanceTypes: types })],
    });
    expect(
      result.newNodeClaims[0]?.instanceTypes.map(({ instanceType }) => instanceType.name),
    ).toEqual(['c8']);
  });

  it('names the requirement no instance type meets', () => {
    const result = run({
      pendingPods: [pod('arm', undefined, { nodeSelector: { [Labels.arch]: 'arm64' } })],
    });
    expect(result.unschedulable[0]?.reason).toMatch(
      /no instance type that meets .*kubernetes.io\/arch In \[arm64\].* has room for the pod/,
    );
    expect(result.unschedulable[0]?.reason).not.toMatch(/planned-node|karpenter.sh\/nodepool/);
  });

  it('rejects a custom label the NodePool does not define', () => {
    const result = run({ pendingPods: [pod('a', undefined, { nodeSelector: { team: 'x' } })] });
    expect(result.unschedulable[0]?.reason).toMatch(/label "team" is not defined/);
  });

  it('requires pods to tolerate NodePool taints but ignores startupTaints', () => {
    // Prepare
    const taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' as const };
    const pools = [
      nodePool({ name: 'tainted', taints: [taint], weight: 10 }),
      nodePool({ name: 'startup', startupTaints: [{ key: 'init', effect: 'NoSchedule' }] }),
    ];
    const tolerant = pod('tolerant', undefined, {
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }],
    });
    // Act
    const plain = run({ pendingPods: [pod('plain')], nodePools: pools });
    const tolerated = run({ pendingPods: [tolerant], nodePools: pools });
    // Assess
    expect(plain.newNodeClaims.map(({ nodePool: name }) => name)).toEqual(['startup']);
    expect(plain.newNodeClaims[0]?.startupTaints).toEqual([{ key: 'init', effect: 'NoSchedule' }]);
    expect(tolerated.newNodeClaims.map(({ nodePool: name, taints }) => [name, taints])).toEqual([
      ['tainted', [taint]],
    ]);
  });

  it('explains an untolerated taint', () => {
    const taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' as const };
    const result = run({ pendingPods: [pod('a')], nodePools: [nodePool({ taints: [taint] })] });
    expect(result.unschedulable[0]?.reason).toMatch(
      /does not tolerate taint dedicated=gpu:NoSchedule/,
    );
  });

  it('tries NodePools in weight order', () => {
    const result = run({
      pendingPods: [pod('a')],
      nodePools: [nodePool({ name: 'light', weight: 1 }), nodePool({ name: 'heavy', weight: 50 })],
    });
    expect(result.newNodeClaims[0]?.nodePool).toBe('heavy');
  });
});

describe('schedule: existing nodes, in-flight claims and limits', () => {
  it('uses room on existing nodes before launching, and launches for the rest', () => {
    // Prepare
    const existing = {
      ...asExisting(node('node-1', { cpu: '2', memory: '4Gi', pods: '10' })),
      pods: [pod('running', { cpu: '1' })],
    };
    // Act
    const result = run({
      pendingPods: [pod('fits', { cpu: '900m' }), pod('spills', { cpu: '900m' })],
      existingNodes: [existing],
    });
    // Assess
    expect(result.existingNodes.map(({ name, pods }) => [name, names(pods)])).toEqual([
      ['node-1', ['fits']],
    ]);
    expect(names(result.newNodeClaims[0]?.pods ?? [])).toEqual(['spills']);
  });

  it('skips cordoned nodes and counts in-flight NodeClaims as capacity', () => {
    const cordoned = {
      ...asExisting(
        node('cordoned', { cpu: '8', memory: '8Gi', pods: '10' }, {}, { unschedulable: true }),
      ),
      pods: [],
    };
    const inFlight = {
      name: 'claim-1',
      nodePool: 'default',
      requirements: [],
      capacity: { cpu: 4000 },
      allocatable: { cpu: 4000, memory: 8 * 2 ** 30, pods: 10 },
      pods: [],
    };
    const result = run({
      pendingPods: [pod('a')],
      existingNodes: [cordoned],
      inFlightNodeClaims: [inFlight],
    });
    expect(result.existingNodes.map(({ name }) => name)).toEqual(['claim-1']);
    expect(result.newNodeClaims).toHaveLength(0);
  });

  it('matches pod requirements against existing node labels exactly', () => {
    // Prepare
    const arm = {
      ...asExisting(
        node('arm-node', { cpu: '4', memory: '8Gi', pods: '10' }, { [Labels.arch]: 'arm64' }),
      ),
      pods: [],
    };
    const needsArm = pod('needs-arm', undefined, { nodeSelector: { [Labels.arch]: 'arm64' } });
    const avoidsGpu = pod('avoids-gpu', undefined, {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'gpu', operator: 'DoesNotExist' }] }],
          },
        },
      },
    });
    const needsGpu = pod('needs-gpu', undefined, {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'gpu', operator: 'Exists' }] }],
          },
        },
      },
    });
    // Act
    const result = run({ pendingPods: [needsArm, avoidsGpu, needsGpu], existingNodes: [arm] });
    // Assess
    expect(result.existingNodes.map(({ pods }) => names(pods))).toEqual([
      ['avoids-gpu', 'needs-arm'],
    ]);
    expect(result.unschedulable.map(({ pod: p }) => p.metadata.name)).toEqual(['needs-gpu']);
  });

  it('reserves room on an existing node only for DaemonSets whose pod is missing there', () => {
    // Prepare: 2 cpu allocatable; the logging DaemonSet (500m) already runs, the metrics one (500m) does not.
    const daemonPod = {
      ...pod('logging-abc', { cpu: '500m' }),
      metadata: {
        name: 'logging-abc',
        namespace: 'kube-system',
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'logging', uid: 'u1' }],
      },
    };
    const existing = {
      ...asExisting(node('node-1', { cpu: '2', memory: '8Gi', pods: '10' })),
      pods: [daemonPod],
    };
    const daemonSets = ['logging', 'metrics'].map((name) => ({
      metadata: { name, namespace: 'kube-system' },
      spec: {
        template: { spec: { containers: [{ name, resources: { requests: { cpu: '500m' } } }] } },
      },
    }));
    // Act
    const result = run({
      pendingPods: [pod('fits', { cpu: '1' }), pod('spills', { cpu: '100m' })],
      existingNodes: [existing],
      daemonSets,
    });
    // Assess: 2000 - 500 (running) - 500 (reserved) leaves exactly 1 cpu.
    expect(result.existingNodes.map(({ pods }) => names(pods))).toEqual([['fits']]);
    expect(names(result.newNodeClaims[0]?.pods ?? [])).toEqual(['spills']);
  });

  it('counts the largest option of each claim against NodePool limits', () => {
    // Prepare: each claim may become LARGE (16 cpu); a 20-cpu limit leaves room for one such claim.
    const pool = nodePool({ limits: { cpu: 20_000 }, instanceTypes: [MEDIUM, LARGE] });
    const hostPort = (name: string): ReturnType<typeof pod> =>
      pod(
        name,
        { cpu: '1' },
        { containers: [{ name: 'app', ports: [{ containerPort: 80, hostPort: 80 }] }] },
      );
    // Act
    const result = run({
      pendingPods: [hostPort('a'), hostPort('b'), hostPort('c')],
      nodePools: [pool],
    });
    // Assess: the second claim may only use MEDIUM (4 cpu left after 16), the third finds nothing.
    expect(
      result.newNodeClaims.map(({ instanceTypes }) =>
        instanceTypes.map(({ instanceType }) => instanceType.name),
      ),
    ).toEqual([['medium', 'large'], ['medium']]);
    expect(result.unschedulable[0]?.reason).toMatch(/limits leave room for no instance type/);
  });
});

describe('schedule: deadline', () => {
  it('returns what it planned and lists the untried pods as not attempted', () => {
    // Prepare: a clock whose readings (at the start, between the three steps of building the
    // world, then before each pod) pass the deadline after the first placement.
    let now = 0;
    const clock = clockReading(() => (now += 200));
    // Act
    const result = run({
      pendingPods: ['a', 'b', 'c'].map((name) =>
        pod(
          name,
          { cpu: '100m' },
          { containers: [{ name: 'app', ports: [{ containerPort: 1, hostPort: 1 }] }] },
        ),
      ),
      clock,
      deadlineMs: 1000,
    });
    // Assess
    expect(result.timedOut).toBe(true);
    expect(result.newNodeClaims).toHaveLength(1);
    expect(names(result.notAttempted)).toHaveLength(2);
    expect(result.unschedulable).toEqual([]);
  });

  it('stops while building its world when the deadline passes there, attempting no pod', () => {
    // Prepare: the clock reads 0 at the start, then far past the deadline.
    let reads = 0;
    const clock = clockReading(() => (reads++ === 0 ? 0 : 5_000));

    // Act
    const result = run({
      pendingPods: ['a', 'b', 'c'].map((name) => pod(name)),
      clock,
      deadlineMs: 1000,
    });

    // Assess
    expect(result.timedOut).toBe(true);
    expect(names(result.notAttempted)).toEqual(['a', 'b', 'c']);
    expect(result.newNodeClaims).toEqual([]);
  });
});
