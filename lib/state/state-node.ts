import type { Node, NodeClaim, Pod } from '../apis/index.ts';
import { Labels, Taints } from '../apis/labels.ts';
import { toResources, type Resources } from '../apis/quantity.ts';

/**
 * One unit of capacity as a run sees it: a Node (with its NodeClaim when Skyscale launched it),
 * or an in-flight NodeClaim that has no Node yet. Immutable: a change makes a new view, so
 * accounting can always diff the view before against the view after.
 */
export interface StateNode {
  /** The Node's name, or the NodeClaim's while there is no Node. */
  readonly name: string;
  /** The NodePool that owns it; undefined for nodes Skyscale does not manage. */
  readonly nodePool: string | undefined;
  readonly node: Node | undefined;
  readonly nodeClaim: NodeClaim | undefined;
  readonly capacity: Resources;
  readonly allocatable: Resources;
  /** Being deleted or disrupted: it contributes no capacity, and its movable pods need a new place. */
  readonly markedForDeletion: boolean;
  /** Pods bound to it. */
  readonly pods: readonly Pod[];
}

/** What an in-flight NodeClaim will offer before its instance reports: see `estimateClaimCapacity`. */
export interface EstimatedCapacity {
  readonly capacity: Resources;
  readonly allocatable: Resources;
}

function nonEmpty(resources: Resources): Resources | undefined {
  return Object.keys(resources).length > 0 ? resources : undefined;
}

function carriesDisruptedTaint(node: Node): boolean {
  return (node.spec?.taints ?? []).some(
    ({ key, effect }) => key === Taints.disrupted.key && effect === Taints.disrupted.effect,
  );
}

/** A Node, with the NodeClaim it was launched for if any. The Node's own figures win once it reports them. */
export function nodeStateNode(
  node: Node,
  nodeClaim: NodeClaim | undefined,
  pods: readonly Pod[],
): StateNode {
  const claimStatus = nodeClaim?.status;
  return {
    name: node.metadata.name,
    nodePool:
      node.metadata.labels?.[Labels.nodePool] ?? nodeClaim?.metadata.labels?.[Labels.nodePool],
    node,
    nodeClaim,
    capacity: nonEmpty(toResources(node.status?.capacity)) ?? toResources(claimStatus?.capacity),
    allocatable:
      nonEmpty(toResources(node.status?.allocatable)) ?? toResources(claimStatus?.allocatable),
    markedForDeletion:
      Boolean(node.metadata.deletionTimestamp || nodeClaim?.metadata.deletionTimestamp) ||
      carriesDisruptedTaint(node),
    pods,
  };
}

/**
 * A NodeClaim with no Node yet. Once launched it reports the instance's capacity and allocatable;
 * before that (its run died between creating and launching) `estimate` stands in.
 */
export function inFlightStateNode(
  nodeClaim: NodeClaim,
  estimate: EstimatedCapacity,
  pods: readonly Pod[],
): StateNode {
  const status = nodeClaim.status;
  return {
    name: nodeClaim.metadata.name ?? '',
    nodePool: nodeClaim.metadata.labels?.[Labels.nodePool],
    node: undefined,
    nodeClaim,
    capacity: nonEmpty(toResources(status?.capacity)) ?? estimate.capacity,
    allocatable: nonEmpty(toResources(status?.allocatable)) ?? estimate.allocatable,
    markedForDeletion: nodeClaim.metadata.deletionTimestamp !== undefined,
    pods,
  };
}
