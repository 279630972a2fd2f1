import type { DaemonSet, Node, Pod, PodSpec } from '../../../lib/apis/index.ts';
import { Labels } from '../../../lib/apis/labels.ts';
import { toResources } from '../../../lib/apis/quantity.ts';
import type { InstanceType, Offering } from '../../../lib/cloudprovider/types.ts';
import {
  schedule,
  type ExistingNode,
  type SchedulingInput,
  type SchedulingNodePool,
  type SchedulingResult,
} from '../../../lib/scheduling/index.ts';
import { clockReading } from '../../fixtures/manual-clock.ts';

export const GiB = 2 ** 30;
export const ZONES = ['zone-a', 'zone-b', 'zone-c'];

/** An instance type with `cpu` cores, `memoryGiB` and `pods`, offered on-demand and spot in every zone. */
export function instanceType(
  name: string,
  cpu: number,
  memoryGiB: number,
  options: {
    pods?: number;
    price?: number;
    extra?: Record<string, number>;
    labels?: Record<string, string>;
    offerings?: Offering[];
  } = {},
): InstanceType {
  const price = options.price ?? cpu * 0.05;
  return {
    name,
    labels: {
      [Labels.instanceType]: name,
      [Labels.arch]: 'amd64',
      [Labels.os]: 'linux',
      ...options.labels,
    },
    capacity: {
      cpu: cpu * 1000,
      memory: memoryGiB * GiB,
      pods: options.pods ?? 110,
      ...options.extra,
    },
    overhead: {
      kubeReserved: { cpu: 100 },
      systemReserved: {},
      evictionThreshold: { memory: 100 * 2 ** 20 },
    },
    offerings:
      options.offerings ??
      ZONES.flatMap((zone) => [
        { zone, capacityType: 'on-demand' as const, price, available: true },
        { zone, capacityType: 'spot' as const, price: price * 0.5, available: true },
      ]),
  };
}

export const SMALL = instanceType('small', 2, 4);
export const MEDIUM = instanceType('medium', 4, 16);
export const LARGE = instanceType('large', 16, 64);

export function nodePool(overrides: Partial<SchedulingNodePool> = {}): SchedulingNodePool {
  return {
    name: 'default',
    requirements: [],
    instanceTypes: [SMALL, MEDIUM, LARGE],
    usage: {},
    ...overrides,
  };
}

export function pod(
  name: string,
  requests: Record<string, string> = { cpu: '500m', memory: '512Mi' },
  spec: Partial<PodSpec> = {},
  labels: Record<string, string> = {},
): Pod {
  return {
    metadata: { name, namespace: 'default', labels },
    spec: { containers: [{ name: 'app', resources: { requests } }], ...spec },
  };
}

export function daemonSet(
  name: string,
  spec: Partial<PodSpec> = {},
  requests: Record<string, string> = { cpu: '200m', memory: '256Mi' },
): DaemonSet {
  return {
    metadata: { name, namespace: 'kube-system' },
    spec: { template: { spec: { containers: [{ name, resources: { requests } }], ...spec } } },
  };
}

export function node(
  name: string,
  allocatable: Record<string, string>,
  labels: Record<string, string> = {},
  spec: Node['spec'] = {},
): Node {
  return {
    metadata: { name, labels: { [Labels.hostname]: name, ...labels } },
    spec,
    status: { allocatable, capacity: allocatable },
  };
}

/** A Node as the scheduler's input holds it: with the allocatable it reports. */
export function asExisting(existing: Node): Pick<ExistingNode, 'node' | 'allocatable'> {
  return { node: existing, allocatable: toResources(existing.status?.allocatable) };
}

export function run(input: Partial<SchedulingInput>): SchedulingResult {
  return schedule({
    pendingPods: [],
    existingNodes: [],
    inFlightNodeClaims: [],
    nodePools: [nodePool()],
    daemonSets: [],
    clock: clockReading(() => 0),
    ...input,
  });
}

export function names(pods: readonly Pod[]): string[] {
  return pods.map(({ metadata }) => metadata.name).sort();
}

export function requirementValues(
  result: SchedulingResult,
  claimIndex: number,
  key: string,
): readonly string[] | undefined {
  return result.newNodeClaims[claimIndex]?.requirements.find(
    (requirement) => requirement.key === key && requirement.operator === 'In',
  )?.values;
}
