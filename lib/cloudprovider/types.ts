import type { CapacityType } from '../apis/labels.ts';
import type { Resources } from '../apis/quantity.ts';

/** One place an instance type can be bought: a zone and a capacity type, at a price. */
export interface Offering {
  readonly zone: string;
  readonly capacityType: CapacityType;
  /** USD per hour. */
  readonly price: number;
  /** False while the offering is known to be out of capacity (ICE cache) or not offered. */
  readonly available: boolean;
  readonly reservationId?: string;
}

/** What the kubelet and the OS keep for themselves; subtracted from capacity to give allocatable. */
export interface Overhead {
  readonly kubeReserved: Resources;
  readonly systemReserved: Resources;
  readonly evictionThreshold: Resources;
}

export interface InstanceType {
  readonly name: string;
  /**
   * Single-valued labels every node of this type carries (instance-type, arch, os and the
   * `karpenter.k8s.aws/instance-*` family). Zone and capacity type vary per offering and are
   * not in here.
   */
  readonly labels: Readonly<Record<string, string>>;
  readonly capacity: Resources;
  readonly overhead: Overhead;
  readonly offerings: readonly Offering[];
}

/** Capacity less the kubelet's and the OS's reservations and the eviction threshold. */
export function allocatable(instanceType: Pick<InstanceType, 'capacity' | 'overhead'>): Resources {
  const { kubeReserved, systemReserved, evictionThreshold: eviction } = instanceType.overhead;
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(instanceType.capacity)) {
    out[name] = Math.max(
      0,
      value - (kubeReserved[name] ?? 0) - (systemReserved[name] ?? 0) - (eviction[name] ?? 0),
    );
  }
  return out;
}
