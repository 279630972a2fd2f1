import {
  type CapacityType,
  CapacityTypes,
  type Condition,
  findCondition,
  isConditionTrue,
  Labels,
  type Node,
  type NodeClaim,
  NodeClaimConditionTypes,
  type NodePool,
  NodePoolConditionTypes,
  type Pod,
  type Resources,
  Taints,
  toResources,
} from '../../apis/index.ts';
import { isNodeReady } from '../../lifecycle/index.ts';
import { podRequests } from '../../scheduling/index.ts';
import { isTerminal } from '../../state/index.ts';
import type { PriceOf } from './price-book.ts';

/** What `skyscale status` reads: the cluster's Karpenter objects, Nodes and Pods. */
export interface StatusInput {
  readonly nodePools: readonly NodePool[];
  readonly nodeClaims: readonly NodeClaim[];
  readonly nodes: readonly Node[];
  readonly pods: readonly Pod[];
}

export interface ConditionSummary {
  readonly status: string;
  readonly reason?: string;
}

export interface NodePoolStatusRow {
  readonly name: string;
  readonly nodes: number;
  /** `status.resources`, as the lifecycle writes it (`nodes` left out: see `nodes`). */
  readonly usage: Readonly<Record<string, string>>;
  readonly limits: Readonly<Record<string, string>>;
  readonly ready: ConditionSummary | undefined;
  readonly nodeRegistrationHealthy: ConditionSummary | undefined;
  /** The summed hourly price of its priced nodes. */
  readonly costUSDPerHour: number;
}

/** Requested (by the pods bound to the node) against allocatable; cpu in millicores, memory in bytes. */
export interface Usage {
  readonly requested: number;
  readonly allocatable: number;
}

export interface NodeStatusRow {
  readonly name: string;
  /** Undefined for nodes no NodePool manages. */
  readonly nodePool: string | undefined;
  readonly instanceType: string | undefined;
  readonly capacityType: CapacityType | undefined;
  readonly zone: string | undefined;
  readonly ageSeconds: number;
  readonly ready: boolean;
  /** Being deleted, or tainted `karpenter.sh/disrupted`. */
  readonly disrupting: boolean;
  readonly cpu: Usage;
  readonly memory: Usage;
  readonly pods: number;
  /** Undefined when the embedded catalog has no price for its type, capacity type and zone. */
  readonly priceUSDPerHour: number | undefined;
}

export type NodeClaimState =
  'Launching' | 'Registering' | 'Initializing' | 'Drifted' | 'Disrupting';

export interface NodeClaimStatusRow {
  readonly name: string;
  readonly nodePool: string | undefined;
  readonly state: NodeClaimState;
  /** The condition reason and message that explain the state. */
  readonly why: string;
  readonly ageSeconds: number;
}

export interface StatusReport {
  readonly time: string;
  readonly nodePools: readonly NodePoolStatusRow[];
  readonly nodes: readonly NodeStatusRow[];
  /** Only the claims that are on their way in, drifted or on their way out. */
  readonly nodeClaims: readonly NodeClaimStatusRow[];
  readonly costUSDPerHour: number;
  readonly unpricedNodes: number;
}

function conditionSummary(condition: Condition | undefined): ConditionSummary | undefined {
  if (!condition) return undefined;
  return condition.status === 'True'
    ? { status: condition.status }
    : { status: condition.status, reason: condition.reason };
}

function ageSeconds(created: string | undefined, now: Date): number {
  if (created === undefined) return 0;
  return Math.max(0, Math.floor((now.getTime() - Date.parse(created)) / 1000));
}

function capacityTypeOf(labels: Readonly<Record<string, string>>): CapacityType | undefined {
  const value = labels[Labels.capacityType];
  return CapacityTypes.find((type) => type === value);
}

function nodeRow(node: Node, pods: readonly Pod[], priceOf: PriceOf, now: Date): NodeStatusRow {
  const labels = node.metadata.labels ?? {};
  const requested: Record<string, number> = {};
  for (const pod of pods) {
    for (const [name, value] of Object.entries(podRequests(pod.spec)))
      requested[name] = (requested[name] ?? 0) + value;
  }
  const allocatable: Resources = toResources(node.status?.allocatable);
  const instanceType = labels[Labels.instanceType];
  const capacityType = capacityTypeOf(labels);
  const zone = labels[Labels.zone];
  const usage = (name: string): Usage => ({
    requested: requested[name] ?? 0,
    allocatable: allocatable[name] ?? 0,
  });
  return {
    name: node.metadata.name,
    nodePool: labels[Labels.nodePool],
    instanceType,
    capacityType,
    zone,
    ageSeconds: ageSeconds(node.metadata.creationTimestamp, now),
    ready: isNodeReady(node),
    disrupting:
      node.metadata.deletionTimestamp !== undefined ||
      (node.spec?.taints ?? []).some(({ key }) => key === Taints.disrupted.key),
    cpu: usage('cpu'),
    memory: usage('memory'),
    pods: pods.length,
    priceUSDPerHour:
      instanceType && capacityType && zone ? priceOf(instanceType, capacityType, zone) : undefined,
  };
}

function explained(condition: Condition | undefined, otherwise: string): string {
  if (!condition) return otherwise;
  return condition.message ? `${condition.reason}: ${condition.message}` : condition.reason;
}

/** Why a claim is not simply running, or undefined when it is. The first that applies wins. */
function claimState(claim: NodeClaim): Pick<NodeClaimStatusRow, 'state' | 'why'> | undefined {
  const conditions = claim.status?.conditions;
  const disruption = findCondition(conditions, NodeClaimConditionTypes.disruptionReason);
  if (claim.metadata.deletionTimestamp !== undefined)
    return { state: 'Disrupting', why: explained(disruption, 'deleted; draining and terminating') };
  if (disruption?.status === 'True') return { state: 'Disrupting', why: explained(disruption, '') };
  const drifted = findCondition(conditions, NodeClaimConditionTypes.drifted);
  if (drifted?.status === 'True') return { state: 'Drifted', why: explained(drifted, '') };
  const steps = [
    ['Launching', NodeClaimConditionTypes.launched, 'waiting for an instance'],
    ['Registering', NodeClaimConditionTypes.registered, 'waiting for its Node to join'],
    ['Initializing', NodeClaimConditionTypes.initialized, 'waiting for its Node to be Ready'],
  ] as const;
  for (const [state, type, waiting] of steps) {
    if (!isConditionTrue(conditions, type))
      return { state, why: explained(findCondition(conditions, type), waiting) };
  }
  return undefined;
}

function podsByNode(pods: readonly Pod[]): Map<string, Pod[]> {
  const byNode = new Map<string, Pod[]>();
  for (const pod of pods) {
    const nodeName = pod.spec.nodeName;
    if (!nodeName || isTerminal(pod)) continue;
    byNode.set(nodeName, [...(byNode.get(nodeName) ?? []), pod]);
  }
  return byNode;
}

function nodePoolRow(pool: NodePool, nodes: readonly NodeStatusRow[]): NodePoolStatusRow {
  const usage = Object.fromEntries(
    Object.entries(pool.status?.resources ?? {})
      .filter(([name]) => name !== 'nodes')
      .map(([name, quantity]) => [name, String(quantity)]),
  );
  const limits = Object.fromEntries(
    Object.entries(pool.spec.limits ?? {}).map(([name, quantity]) => [name, String(quantity)]),
  );
  const conditions = pool.status?.conditions;
  return {
    name: pool.metadata.name ?? '',
    nodes: pool.status?.nodes ?? 0,
    usage,
    limits,
    ready: conditionSummary(findCondition(conditions, NodePoolConditionTypes.ready)),
    nodeRegistrationHealthy: conditionSummary(
      findCondition(conditions, NodePoolConditionTypes.nodeRegistrationHealthy),
    ),
    costUSDPerHour: nodes
      .filter((node) => node.nodePool === pool.metadata.name)
      .reduce((sum, node) => sum + (node.priceUSDPerHour ?? 0), 0),
  };
}

/** The cluster as `skyscale status` shows it, at `now`. */
export function clusterStatus(input: StatusInput, priceOf: PriceOf, now: Date): StatusReport {
  const pods = podsByNode(input.pods);
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  const nodes = input.nodes
    .map((node) => nodeRow(node, pods.get(node.metadata.name) ?? [], priceOf, now))
    .sort(byName);
  const nodeClaims = input.nodeClaims
    .flatMap((claim): NodeClaimStatusRow[] => {
      const state = claimState(claim);
      if (!state) return [];
      return [
        {
          name: claim.metadata.name ?? '',
          nodePool: claim.metadata.labels?.[Labels.nodePool],
          ...state,
          ageSeconds: ageSeconds(claim.metadata.creationTimestamp, now),
        },
      ];
    })
    .sort(byName);
  const priced = nodes.filter((node) => node.priceUSDPerHour !== undefined);
  return {
    time: now.toISOString(),
    nodePools: input.nodePools.map((pool) => nodePoolRow(pool, nodes)).sort(byName),
    nodes,
    nodeClaims,
    costUSDPerHour: priced.reduce((sum, node) => sum + (node.priceUSDPerHour ?? 0), 0),
    unpricedNodes: nodes.length - priced.length,
  };
}
