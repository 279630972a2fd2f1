import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Pod, Taint } from '../../../lib/apis/index.ts';
import { Labels } from '../../../lib/apis/labels.ts';
import type { InstanceType } from '../../../lib/cloudprovider/types.ts';
import type { SchedulingResult } from '../../../lib/scheduling/index.ts';
import { node, nodePool, run, asExisting } from './fixtures.ts';
import { instanceType } from '../../fixtures/instance-type.ts';

/** Each pending pod as generated, with the facts the invariants check kept beside it. */
interface PodCase {
  readonly name: string;
  readonly cpu: number;
  readonly arch?: 'amd64' | 'arm64';
  readonly tolerates: boolean;
  readonly hostPort?: number;
  readonly app: 'x' | 'y';
  readonly antiAffinity: boolean;
}

const TAINT: Taint = { key: 'dedicated', value: 'batch', effect: 'NoSchedule' };

function toPod(spec: PodCase): Pod {
  const container = {
    name: 'app',
    resources: { requests: { cpu: `${spec.cpu}m` } },
    ...(spec.hostPort
      ? { ports: [{ containerPort: spec.hostPort, hostPort: spec.hostPort }] }
      : {}),
  };
  const term = { labelSelector: { matchLabels: { app: spec.app } }, topologyKey: Labels.hostname };
  return {
    metadata: { name: spec.name, namespace: 'default', labels: { app: spec.app } },
    spec: {
      containers: [container],
      ...(spec.arch ? { nodeSelector: { [Labels.arch]: spec.arch } } : {}),
      ...(spec.tolerates
        ? { tolerations: [{ key: 'dedicated', operator: 'Exists' as const }] }
        : {}),
      ...(spec.antiAffinity
        ? {
            affinity: {
              podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] },
            },
          }
        : {}),
    },
  };
}

const podCases = fc.uniqueArray(
  fc.record({
    name: fc.stringMatching(/^[a-z]{1,6}$/),
    cpu: fc.integer({ min: 50, max: 6000 }),
    arch: fc.option(fc.constantFrom('amd64' as const, 'arm64' as const), { nil: undefined }),
    tolerates: fc.boolean(),
    hostPort: fc.option(fc.integer({ min: 80, max: 82 }), { nil: undefined }),
    app: fc.constantFrom('x' as const, 'y' as const),
    antiAffinity: fc.boolean(),
  }),
  { minLength: 1, maxLength: 25, selector: ({ name }) => name },
);

const typeCases = fc
  .uniqueArray(
    fc.record({
      cpu: fc.integer({ min: 1, max: 8 }),
      pods: fc.integer({ min: 1, max: 6 }),
      arch: fc.constantFrom('amd64', 'arm64'),
    }),
    { minLength: 1, maxLength: 4, selector: ({ cpu, arch }) => `${cpu}-${arch}` },
  )
  .map((cases) =>
    cases.map(({ cpu, pods, arch }) =>
      instanceType(`${arch}-${cpu}`, cpu, 8, { pods, labels: { [Labels.arch]: arch } }),
    ),
  );

const DAEMON_PORT = 82;

function allocatableCpu(type: InstanceType): number {
  return (type.capacity['cpu'] ?? 0) - (type.overhead.kubeReserved['cpu'] ?? 0);
}

/** Checks every placement in `result` against the generated facts, independently of the scheduler's own code. */
function assertPlacementsValid(
  result: SchedulingResult,
  cases: ReadonlyMap<string, PodCase>,
  existingCpu: number,
): void {
  const nodes = [
    ...result.newNodeClaims.map((claim) => ({
      pods: claim.pods,
      tainted: claim.taints.length > 0,
      types: claim.instanceTypes.map(({ instanceType: type }) => type),
      ports: [DAEMON_PORT],
    })),
    // The existing node is amd64, untainted, and gets the DaemonSet's port reserved too.
    ...result.existingNodes.map((placement) => ({
      pods: placement.pods,
      tainted: false,
      types: undefined,
      ports: [DAEMON_PORT],
    })),
  ];
  for (const { pods, tainted, types, ports } of nodes) {
    const placed = pods
      .map(({ metadata }) => cases.get(metadata.name))
      .filter((spec): spec is PodCase => spec !== undefined);
    const cpu = placed.reduce((sum, spec) => sum + spec.cpu, 0);
    // Capacity: every remaining option holds all the pods (and DaemonSet overhead of 100m).
    if (types)
      for (const type of types) {
        expect(cpu + 100).toBeLessThanOrEqual(allocatableCpu(type));
        expect(placed.length + 1).toBeLessThanOrEqual(type.capacity['pods'] ?? 0);
      }
    else expect(cpu + 100).toBeLessThanOrEqual(existingCpu);
    for (const spec of placed) {
      // Taints and requirements.
      if (tainted) expect(spec.tolerates).toBe(true);
      if (spec.arch && types)
        for (const type of types) expect(type.labels[Labels.arch]).toBe(spec.arch);
      if (spec.arch && !types) expect(spec.arch).toBe('amd64');
      // Required anti-affinity, in both directions.
      for (const other of placed)
        if (other !== spec && spec.antiAffinity) expect(other.app).not.toBe(spec.app);
    }
    // Host ports: no two users of one port on one node.
    const used = [...ports, ...placed.flatMap(({ hostPort }) => (hostPort ? [hostPort] : []))];
    expect(new Set(used).size).toBe(used.length);
  }
}

describe('scheduling properties', () => {
  it('every placement respects capacity, taints, requirements, host ports and required anti-affinity', () => {
    fc.assert(
      fc.property(podCases, typeCases, fc.boolean(), (specs, types, withExistingNode) => {
        // Prepare
        const cases = new Map(specs.map((spec) => [spec.name, spec]));
        const proxy = {
          metadata: { name: 'proxy', namespace: 'kube-system' },
          spec: {
            template: {
              spec: {
                tolerations: [{ operator: 'Exists' as const }],
                containers: [
                  {
                    name: 'proxy',
                    resources: { requests: { cpu: '100m' } },
                    ports: [{ containerPort: DAEMON_PORT, hostPort: DAEMON_PORT }],
                  },
                ],
              },
            },
          },
        };
        const existing = withExistingNode
          ? [
              {
                ...asExisting(
                  node(
                    'existing',
                    { cpu: '3', memory: '8Gi', pods: '4' },
                    { [Labels.arch]: 'amd64' },
                  ),
                ),
                pods: [],
              },
            ]
          : [];
        const pools = [
          nodePool({ name: 'tainted', weight: 10, taints: [TAINT], instanceTypes: types }),
          nodePool({ name: 'plain', instanceTypes: types }),
        ];
        // Act
        const result = run({
          pendingPods: specs.map(toPod),
          nodePools: pools,
          daemonSets: [proxy],
          existingNodes: existing,
        });
        // Assess
        assertPlacementsValid(result, cases, 3000);
        const accounted =
          result.newNodeClaims.flatMap(({ pods }) => pods).length +
          result.existingNodes.flatMap(({ pods }) => pods).length +
          result.unschedulable.length;
        expect(accounted).toBe(specs.length);
        for (const { pod, reason } of result.unschedulable)
          expect(reason, pod.metadata.name).not.toBe('');
      }),
      { numRuns: 150 },
    );
  });

  it('is deterministic: the same input always gives the same plan', () => {
    fc.assert(
      fc.property(podCases, typeCases, (specs, types) => {
        // Prepare
        const input = {
          pendingPods: specs.map(toPod),
          nodePools: [nodePool({ instanceTypes: types })],
        };
        const summary = (result: SchedulingResult): unknown => ({
          claims: result.newNodeClaims.map(({ pods, instanceTypes, requirements }) => [
            pods.map(({ metadata }) => metadata.name),
            instanceTypes.map(({ instanceType: type }) => type.name),
            requirements,
          ]),
          unschedulable: result.unschedulable.map(({ pod, reason }) => [pod.metadata.name, reason]),
        });
        // Act
        const [first, second] = [run(input), run(input)];
        // Assess
        expect(summary(second)).toEqual(summary(first));
      }),
      { numRuns: 50 },
    );
  });
});
