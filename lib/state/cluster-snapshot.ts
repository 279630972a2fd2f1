import type { DaemonSet, EC2NodeClass, NodeClaim, NodePool, Pod } from '../apis/index.ts';
import { Labels } from '../apis/labels.ts';
import type { Resources } from '../apis/quantity.ts';
import type { InstanceType } from '../cloudprovider/index.ts';
import { podKey, type SchedulingVolumes } from '../scheduling/index.ts';
import { estimateClaimCapacity } from './claim-estimate.ts';
import { BlockingBudgets, podsToReschedule } from './currently-reschedulable.ts';
import { NodePoolResources } from './nodepool-resources.ts';
import { isProvisionable } from './pod-predicates.ts';
import { inFlightStateNode, type EstimatedCapacity, type StateNode } from './state-node.ts';

/** A NodePool that can launch: its EC2NodeClass exists and the cloud listed its instance types. */
export interface ProvisionableNodePool {
  readonly nodePool: NodePool;
  readonly nodeClass: EC2NodeClass;
  readonly instanceTypes: readonly InstanceType[];
}

/** A NodePool left out of this run, and why (missing node class, node class not ready, being deleted). */
export interface UnavailableNodePool {
  readonly name: string;
  readonly reason: string;
}

export interface ClusterSnapshotParts {
  /** Nodes, each with its NodeClaim if it has one; in-flight NodeClaims are added afterwards. */
  readonly nodes: readonly StateNode[];
  readonly pods: readonly Pod[];
  readonly daemonSets: readonly DaemonSet[];
  readonly budgets: BlockingBudgets;
  readonly nodePools: readonly ProvisionableNodePool[];
  readonly unavailableNodePools: readonly UnavailableNodePool[];
  /** PersistentVolumes, claims and StorageClasses; absent when the caller has none. */
  readonly volumes?: SchedulingVolumes;
}

/**
 * The cluster as one run sees it, loaded once (see `loadClusterSnapshot`). Nodes can be marked
 * and unmarked for deletion while a run decides; NodePool totals follow each change through
 * before/after views, so marking and unmarking always restores the same totals.
 */
export class ClusterSnapshot {
  readonly pods: readonly Pod[];
  readonly daemonSets: readonly DaemonSet[];
  readonly budgets: BlockingBudgets;
  readonly nodePools: readonly ProvisionableNodePool[];
  readonly unavailableNodePools: readonly UnavailableNodePool[];
  readonly volumes: SchedulingVolumes | undefined;
  private readonly stateNodes = new Map<string, StateNode>();
  private readonly resources = new NodePoolResources();

  constructor(parts: ClusterSnapshotParts) {
    this.pods = parts.pods;
    this.daemonSets = parts.daemonSets;
    this.budgets = parts.budgets;
    this.nodePools = parts.nodePools;
    this.unavailableNodePools = parts.unavailableNodePools;
    this.volumes = parts.volumes;
    for (const node of parts.nodes) this.replace(node);
  }

  /** Nodes and in-flight NodeClaims, in load order. */
  get nodes(): readonly StateNode[] {
    return [...this.stateNodes.values()];
  }

  /** NodeClaims that have no Node yet. */
  get inFlightNodeClaims(): readonly NodeClaim[] {
    return this.nodes.flatMap(({ node, nodeClaim }) =>
      node === undefined && nodeClaim ? [nodeClaim] : [],
    );
  }

  /** Capacity and node count of the NodePool's nodes and in-flight NodeClaims that are not marked for deletion. */
  nodePoolResources(nodePool: string): Resources {
    return this.resources.of(nodePool);
  }

  markForDeletion(name: string): void {
    this.setMarked(name, true);
  }

  unmarkForDeletion(name: string): void {
    this.setMarked(name, false);
  }

  /** Pods on nodes marked for deletion that need a new place now (see `podsToReschedule`); `now` in epoch ms. */
  podsToReschedule(now: number): Pod[] {
    return podsToReschedule(this.nodes, this.budgets, now);
  }

  /** Pending pods plus the pods to move off deleting nodes (see `podsToReschedule`), each once. */
  podsToPlace(now: number): Pod[] {
    const pods = new Map<string, Pod>();
    for (const pod of [...this.pods.filter(isProvisionable), ...this.podsToReschedule(now)])
      pods.set(podKey(pod), pod);
    return [...pods.values()];
  }

  /** What the NodeClaim offers before its instance reports, from its NodePool's instance types. */
  estimateCapacity(nodeClaim: NodeClaim): EstimatedCapacity {
    const nodePool = nodeClaim.metadata.labels?.[Labels.nodePool];
    const pool = this.nodePools.find(({ nodePool: { metadata } }) => metadata.name === nodePool);
    return estimateClaimCapacity(nodeClaim, pool?.instanceTypes ?? []);
  }

  /** Counts a NodeClaim with no Node (in flight) as capacity from now on: one loaded, or one the run just created. */
  addInFlightNodeClaim(nodeClaim: NodeClaim, pods: readonly Pod[] = []): void {
    this.replace(inFlightStateNode(nodeClaim, this.estimateCapacity(nodeClaim), pods));
  }

  private setMarked(name: string, markedForDeletion: boolean): void {
    const before = this.stateNodes.get(name);
    if (!before) throw new Error(`no node or NodeClaim named "${name}" in the snapshot`);
    this.replace({ ...before, markedForDeletion });
  }

  private replace(after: StateNode): void {
    const before = this.stateNodes.get(after.name);
    this.stateNodes.set(after.name, after);
    this.resources.update(before, after);
  }
}
