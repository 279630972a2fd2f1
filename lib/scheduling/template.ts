import type { DaemonSet, Taint } from '../apis/index.ts';
import { Labels } from '../apis/labels.ts';
import { formatResources } from '../apis/quantity.ts';
import { daemonSetHostPorts, daemonSetRequestsByType, runningDaemonSets } from './daemonsets.ts';
import type { HostPort } from './host-ports.ts';
import { ClaimOffers } from './claim-offer.ts';
import { OptionOrders, type ClaimOptions } from './claim-options.ts';
import type { InstanceTypeTable } from './instance-types.ts';
import { Requirement } from './requirement.ts';
import { Requirements } from './requirements.ts';
import type { ResourceSpace } from './resources.ts';
import type { SchedulingNodePool } from './types.ts';

/**
 * What every NodeClaim of one NodePool starts from: its requirements (NodePool requirements and
 * template labels, with zone and capacity type bounded by the offerings), taints, the DaemonSet
 * overhead and host ports of the DaemonSets that will run there, the compatible instance types,
 * and what is left of the NodePool's limits.
 */
export class NodeClaimTemplate {
  readonly nodePool: SchedulingNodePool;
  readonly requirements: Requirements;
  readonly taints: readonly Taint[];
  readonly table: InstanceTypeTable;
  /** Indices into `table` of types compatible with the requirements and with an available offering. */
  readonly options: readonly number[];
  readonly offers: ClaimOffers;
  /** The offering pairs every option has (see `InstanceTypeTable.optionFilter`). */
  readonly offeringsInCommon: Uint32Array;
  /** Requests of the DaemonSets that run on every option of a new NodeClaim. */
  readonly daemonRequestVector: Float64Array;
  /** Requests of the DaemonSets that run only on some types, per type (see `daemonSetRequestsByType`). */
  readonly perTypeDaemonRequests: Float64Array | undefined;
  readonly daemonHostPorts: readonly HostPort[];
  readonly space: ResourceSpace;
  /** Limits minus usage; undefined when the NodePool has no limits. */
  private readonly remaining: Record<string, number> | undefined;
  /** Per limited resource other than `nodes`, each type's capacity, indexed like `table`. */
  private readonly limitedCapacities: readonly LimitedCapacity[];
  /**
   * `options` within the limits left, with the largest capacity among them per limited
   * resource, kept until a reservation brings a limit below one of them.
   */
  private withinLimits: { options: readonly number[]; largest: readonly number[] } | undefined;
  /** Room per type (allocatable less `perTypeDaemonRequests`) and the template's options ordered by it. */
  private readonly orders: OptionOrders;
  /** The orders of the last options a claim started from (usually `withinLimits`, the same array). */
  private lastOrders: OptionOrders | undefined;

  constructor(
    nodePool: SchedulingNodePool,
    daemonSets: readonly DaemonSet[],
    space: ResourceSpace,
    table: InstanceTypeTable,
  ) {
    this.nodePool = nodePool;
    this.table = table;
    this.space = space;
    this.taints = nodePool.taints ?? [];
    const requirements = Requirements.fromNodeRequirements(nodePool.requirements);
    for (const requirement of Requirements.fromLabels({
      ...nodePool.labels,
      [Labels.nodePool]: nodePool.name,
    }).values())
      requirements.add(requirement);
    const keys = [...requirements.keys()];
    const compatible = table.types
      .map((_, index) => index)
      .filter(table.labelFilter(requirements, keys));
    const allowed = table.offeringFilter(requirements);
    const zones = new Set<string>();
    const capacityTypes = new Set<string>();
    for (const index of compatible)
      for (const offering of table.types[index]?.offerings ?? [])
        if (allowed(offering)) {
          zones.add(offering.zone);
          capacityTypes.add(offering.capacityType);
        }
    requirements.add(Requirement.anyOf(Labels.zone, zones));
    requirements.add(Requirement.anyOf(Labels.capacityType, capacityTypes));
    this.requirements = requirements;
    this.options = compatible.filter(table.offeredFilter(requirements));
    const running = runningDaemonSets(daemonSets, requirements, this.taints, true);
    const byType = daemonSetRequestsByType(running, requirements, table, space);
    this.daemonRequestVector = byType.shared;
    this.perTypeDaemonRequests = byType.perType;
    this.daemonHostPorts = daemonSetHostPorts(running);
    this.remaining =
      nodePool.limits &&
      Object.fromEntries(
        Object.entries(nodePool.limits).map(([name, limit]) => [
          name,
          limit - (nodePool.usage[name] ?? 0),
        ]),
      );
    this.limitedCapacities = Object.keys(this.remaining ?? {})
      .filter((name) => name !== 'nodes')
      .map((name) => {
        const byType = Float64Array.from(table.types, (type) => type.capacity[name] ?? 0);
        const descending = [...this.options].sort((a, b) => (byType[b] ?? 0) - (byType[a] ?? 0));
        return { name, byType, descending };
      });
    const perType = this.perTypeDaemonRequests;
    const room = perType
      ? table.allocatable.map((value, offset) => value - (perType[offset] ?? 0))
      : table.allocatable;
    this.orders = new OptionOrders(room, table.width, table.types.length, this.options);
    this.offers = new ClaimOffers(table, this.options);
    this.offeringsInCommon = table.offeringsInCommon(this.options);
  }

  get name(): string {
    return this.nodePool.name;
  }

  /** The options a new NodeClaim may use without exceeding the limits left, or why there are none. */
  optionsWithinLimits(): readonly number[] | string {
    const remaining = this.remaining;
    if (!remaining) return this.options;
    if ((remaining['nodes'] ?? 1) < 1)
      return `NodePool "${this.name}" has reached its limit of ${this.nodePool.limits?.['nodes']} nodes`;
    if (!this.withinLimits) {
      const options = this.options.filter((index) =>
        this.limitedCapacities.every(
          ({ name, byType }) => (byType[index] ?? 0) <= (remaining[name] ?? 0),
        ),
      );
      const largest = this.limitedCapacities.map(({ byType }) => largestOf(byType, options));
      this.withinLimits = { options, largest };
    }
    return this.withinLimits.options.length > 0
      ? this.withinLimits.options
      : `NodePool "${this.name}" limits leave room for no instance type (remaining ${JSON.stringify(formatResources(remaining))})`;
  }

  /** Counts a new NodeClaim against the limits at the largest capacity among its options, as Karpenter does. */
  reserve(options: ClaimOptions): void {
    const remaining = this.remaining;
    if (!remaining) return;
    if (remaining['nodes'] !== undefined) remaining['nodes'] -= 1;
    this.limitedCapacities.forEach(({ name, byType, descending }, limit) => {
      const largest = options.firstOf(descending);
      const left =
        (remaining[name] ?? 0) - (largest === undefined ? 0 : Math.max(0, byType[largest] ?? 0));
      remaining[name] = left;
      if ((this.withinLimits?.largest[limit] ?? 0) > left) this.withinLimits = undefined;
    });
  }

  /** The options a new claim starts from (some of `options`), ordered by room per resource. */
  startingOrders(options: readonly number[]): OptionOrders {
    if (this.lastOrders?.options !== options) this.lastOrders = this.orders.subset(options);
    return this.lastOrders;
  }
}

interface LimitedCapacity {
  readonly name: string;
  readonly byType: Float64Array;
  /** The options, largest capacity first. */
  readonly descending: readonly number[];
}

function largestOf(byType: Float64Array, options: readonly number[]): number {
  let largest = 0;
  for (const index of options) largest = Math.max(largest, byType[index] ?? 0);
  return largest;
}
