import type { Clock } from '../util/clock.ts';
import type {
  DaemonSet,
  Node,
  PersistentVolume,
  PersistentVolumeClaim,
  Pod,
  RequirementOperator,
  StorageClass,
  Taint,
} from '../apis/index.ts';
import type { CapacityType } from '../apis/labels.ts';
import type { Resources } from '../apis/quantity.ts';
import type { InstanceType } from '../cloudprovider/types.ts';

/** A node-selector requirement, optionally with Karpenter's minValues (distinct values the options must keep). */
export interface NodeRequirement {
  readonly key: string;
  readonly operator: RequirementOperator;
  readonly values?: readonly string[];
  readonly minValues?: number;
}

/** What the scheduler needs of a NodePool (its template, limits and the instance types its EC2NodeClass allows). */
export interface SchedulingNodePool {
  readonly name: string;
  /** 0–100; higher is tried first. Default 0. */
  readonly weight?: number;
  /** `spec.template.metadata.labels`. */
  readonly labels?: Readonly<Record<string, string>>;
  readonly requirements: readonly NodeRequirement[];
  readonly taints?: readonly Taint[];
  /** Carried onto the NodeClaims; ignored for scheduling. */
  readonly startupTaints?: readonly Taint[];
  /** `spec.limits` (cpu in millicores, memory in bytes, `nodes` a count); absent means unlimited. */
  readonly limits?: Resources;
  /** Instance types with capacity and overhead already computed for this NodePool's EC2NodeClass. */
  readonly instanceTypes: readonly InstanceType[];
  /**
   * What the NodePool's live nodes and in-flight NodeClaims already hold, counted against
   * `limits`: their capacity plus one `nodes` each.
   */
  readonly usage: Resources;
}

/** A Node in the cluster with the pods bound to it (DaemonSet pods included). */
export interface ExistingNode {
  readonly node: Node;
  /** What pods may use: the Node's allocatable, or its NodeClaim's while the Node reports none. */
  readonly allocatable: Resources;
  readonly pods: readonly Pod[];
  /**
   * Set when Skyscale launched the node (it has a NodeClaim). Until such a node is initialized
   * (label `karpenter.sh/initialized`), its NodeClaim's startup taints and the known ephemeral
   * taints are ignored, since they will go; other nodes count as initialized.
   */
  readonly managed?: { readonly startupTaints: readonly Taint[] };
}

/** A NodeClaim launched but not yet a usable Node. */
export interface InFlightNodeClaim {
  readonly name: string;
  readonly nodePool: string;
  readonly requirements: readonly NodeRequirement[];
  readonly labels?: Readonly<Record<string, string>>;
  readonly taints?: readonly Taint[];
  /** Capacity of the largest instance-type option; counted against the NodePool's limits. */
  readonly capacity: Resources;
  /** Estimated allocatable (the smallest option's, or the launched type's). */
  readonly allocatable: Resources;
  /** Pods already nominated to this NodeClaim. */
  readonly pods: readonly Pod[];
}

/** The storage objects whose topology constrains where pods with claims can run. */
export interface SchedulingVolumes {
  readonly persistentVolumes: readonly PersistentVolume[];
  readonly persistentVolumeClaims: readonly PersistentVolumeClaim[];
  readonly storageClasses: readonly StorageClass[];
}

export type PreferencePolicy = 'Respect' | 'Ignore';

export interface SchedulingInput {
  readonly pendingPods: readonly Pod[];
  readonly existingNodes: readonly ExistingNode[];
  readonly inFlightNodeClaims: readonly InFlightNodeClaim[];
  readonly nodePools: readonly SchedulingNodePool[];
  readonly daemonSets: readonly DaemonSet[];
  /** Milliseconds, monotonic; the only clock the scheduler reads. */
  readonly clock: Clock;
  /** Budget from the start of the run; default and cap {@link MAX_SCHEDULING_DEADLINE_MS}. */
  readonly deadlineMs?: number;
  /** A time (on `clock`) the run must stop by, whatever `deadlineMs` leaves; absent means none. */
  readonly deadlineAt?: number;
  /** `Ignore` drops preferred affinities and ScheduleAnyway spreads and tolerates PreferNoSchedule. Default Respect. */
  readonly preferencePolicy?: PreferencePolicy;
  /** PersistentVolumes, claims and StorageClasses, for pods with claims; absent means none exist. */
  readonly volumes?: SchedulingVolumes;
}

export const MAX_SCHEDULING_DEADLINE_MS = 60_000;
/** Karpenter's cap on the instance-type options written into one NodeClaim (a launch uses the cheapest 60). */
export const MAX_INSTANCE_TYPES_PER_CLAIM = 600;

/** An instance-type option of a planned NodeClaim, with its cheapest offering compatible with the claim. */
export interface InstanceTypeOption {
  readonly instanceType: InstanceType;
  readonly priceUSDPerHour: number;
}

export interface PlannedNodeClaim {
  readonly nodePool: string;
  /** NodePool requirements narrowed by the pods, plus `node.kubernetes.io/instance-type In` the options. */
  readonly requirements: readonly NodeRequirement[];
  /** At most {@link MAX_INSTANCE_TYPES_PER_CLAIM} options, cheapest first (more only when minValues needs them). */
  readonly instanceTypes: readonly InstanceTypeOption[];
  readonly zones: readonly string[];
  readonly capacityTypes: readonly CapacityType[];
  /** Template labels plus every single-valued requirement. */
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  readonly startupTaints: readonly Taint[];
  readonly pods: readonly Pod[];
  /** Pod requests plus the overhead of the DaemonSets that will run on the node. */
  readonly requests: Resources;
  /** Price of the cheapest option. */
  readonly priceUSDPerHour: number;
}

/** Pods placed on an existing Node or an in-flight NodeClaim (by its name). */
export interface NodePlacement {
  readonly name: string;
  readonly pods: readonly Pod[];
}

export interface UnschedulablePod {
  readonly pod: Pod;
  /** What stopped every option, phrased so a person can act on it. */
  readonly reason: string;
}

export interface SchedulingResult {
  readonly newNodeClaims: readonly PlannedNodeClaim[];
  readonly existingNodes: readonly NodePlacement[];
  readonly unschedulable: readonly UnschedulablePod[];
  /** Pods the deadline left untried; schedule them in the next run. */
  readonly notAttempted: readonly Pod[];
  readonly timedOut: boolean;
}
