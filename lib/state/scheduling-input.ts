import { Labels } from '../apis/labels.ts';
import { toResources } from '../apis/quantity.ts';
import type { NodeClaim, Pod } from '../apis/index.ts';
import type {
  ExistingNode,
  InFlightNodeClaim,
  SchedulingInput,
  SchedulingNodePool,
} from '../scheduling/index.ts';
import type { ClusterSnapshot, ProvisionableNodePool } from './cluster-snapshot.ts';
import type { StateNode } from './state-node.ts';

export type SchedulingOptions = Pick<SchedulingInput, 'clock' | 'deadlineMs' | 'preferencePolicy'>;

/** A NodePool as the scheduler sees it, offering `instanceTypes`. */
export function schedulingNodePool({
  nodePool,
  instanceTypes,
}: Pick<ProvisionableNodePool, 'nodePool' | 'instanceTypes'>): SchedulingNodePool {
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
  };
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

/** What the scheduler needs of the NodeClaim a node was launched for, if any. */
export function managedBy(nodeClaim: NodeClaim | undefined): Pick<ExistingNode, 'managed'> {
  return nodeClaim ? { managed: { startupTaints: nodeClaim.spec.startupTaints ?? [] } } : {};
}

/** The scheduler's input without the run's options (clock, deadline, preference policy). */
export type SchedulingState = Omit<SchedulingInput, keyof SchedulingOptions>;

/**
 * What the scheduler needs of the cluster for placing `pendingPods` (pending pods and pods to
 * move off deleting nodes). Nodes and NodeClaims marked for deletion are left out, so they offer
 * no room and count toward no NodePool limit; in-flight NodeClaims offer their room like nodes do.
 */
export function schedulingState(
  snapshot: ClusterSnapshot,
  pendingPods: readonly Pod[],
): SchedulingState {
  const live = snapshot.nodes.filter(({ markedForDeletion }) => !markedForDeletion);
  return {
    pendingPods,
    existingNodes: live.flatMap(({ node, nodeClaim, pods }) =>
      node ? [{ node, pods, ...managedBy(nodeClaim) }] : [],
    ),
    inFlightNodeClaims: live.filter(({ node }) => node === undefined).map(inFlightNodeClaim),
    nodePools: snapshot.nodePools.map(schedulingNodePool),
    daemonSets: snapshot.daemonSets,
  };
}

/** The scheduler's input for a run: see `schedulingState`. */
export function schedulingInput(
  snapshot: ClusterSnapshot,
  pendingPods: readonly Pod[],
  options: SchedulingOptions,
): SchedulingInput {
  return { ...schedulingState(snapshot, pendingPods), ...options };
}
