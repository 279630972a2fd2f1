import type { Taint } from '../../apis/index.ts';
import { type CapacityType, Labels } from '../../apis/labels.ts';
import type { Resources } from '../../apis/quantity.ts';
import type { CloudInstance, LaunchedInstance } from '../cloud-provider.ts';
import type { OfferingKey } from '../errors.ts';
import type { InstanceType } from '../types.ts';

/** An instance in the simulated EC2, from launch until (and after) it terminates. */
export interface SimulatedInstance {
  readonly id: string;
  readonly providerID: string;
  /** The private DNS name the node registers under. */
  readonly nodeName: string;
  readonly nodeClaimName: string;
  readonly nodeClaimUid: string;
  readonly nodePool: string;
  /** The EC2NodeClass it was launched from. */
  readonly nodeClass: string;
  readonly instanceType: InstanceType;
  readonly zone: string;
  readonly capacityType: CapacityType;
  /** The capacity reservation it was launched into (reserved capacity only). */
  readonly reservationId?: string;
  readonly priceUSDPerHour: number;
  readonly imageID: string;
  readonly capacity: Resources;
  readonly allocatable: Resources;
  /** The node's labels: the instance's, and the NodeClaim's (user data passes them to the kubelet). */
  readonly labels: Readonly<Record<string, string>>;
  /** The hash annotations of the node class as it was at launch. */
  readonly nodeClassAnnotations: Readonly<Record<string, string>>;
  /** The NodeClaim's taints, which the node registers with and keeps. */
  readonly taints: readonly Taint[];
  /** The NodeClaim's startup taints: the node registers with them and its agents lift them once it is Ready. */
  readonly startupTaints: readonly Taint[];
  /** Cheaper offerings the launch tried first that had no capacity (CreateFleet's errors). */
  readonly exhaustedOnLaunch: readonly OfferingKey[];
  readonly launchedAt: number;
  /** When the kubelet joins the cluster (not Ready yet); undefined for an instance that never registers. */
  readonly registersAt: number | undefined;
  /** When the node turns Ready and its boot taints are lifted; undefined when it never registers. */
  readonly readyAt: number | undefined;
  /** When EC2 sent the two-minute spot interruption warning. */
  interruptedAt?: number;
  terminatedAt?: number;
}

export function isRunning(instance: SimulatedInstance): boolean {
  return instance.terminatedAt === undefined;
}

/** USD spent on the instance between launch and `until` (or its termination, if earlier). */
export function instanceCost(instance: SimulatedInstance, until: number): number {
  const end = Math.min(instance.terminatedAt ?? until, until);
  return (Math.max(0, end - instance.launchedAt) / 3_600_000) * instance.priceUSDPerHour;
}

/** The instance as the CloudProvider port reports it. */
export function cloudInstance(instance: SimulatedInstance): CloudInstance {
  return {
    providerID: instance.providerID,
    instanceID: instance.id,
    instanceType: instance.instanceType.name,
    zone: instance.zone,
    capacityType: instance.capacityType,
    imageID: instance.imageID,
    state: isRunning(instance) ? 'running' : 'terminated',
    nodeClaimName: instance.nodeClaimName,
    nodePoolName: instance.nodePool,
    launchTime: new Date(instance.launchedAt),
  };
}

export function launchedInstance(instance: SimulatedInstance): LaunchedInstance {
  const labels = {
    ...instance.instanceType.labels,
    [Labels.zone]: instance.zone,
    [Labels.capacityType]: instance.capacityType,
    ...(instance.reservationId && { [Labels.capacityReservationId]: instance.reservationId }),
  };
  return {
    ...cloudInstance(instance),
    labels,
    annotations: instance.nodeClassAnnotations,
    capacity: instance.capacity,
    allocatable: instance.allocatable,
  };
}
