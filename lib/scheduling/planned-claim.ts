import { Labels } from '../apis/labels.ts';
import { formatResources } from '../apis/quantity.ts';
import { admissionFailure, narrowRequirements, type Candidate } from './candidate.ts';
import type { ClaimOffer, LaunchShape } from './claim-offer.ts';
import { ClaimOptions } from './claim-options.ts';
import { HostPortUsage } from './host-ports.ts';
import type { PodInfo } from './pod-info.ts';
import type { PodConstraints } from './preferences.ts';
import { Requirement } from './requirement.ts';
import { ResourceSpace } from './resources.ts';
import type { Requirements } from './requirements.ts';
import type { NodeClaimTemplate } from './template.ts';
import type { Topology } from './topology.ts';
import type { PlannedNodeClaim } from './types.ts';

/** A NodeClaim this run plans to create: its instance-type options shrink as pods are added. */
export class PlannedClaim implements Candidate {
  readonly name: string;
  readonly template: NodeClaimTemplate;
  readonly pods: PodInfo[] = [];
  private requirements: Requirements;
  private readonly options: ClaimOptions;
  private requests: Float64Array;
  private readonly hostPorts: HostPortUsage;

  constructor(template: NodeClaimTemplate, hostname: string, options: readonly number[]) {
    this.name = hostname;
    this.template = template;
    this.requirements = template.requirements.copy();
    this.requirements.add(Requirement.single(Labels.hostname, hostname));
    this.options = new ClaimOptions(template.startingOrders(options));
    this.requests = template.daemonRequestVector.slice();
    this.hostPorts = new HostPortUsage(template.daemonHostPorts);
  }

  /** Counts the claim against its NodePool's limits. */
  reserveCapacity(): void {
    this.template.reserve(this.options);
  }

  tryAdd(pod: PodInfo, constraints: PodConstraints, topology: Topology): string | undefined {
    const { template } = this;
    const admission = admissionFailure(pod, constraints, template.taints, this.hostPorts);
    if (admission) return admission;
    if (!ResourceSpace.fitsSum(this.requests, pod.requestVector, this.options.largest))
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
    const accepts =
      changedKeys.length === 0
        ? undefined
        : table.optionFilter(requirements, changedKeys, template.offeringsInCommon);
    const failure =
      this.options.narrow(this.requests, pod.requestVector, accepts) === 0
        ? this.resourceFailure(pod, requirements)
        : requirements.hasMinValues()
          ? table.minValuesShortfall(this.options.list(), requirements)
          : undefined;
    if (failure) {
      this.options.undo();
      return failure;
    }
    this.options.keep();
    this.requirements = requirements;
    ResourceSpace.addInto(this.requests, pod.requestVector);
    this.hostPorts.add(pod.hostPorts);
    this.pods.push(pod);
    topology.record(pod, requirements, template.taints);
    return undefined;
  }

  /** Allocation-free test for the scan over planned claims: true when the pod certainly does not fit. */
  quicklyRejects(pod: PodInfo, constraints: PodConstraints, topology: Topology): boolean {
    return (
      !ResourceSpace.fitsSum(this.requests, pod.requestVector, this.options.largest) ||
      topology.quicklyRejects(pod, constraints.groups, this.requirements)
    );
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
    const requests = this.requests.slice();
    if (!perType) return requests;
    const width = requests.length;
    const most = new Float64Array(width);
    for (const index of options)
      for (let position = 0; position < width; position++)
        most[position] = Math.max(most[position] ?? 0, perType[index * width + position] ?? 0);
    ResourceSpace.addInto(requests, most);
    return requests;
  }

  /** The NodeClaim to create. */
  toPlannedNodeClaim(): PlannedNodeClaim {
    const { nodePool, space } = this.template;
    const offer = this.template.offers.offer(this.options, this.requirements);
    const { options, instanceTypes, zones, capacityTypes } = offer;
    const { requirements, labels } = this.template.offers.launchShape(
      offer,
      this.requirements,
      () => launchShape(this.requirements, offer, nodePool.labels),
    );
    return {
      nodePool: nodePool.name,
      requirements,
      instanceTypes,
      zones,
      capacityTypes,
      labels,
      taints: this.template.taints,
      startupTaints: nodePool.startupTaints ?? [],
      pods: this.pods.map(({ pod }) => pod),
      requests: space.toResources(this.requestsWithTypeDaemons(options)),
      priceUSDPerHour: instanceTypes[0]?.priceUSDPerHour ?? 0,
    };
  }
}

/**
 * A planned claim's requirements and labels: its own (but for the placeholder hostname) and its
 * NodePool's labels, with the zones, capacity types and instance types of its offer.
 */
function launchShape(
  claimRequirements: Requirements,
  offer: ClaimOffer,
  nodePoolLabels: Readonly<Record<string, string>> | undefined,
): LaunchShape {
  const { zones, capacityTypes, instanceTypeNames } = offer;
  const requirements = claimRequirements.copy();
  requirements.add(Requirement.anyOf(Labels.zone, zones));
  requirements.add(Requirement.anyOf(Labels.capacityType, capacityTypes));
  // Every kept option meets the claim's instance-type requirement, so the options replace it.
  const minValues = requirements.get(Labels.instanceType)?.minValues;
  const labels: Record<string, string> = {
    ...nodePoolLabels,
    ...requirements.singleValuedLabels(),
  };
  delete labels[Labels.hostname];
  if (instanceTypeNames.length === 1 && instanceTypeNames[0] !== undefined)
    labels[Labels.instanceType] = instanceTypeNames[0];
  else delete labels[Labels.instanceType];
  return {
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
    labels,
  };
}
