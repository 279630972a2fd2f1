import { Labels, type CapacityType } from '../apis/labels.ts';
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

/**
 * What a running instance of the type costs per hour: the cheapest of its offerings in its zone
 * and capacity type (unavailable ones too: it is running), or undefined when none matches. A zone
 * or capacity type left out matches every offering.
 */
export function offeringPrice(
  instanceType: InstanceType | undefined,
  zone: string | undefined,
  capacityType: string | undefined,
): number | undefined {
  const prices = (instanceType?.offerings ?? [])
    .filter(
      (offering) =>
        (zone === undefined || offering.zone === zone) &&
        (capacityType === undefined || offering.capacityType === capacityType),
    )
    .map(({ price }) => price);
  return prices.length > 0 ? Math.min(...prices) : undefined;
}

/**
 * What a node or NodeClaim costs per hour by its labels (instance type, zone, capacity type),
 * priced among `instanceTypes`; undefined when they do not list its type.
 */
export function labelledPrice(
  labels: Readonly<Record<string, string>>,
  instanceTypes: readonly InstanceType[],
): number | undefined {
  return offeringPrice(
    instanceTypes.find(({ name }) => name === labels[Labels.instanceType]),
    labels[Labels.zone],
    labels[Labels.capacityType],
  );
}
