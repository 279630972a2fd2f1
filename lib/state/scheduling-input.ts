import type { DaemonSet, NodeClaim, Pod } from '../apis/index.ts';
import { Labels } from '../apis/labels.ts';
import { toResources, type Resources } from '../apis/quantity.ts';
import type {
  ExistingNode,
  InFlightNodeClaim,
  SchedulingInput,
  SchedulingNodePool,
  SchedulingVolumes,
} from '../scheduling/index.ts';
import type { ProvisionableNodePool } from './cluster-snapshot.ts';
import { NodePoolResources } from './nodepool-resources.ts';
import type { StateNode } from './state-node.ts';

export type SchedulingOptions = Pick<
  SchedulingInput,
  'clock' | 'deadlineMs' | 'deadlineAt' | 'preferencePolicy'
>;

/** The input without the run's clock and budget. */
export type SchedulingObjects = Omit<SchedulingInput, keyof SchedulingOptions>;

/**
 * What the scheduler's input is built from: a run's ClusterSnapshot, or the objects the CLI read
 * from files (see `schedulingSource`). `nodePoolResources` is the one accounting of what each
 * NodePool's live nodes and in-flight NodeClaims hold.
 */
export interface SchedulingSource {
  readonly nodes: readonly StateNode[];
  readonly nodePools: readonly Pick<ProvisionableNodePool, 'nodePool' | 'instanceTypes'>[];
  readonly daemonSets: readonly DaemonSet[];
  /** Storage whose topology constrains pods with claims; absent means none. */
  readonly volumes?: SchedulingVolumes | undefined;
  nodePoolResources(nodePool: string): Resources;
}

/** A source over a fixed set of state nodes, for callers without a ClusterSnapshot. */
export function schedulingSource(
  nodes: readonly StateNode[],
  nodePools: SchedulingSource['nodePools'],
  daemonSets: readonly DaemonSet[],
): SchedulingSource {
  const resources = new NodePoolResources();
  for (const node of nodes) resources.update(undefined, node);
  return { nodes, nodePools, daemonSets, nodePoolResources: (name) => resources.of(name) };
}

/** A NodePool as the scheduler sees it, offering `instanceTypes`, with what it already holds. */
function schedulingNodePool(
  { nodePool, instanceTypes }: Pick<ProvisionableNodePool, 'nodePool' | 'instanceTypes'>,
  usage: Resources,
): SchedulingNodePool {
  const { template, limits, weight } = nodePool.spec;
  return {
    name: nodePool.metadata.name ?? '',
    weight,
    labels: template.metadata?.labels,
    requirements: template.spec.requirements,
    taints: template.spec.taints,
    startupTaints: template.spec.startupTaints,
    limits: limits && toResources(limits),
    instanceTypes,
    usage,
  };
}

/** What the scheduler needs of the NodeClaim a node was launched for, if any. */
function managedBy(nodeClaim: NodeClaim | undefined): Pick<ExistingNode, 'managed'> {
  return nodeClaim ? { managed: { startupTaints: nodeClaim.spec.startupTaints ?? [] } } : {};
}

function inFlightNodeClaim({
  name,
  nodePool,
  nodeClaim,
  capacity,
  allocatable,
  pods,
}: StateNode): InFlightNodeClaim {
  return {
    name,
    nodePool: nodePool ?? nodeClaim?.metadata.labels?.[Labels.nodePool] ?? '',
    requirements: nodeClaim?.spec.requirements ?? [],
    labels: nodeClaim?.metadata.labels,
    taints: nodeClaim?.spec.taints,
    capacity,
    allocatable,
    pods,
  };
}

/**
 * The scheduler's objects for placing `pendingPods` (pending pods and pods to move off deleting
 * nodes), with the source's figures: each node's allocatable (its NodeClaim's while the Node
 * reports none) and each NodePool's usage. Nodes and NodeClaims marked for deletion are left out,
 * so they offer no room and count toward no NodePool limit; in-flight NodeClaims offer their room
 * like nodes do.
 */
export function schedulingObjects(
  source: SchedulingSource,
  pendingPods: readonly Pod[],
): SchedulingObjects {
  const live = source.nodes.filter(({ markedForDeletion }) => !markedForDeletion);
  return {
    pendingPods,
    existingNodes: live.flatMap(({ node, nodeClaim, pods, allocatable }): ExistingNode[] =>
      node ? [{ node, pods, allocatable, ...managedBy(nodeClaim) }] : [],
    ),
    inFlightNodeClaims: live.filter(({ node }) => node === undefined).map(inFlightNodeClaim),
    nodePools: source.nodePools.map((pool) =>
      schedulingNodePool(pool, source.nodePoolResources(pool.nodePool.metadata.name ?? '')),
    ),
    daemonSets: source.daemonSets,
    ...(source.volumes && { volumes: source.volumes }),
  };
}

/** The scheduler's input for one run: see `schedulingObjects`. */
export function schedulingInput(
  source: SchedulingSource,
  pendingPods: readonly Pod[],
  options: SchedulingOptions,
): SchedulingInput {
  return { ...schedulingObjects(source, pendingPods), ...options };
}
