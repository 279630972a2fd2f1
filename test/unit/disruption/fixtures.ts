import {
  NodeClaimSchema,
  NodePoolSchema,
  type Condition,
  type Node,
  type NodeClaim,
  type NodePool,
  type Pod,
} from '../../../lib/apis/index.ts';
import type { PodDisruptionBudget } from '../../../lib/apis/core/pod-disruption-budget.ts';
import { BlockingBudgets, nodeStateNode, type StateNode } from '../../../lib/state/index.ts';

export const NOW = Date.parse('2026-11-30T12:00:00Z');
export const HOUR = 3_600_000;

export function nodePool(
  name = 'general',
  disruption: object = {},
  template: object = {},
): NodePool {
  return NodePoolSchema.parse({
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name, uid: `${name}-uid` },
    spec: {
      disruption,
      template: {
        spec: {
          requirements: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }],
          nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
          ...template,
        },
      },
    },
  });
}

function condition(type: string, at: number, reason = type): Condition {
  return { type, status: 'True', reason, lastTransitionTime: new Date(at).toISOString() };
}

export interface ClaimOptions {
  readonly pool?: string;
  readonly initializedAt?: number;
  readonly drifted?: { at: number; reason?: string };
  readonly consolidatable?: boolean;
  readonly disruption?: { reason: string; at: number; replacements?: number };
  readonly replaces?: string;
  readonly annotations?: Record<string, string>;
  readonly labels?: Record<string, string>;
  readonly spec?: object;
  readonly createdAt?: number;
  readonly deleting?: boolean;
}

/** A launched NodeClaim `name` whose instance is `aws:///us-east-1a/i-<name>`. */
export function nodeClaim(name: string, options: ClaimOptions = {}): NodeClaim {
  const conditions: Condition[] = [condition('Launched', NOW - 2 * HOUR)];
  if (options.initializedAt !== undefined)
    conditions.push(condition('Initialized', options.initializedAt));
  if (options.drifted)
    conditions.push(
      condition('Drifted', options.drifted.at, options.drifted.reason ?? 'NodePoolDrifted'),
    );
  if (options.consolidatable) conditions.push(condition('Consolidatable', NOW - HOUR));
  if (options.disruption)
    conditions.push(
      condition('DisruptionReason', options.disruption.at, options.disruption.reason),
    );
  return NodeClaimSchema.parse({
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodeClaim',
    metadata: {
      name,
      creationTimestamp: new Date(options.createdAt ?? NOW - 2 * HOUR).toISOString(),
      ...(options.deleting && { deletionTimestamp: new Date(NOW).toISOString() }),
      labels: {
        'karpenter.sh/nodepool': options.pool ?? 'general',
        'kubernetes.io/arch': 'amd64',
        'node.kubernetes.io/instance-type': 'm5.large',
        ...options.labels,
      },
      annotations: {
        ...(options.disruption && {
          'skyscale.sh/disruption-replacements': String(options.disruption.replacements ?? 0),
        }),
        ...(options.replaces && { 'skyscale.sh/replaces': options.replaces }),
        ...options.annotations,
      },
    },
    spec: {
      requirements: [],
      nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
      ...options.spec,
    },
    status: { providerID: `aws:///us-east-1a/i-${name}`, conditions },
  });
}

export function node(
  name: string,
  options: { taints?: object[]; annotations?: Record<string, string>; ready?: boolean } = {},
): Node {
  return {
    metadata: {
      name,
      labels: { 'karpenter.sh/nodepool': 'general' },
      ...(options.annotations && { annotations: options.annotations }),
    },
    spec: {
      providerID: `aws:///us-east-1a/i-${name}`,
      ...(options.taints && { taints: options.taints }),
    },
    status: {
      conditions: [{ type: 'Ready', status: options.ready === false ? 'False' : 'True' }],
      capacity: { cpu: '2', memory: '8Gi', pods: '29' },
      allocatable: { cpu: '1930m', memory: '6900Mi', pods: '29' },
    },
  } as Node;
}

export function pod(
  name: string,
  nodeName: string,
  annotations: Record<string, string> = {},
  labels: Record<string, string> = {},
): Pod {
  return {
    metadata: {
      name,
      namespace: 'default',
      uid: `${name}-uid`,
      labels,
      annotations,
      creationTimestamp: new Date(NOW - HOUR).toISOString(),
    },
    spec: {
      nodeName,
      containers: [{ name: 'app', resources: { requests: { cpu: '100m' } } }],
    },
    status: {
      phase: 'Running',
      startTime: new Date(NOW - HOUR).toISOString(),
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  };
}

/** A managed, initialized node `name` with its claim and pods. */
export function stateNode(
  name: string,
  claimOptions: ClaimOptions = {},
  pods: Pod[] = [],
  nodeOptions = {},
): StateNode {
  return nodeStateNode(
    node(name, nodeOptions),
    nodeClaim(name, { initializedAt: NOW - HOUR, ...claimOptions }),
    pods,
  );
}

export function budgets(pdbs: PodDisruptionBudget[] = []): BlockingBudgets {
  return new BlockingBudgets(pdbs);
}

export function pdb(
  name: string,
  matchLabels: Record<string, string>,
  disruptionsAllowed: number,
): PodDisruptionBudget {
  return {
    metadata: { name, namespace: 'default' },
    spec: { maxUnavailable: 1, selector: { matchLabels } },
    status: { disruptionsAllowed, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 },
  };
}
