import { Labels } from '../apis/labels.ts';
import { formatResources } from '../apis/quantity.ts';
import { admissionFailure, narrowRequirements, type Candidate } from './candidate.ts';
import { HostPortUsage } from './host-ports.ts';
import type { PodInfo } from './pod-info.ts';
import type { PodConstraints } from './preferences.ts';
import { Requirement } from './requirement.ts';
import { ResourceSpace } from './resources.ts';
import type { Requirements } from './requirements.ts';
import type { NodeClaimTemplate } from './template.ts';
import type { Topology } from './topology.ts';
import { MAX_INSTANCE_TYPES_PER_CLAIM, type PlannedNodeClaim } from './types.ts';

/** A NodeClaim this run plans to create: its instance-type options shrink as pods are added. */
export class PlannedClaim implements Candidate {
  readonly name: string;
  readonly template: NodeClaimTemplate;
  readonly pods: PodInfo[] = [];
  private requirements: Requirements;
  private options: readonly number[];
  private requests: Float64Array;
  /** Element-wise largest allocatable among the options: a cheap first test before filtering them. */
  private largest: Float64Array;
  /** Element-wise smallest: when the pod fits even that and adds no requirement, every option stays. */
  private smallest: Float64Array;
  private readonly hostPorts: HostPortUsage;

  constructor(template: NodeClaimTemplate, hostname: string, options: readonly number[]) {
    this.name = hostname;
    this.template = template;
    this.requirements = template.requirements.copy();
    this.requirements.add(Requirement.single(Labels.hostname, hostname));
    this.options = options;
    this.requests = Float64Array.from(template.daemonRequestVector);
    ({ largest: this.largest, smallest: this.smallest } = template.startingBounds(options));
    this.hostPorts = new HostPortUsage(template.daemonHostPorts);
  }

  get instanceTypeOptions(): readonly number[] {
    return this.options;
  }

  tryAdd(pod: PodInfo, constraints: PodConstraints, topology: Topology): string | undefined {
    const { template } = this;
    const admission = admissionFailure(pod, constraints, template.taints, this.hostPorts);
    if (admission) return admission;
    if (!ResourceSpace.fitsSum(this.requests, pod.requestVector, this.largest))
      return this.resourceFailure(pod);
    const incompatible = this.requirements.incompatibility(constraints.requirements, true);
    if (incompatible) return incompatible;
    const narrowing = topology.constrain(
      pod,
      constraints.groups,
      constraints.requirements,
      this.requirements,
    );
    if (typeof narrowing === 'string') return narrowing;
    const narrowed = narrowRequirements(this.requirements, constraints.requirements, narrowing);
    if (typeof narrowed === 'string') return narrowed;
    const { requirements, changedKeys } = narrowed;
    const { table } = template;
    const options = this.remainingOptions(pod, requirements, changedKeys);
    if (options.length === 0) return this.resourceFailure(pod, requirements);
    const shortfall = table.minValuesShortfall(options, requirements);
    if (shortfall) return shortfall;

    this.requirements = requirements;
    if (options.length !== this.options.length)
      ({ largest: this.largest, smallest: this.smallest } = table.allocatableBounds(
        options,
        template.perTypeDaemonRequests,
      ));
    this.options = options;
    ResourceSpace.addInto(this.requests, pod.requestVector);
    this.hostPorts.add(pod.hostPorts);
    this.pods.push(pod);
    topology.record(pod, requirements, template.taints);
    return undefined;
  }

  /** Allocation-free test for the scan over planned claims: true when the pod certainly does not fit. */
  quicklyRejects(pod: PodInfo, constraints: PodConstraints, topology: Topology): boolean {
    return (
      !ResourceSpace.fitsSum(this.requests, pod.requestVector, this.largest) ||
      topology.quicklyRejects(pod, constraints.groups, this.requirements)
    );
  }

  /** The options that still fit with the pod added and meet the narrowed requirements. */
  private remainingOptions(
    pod: PodInfo,
    requirements: Requirements,
    changedKeys: readonly string[],
  ): readonly number[] {
    if (
      changedKeys.length === 0 &&
      ResourceSpace.fitsSum(this.requests, pod.requestVector, this.smallest)
    )
      return this.options;
    const { table, perTypeDaemonRequests } = this.template;
    const accepts =
      changedKeys.length === 0 ? undefined : table.optionFilter(requirements, changedKeys);
    const need = Float64Array.from(this.requests);
    ResourceSpace.addInto(need, pod.requestVector);
    // Allocate a new list only once some option drops out.
    let kept: number[] | undefined;
    for (let position = 0; position < this.options.length; position++) {
      const index = this.options[position] ?? 0;
      const keep =
        table.fits(index, need, perTypeDaemonRequests) && (accepts === undefined || accepts(index));
      if (!keep && kept === undefined) kept = this.options.slice(0, position);
      else if (keep && kept !== undefined) kept.push(index);
    }
    return kept ?? this.options;
  }

  private resourceFailure(pod: PodInfo, requirements?: Requirements): string {
    const need = Float64Array.from(
      this.requests,
      (value, position) => value + (pod.requestVector[position] ?? 0),
    );
    const what =
      this.pods.length === 0
        ? 'the pod plus DaemonSet overhead'
        : `the pod plus the ${this.pods.length} pods already planned here`;
    const constraint = requirements
      ? ` that meets ${requirements.describe(new Set([Labels.hostname, Labels.nodePool]))}`
      : '';
    const needs = JSON.stringify(formatResources(this.template.space.toResources(need)));
    return `no instance type${constraint} has room for ${what} (needs ${needs})`;
  }

  /** The requests plus, for DaemonSets that run only on some types, the most any of `options` runs. */
  private requestsWithTypeDaemons(options: readonly number[]): Float64Array {
    const perType = this.template.perTypeDaemonRequests;
    const requests = Float64Array.from(this.requests);
    if (!perType) return requests;
    const width = requests.length;
    const most = new Float64Array(width);
    for (const index of options)
      for (let position = 0; position < width; position++)
        most[position] = Math.max(most[position] ?? 0, perType[index * width + position] ?? 0);
    ResourceSpace.addInto(requests, most);
    return requests;
  }

  /** The NodeClaim to create: options priced and sorted, cut to the cheapest 600 (more if minValues needs them). */
  toPlannedNodeClaim(): PlannedNodeClaim {
    const { table, nodePool, space } = this.template;
    const byPrice = this.template.optionsByPrice(this.requirements);
    // Options only ever shrink from the template's, so as many means the same ones.
    const mine = this.options.length === byPrice.length ? undefined : new Set(this.options);
    const ordered = mine ? byPrice.filter((index) => mine.has(index)) : byPrice;
    let kept =
      ordered.length > MAX_INSTANCE_TYPES_PER_CLAIM
        ? ordered.slice(0, MAX_INSTANCE_TYPES_PER_CLAIM)
        : ordered;
    while (kept.length < ordered.length && table.minValuesShortfall(kept, this.requirements))
      kept = ordered.slice(0, kept.length + 1);
    const { instanceTypes, zones, capacityTypes, instanceTypeNames } = this.template.claimOffer(
      kept,
      this.requirements,
    );
    const requirements = this.requirements.copy();
    requirements.add(Requirement.anyOf(Labels.zone, zones));
    requirements.add(Requirement.anyOf(Labels.capacityType, capacityTypes));
    // Every kept option meets the claim's instance-type requirement, so the options replace it.
    const minValues = requirements.get(Labels.instanceType)?.minValues;
    const labels: Record<string, string> = {
      ...nodePool.labels,
      ...requirements.singleValuedLabels(),
    };
    delete labels[Labels.hostname];
    if (instanceTypeNames.length === 1 && instanceTypeNames[0] !== undefined)
      labels[Labels.instanceType] = instanceTypeNames[0];
    else delete labels[Labels.instanceType];
    return {
      nodePool: nodePool.name,
      requirements: [
        ...requirements
          .toNodeRequirements()
          .filter(({ key }) => key !== Labels.hostname && key !== Labels.instanceType),
        {
          key: Labels.instanceType,
          operator: 'In',
          values: instanceTypeNames,
          ...(minValues === undefined ? {} : { minValues }),
        },
      ],
      instanceTypes,
      zones,
      capacityTypes,
      labels,
      taints: this.template.taints,
      startupTaints: nodePool.startupTaints ?? [],
      pods: this.pods.map(({ pod }) => pod),
      requests: space.toResources(this.requestsWithTypeDaemons(kept)),
      priceUSDPerHour: instanceTypes[0]?.priceUSDPerHour ?? 0,
    };
  }
}
