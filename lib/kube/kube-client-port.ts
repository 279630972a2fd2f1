import type {
  DaemonSet,
  Node,
  PersistentVolume,
  PersistentVolumeClaim,
  Pod,
  StorageClass,
  VolumeAttachment,
} from '../apis/core/index.ts';
import type { PodDisruptionBudget } from '../apis/core/pod-disruption-budget.ts';
import type { EC2NodeClass } from '../apis/ec2nodeclass.ts';
import type { NodeClaim } from '../apis/nodeclaim.ts';
import type { NodePool } from '../apis/nodepool.ts';
import type { Listed } from './invalid-object.ts';
import type { Mutation } from './optimistic-update.ts';
import type { DeleteOptions } from './transport.ts';

export interface PodFilter {
  readonly namespace?: string;
  /** Only the pods bound to this node (a `spec.nodeName` field selector). */
  readonly nodeName?: string;
  /**
   * Only pods no node runs yet: `spec.nodeName=` and `status.phase=Pending`, the field selector
   * kube-scheduler lists its queue with. Ignored when `nodeName` is given.
   */
  readonly unbound?: boolean;
}

export interface NamespacedName {
  readonly namespace: string;
  readonly name: string;
}

/** The object an Event is about, as core/v1 ObjectReference. */
export interface InvolvedObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** Absent for cluster-scoped objects (Node, NodeClaim, NodePool); their events go to `default`. */
  readonly namespace?: string | undefined;
  readonly uid?: string | undefined;
}

export interface KubeEvent {
  readonly involvedObject: InvolvedObject;
  readonly type: 'Normal' | 'Warning';
  /** UpperCamelCase, e.g. `Launched`, `FailedScheduling`. */
  readonly reason: string;
  readonly message: string;
}

/** `blocked` means a PodDisruptionBudget refused (HTTP 429); try again later. */
export type EvictionResult = 'evicted' | 'blocked' | 'not-found';

/**
 * Everything Skyscale reads from and writes to Kubernetes. Lists read every page; objects that
 * fail their schema are logged and returned in `invalid`, never thrown. Updates take a mutation
 * and apply it with optimistic concurrency: on a resourceVersion conflict they re-read and
 * re-apply it, a bounded number of times. Failures are KubeApiError (reason NotFound, Conflict…).
 */
export interface KubeClient {
  listPods(filter?: PodFilter): Promise<Listed<Pod>>;
  listNodes(): Promise<Listed<Node>>;
  listDaemonSets(): Promise<Listed<DaemonSet>>;
  listPodDisruptionBudgets(): Promise<Listed<PodDisruptionBudget>>;
  listNodePools(): Promise<Listed<NodePool>>;
  listNodeClaims(): Promise<Listed<NodeClaim>>;
  listEC2NodeClasses(): Promise<Listed<EC2NodeClass>>;
  listVolumeAttachments(): Promise<Listed<VolumeAttachment>>;
  listPersistentVolumes(): Promise<Listed<PersistentVolume>>;
  /** In every namespace. */
  listPersistentVolumeClaims(): Promise<Listed<PersistentVolumeClaim>>;
  listStorageClasses(): Promise<Listed<StorageClass>>;

  /** Undefined when there is no such NodeClaim. */
  getNodeClaim(name: string): Promise<NodeClaim | undefined>;
  /** Set `metadata.generateName` (e.g. `<nodepool>-`) and leave `name` empty for a generated name. */
  createNodeClaim(nodeClaim: NodeClaim): Promise<NodeClaim>;
  /**
   * Changes metadata and spec; status changes in the mutation are ignored. `known`, the claim as
   * the caller last saw it (e.g. just created), saves the first read; if it is stale, the write
   * conflicts and the update re-reads as usual.
   */
  updateNodeClaim(name: string, mutate: Mutation<NodeClaim>, known?: NodeClaim): Promise<NodeClaim>;
  /** Changes the status subresource only; `known` as for updateNodeClaim. */
  updateNodeClaimStatus(
    name: string,
    mutate: Mutation<NodeClaim>,
    known?: NodeClaim,
  ): Promise<NodeClaim>;
  /** Marks it for deletion (its finalizer keeps it until termination finishes). Absent is not an error. */
  deleteNodeClaim(name: string): Promise<void>;

  updateNodePoolStatus(name: string, mutate: Mutation<NodePool>): Promise<NodePool>;
  /** Metadata only (annotations); a NodePool's spec belongs to its user. */
  updateNodePool(name: string, mutate: Mutation<NodePool>): Promise<NodePool>;
  /** Metadata only (finalizers, annotations); an EC2NodeClass's spec belongs to its user. */
  updateEC2NodeClass(name: string, mutate: Mutation<EC2NodeClass>): Promise<EC2NodeClass>;
  /** The status subresource; `known` as for updateNodeClaim. */
  updateEC2NodeClassStatus(
    name: string,
    mutate: Mutation<EC2NodeClass>,
    known?: EC2NodeClass,
  ): Promise<EC2NodeClass>;
  /** Labels, annotations, taints, finalizers, `spec.unschedulable`; `known` as for updateNodeClaim. */
  updateNode(name: string, mutate: Mutation<Node>, known?: Node): Promise<Node>;
  /** Marks it for deletion (its finalizer keeps it until it is drained). Absent is not an error. */
  deleteNode(name: string): Promise<void>;

  /** The Eviction API, which honours PodDisruptionBudgets. */
  evictPod(pod: NamespacedName): Promise<EvictionResult>;
  /**
   * A running pod terminates gracefully; `gracePeriodSeconds` shortens that (0: at once), as
   * termination does for pods that would outlast the NodeClaim's terminationGracePeriod.
   * Absent is not an error.
   */
  deletePod(pod: NamespacedName, options?: DeleteOptions): Promise<void>;

  /** A core/v1 Event reported by component `skyscale`. */
  recordEvent(event: KubeEvent): Promise<void>;
}
