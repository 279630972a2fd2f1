import type { DaemonSet, Node, Pod, PodSpec } from '../../../lib/apis/index.ts';
import { Labels } from '../../../lib/apis/labels.ts';
import { toResources } from '../../../lib/apis/quantity.ts';
import {
  schedule,
  type ExistingNode,
  type SchedulingInput,
  type SchedulingNodePool,
  type SchedulingResult,
} from '../../../lib/scheduling/index.ts';
import { instanceType } from '../../fixtures/instance-type.ts';
import { clockReading } from '../../fixtures/manual-clock.ts';

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
