/**
 * The CloudProvider port: everything Skyscale asks of a cloud. The EC2 adapter (aws/) and the
 * simulated cloud (simulated/) implement it; decisions and runs see only this interface.
 */
import type { EC2NodeClass } from '../apis/ec2nodeclass.ts';
import type { CapacityType } from '../apis/labels.ts';
import type { NodeClaim } from '../apis/nodeclaim.ts';
import type { NodePool } from '../apis/nodepool.ts';
import type { Resources } from '../apis/quantity.ts';
import type { UnavailableOffering } from './errors.ts';
import type { NodeClassReconciliation } from './node-class-status.ts';
import type { InstanceType } from './types.ts';

export type InstanceState =
  'pending' | 'running' | 'stopping' | 'stopped' | 'shutting-down' | 'terminated';

/** An instance the cluster owns, as the cloud reports it. */
export interface CloudInstance {
  /** `aws:///<zone>/<instance-id>` on EC2. */
  readonly providerID: string;
  readonly instanceID: string;
  readonly instanceType: string;
  readonly zone: string;
  readonly capacityType: CapacityType;
  readonly imageID: string;
  readonly state: InstanceState;
  /** From the instance's tags; absent on instances not launched for a NodeClaim. */
  readonly nodeClaimName?: string;
  readonly nodePoolName?: string;
  readonly launchTime?: Date;
}

/** What `create` returns: the instance plus what the NodeClaim's status and labels need. */
export interface LaunchedInstance extends CloudInstance {
  /** The instance type's labels plus zone and capacity type. */
  readonly labels: Readonly<Record<string, string>>;
  /** What the NodeClaim records of the node class it launched from: its hash and hash version. */
  readonly annotations: Readonly<Record<string, string>>;
  readonly capacity: Resources;
  readonly allocatable: Resources;
}

export type DriftReason = 'AMIDrift' | 'SubnetDrift' | 'SecurityGroupDrift';

/**
 * What a run already read for a NodeClaim: its EC2NodeClass and its NodePool's instance types.
 * Given to `create`, it spares the provider reading the node class and listing the types again.
 */
export interface LaunchInputs {
  readonly nodeClass: EC2NodeClass;
  readonly instanceTypes: readonly InstanceType[];
  /**
   * The run created the claim just now, so no earlier call can have launched an instance for it:
   * the provider need not look for one before launching.
   */
  readonly newlyCreated: boolean;
}

export interface CloudProvider {
  /**
   * Launches one instance for the NodeClaim, or returns the one already launched for it.
   * Throws InsufficientCapacityError when every allowed offering is out of capacity, and
   * NodeClassNotReadyError when the node class cannot launch.
   */
  create(nodeClaim: NodeClaim, inputs?: LaunchInputs): Promise<LaunchedInstance>;
  /** Terminates the NodeClaim's instance; an instance that is already gone counts as success. */
  delete(nodeClaim: NodeClaim): Promise<void>;
  /** Throws InstanceNotFoundError when the instance does not exist or has terminated. */
  get(providerID: string): Promise<CloudInstance>;
  /** Every instance this cluster owns that has not terminated. */
  list(): Promise<CloudInstance[]>;
  /**
   * The instance types the NodePool's node class can launch, with offerings, prices and
   * availability. `nodeClass`, when the caller has read it, spares reading it again.
   */
  getInstanceTypes(nodePool: NodePool, nodeClass?: EC2NodeClass): Promise<InstanceType[]>;
  /** Why the NodeClaim's instance no longer matches its node class, or undefined. */
  isDrifted(nodeClaim: NodeClaim): Promise<DriftReason | undefined>;
  /** The offerings held unavailable now (capacity errors, reclaimed spot), with their expiries. */
  unavailableOfferings(): UnavailableOffering[];
  /**
   * Holds offerings unavailable until their expiry: found so by another function, or reclaimed.
   * Launches and `getInstanceTypes` avoid them from then on.
   */
  rememberUnavailable(offerings: readonly UnavailableOffering[]): void;
  /**
   * What the node class resolves to now, read afresh, after creating what it needs (the instance
   * profile for `role`): the tick writes it as the class's status.
   */
  reconcileNodeClass(nodeClass: EC2NodeClass): Promise<NodeClassReconciliation>;
  /**
   * Removes what the provider created for the node class (launch templates, the managed instance
   * profile) unless an instance still uses it. Returns the IDs of such instances: empty when
   * everything was removed. Safe to repeat.
   */
  finalizeNodeClass(nodeClass: EC2NodeClass): Promise<readonly string[]>;
}
