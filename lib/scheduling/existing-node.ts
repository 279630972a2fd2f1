import type { DaemonSet, Taint } from '../apis/index.ts';
import { Labels } from '../apis/labels.ts';
import type { BoundPods } from './bound-pods.ts';
import { admissionFailure, narrowRequirements, type Candidate } from './candidate.ts';
import { daemonSetKey, daemonSetOverhead } from './daemonsets.ts';
import { HostPortUsage } from './host-ports.ts';
import type { PodInfo } from './pod-info.ts';
import type { PodConstraints } from './preferences.ts';
import { Requirements } from './requirements.ts';
import { ResourceSpace } from './resources.ts';
import { withoutBootTaints } from './taints.ts';
import type { Topology } from './topology.ts';
import type { ExistingNode, InFlightNodeClaim } from './types.ts';

const UNSCHEDULABLE_TAINT: Taint = {
  key: 'node.kubernetes.io/unschedulable',
  effect: 'NoSchedule',
};

/** A Node, or an in-flight NodeClaim, that pods can be placed on without launching anything. */
export class ExistingCandidate implements Candidate {
  /** Pending pods placed here in this run. */
  readonly placed: PodInfo[] = [];
  private constructor(
    readonly name: string,
    private requirementsNow: Requirements,
    readonly taints: readonly Taint[],
    private readonly allocatable: Float64Array,
    private readonly used: Float64Array,
    private readonly hostPorts: HostPortUsage,
    /** In-flight NodeClaims have no instance type yet, so undefined well-known labels are allowed. */
    private readonly inFlight: boolean,
    /** Initialized nodes are tried first, as Karpenter does. */
    readonly initialized: boolean,
  ) {}

  /** `requirements`: the node's labels and hostname as requirements (never changed here). */
  static fromNode(
    existing: ExistingNode,
    requirements: Requirements,
    bound: BoundPods,
    daemonSets: readonly DaemonSet[],
    space: ResourceSpace,
  ): ExistingCandidate {
    const { node } = existing;
    const name = node.metadata.name;
    const { managed } = existing;
    const initialized = !managed || node.metadata.labels?.[Labels.initialized] === 'true';
    const nodeTaints = node.spec?.taints ?? [];
    const taints = [
      ...(managed && !initialized
        ? withoutBootTaints(nodeTaints, managed.startupTaints)
        : nodeTaints),
      ...(node.spec?.unschedulable ? [UNSCHEDULABLE_TAINT] : []),
    ];
    const allocatable = space.vector(existing.allocatable);
    return ExistingCandidate.build(
      name,
      requirements,
      taints,
      allocatable,
      bound,
      daemonSets,
      space,
      { inFlight: false, initialized },
    );
  }

  static fromInFlight(
    claim: InFlightNodeClaim,
    nominated: BoundPods,
    daemonSets: readonly DaemonSet[],
    space: ResourceSpace,
  ): ExistingCandidate {
    const requirements = Requirements.fromNodeRequirements(claim.requirements);
    const labels = {
      ...claim.labels,
      [Labels.nodePool]: claim.nodePool,
      [Labels.hostname]: claim.name,
    };
    for (const requirement of Requirements.fromLabels(labels).values())
      requirements.add(requirement);
    return ExistingCandidate.build(
      claim.name,
      requirements,
      withoutBootTaints(claim.taints ?? [], []),
      space.vector(claim.allocatable),
      nominated,
      daemonSets,
      space,
      { inFlight: true, initialized: false },
    );
  }

  private static build(
    name: string,
    requirements: Requirements,
    taints: readonly Taint[],
    allocatable: Float64Array,
    bound: BoundPods,
    daemonSets: readonly DaemonSet[],
    space: ResourceSpace,
    { inFlight, initialized }: { readonly inFlight: boolean; readonly initialized: boolean },
  ): ExistingCandidate {
    // DaemonSets that will run here but have no pod yet still need their room and ports.
    const missing = daemonSets.filter(
      (daemonSet) => !bound.daemonSets.has(daemonSetKey(daemonSet)),
    );
    const overhead = daemonSetOverhead(missing, requirements, taints, inFlight);
    const used = space.vector(overhead.requests);
    ResourceSpace.addInto(used, bound.requests);
    const ports = new HostPortUsage(overhead.hostPorts);
    ports.add(bound.hostPorts);
    return new ExistingCandidate(
      name,
      requirements,
      taints,
      allocatable,
      used,
      ports,
      inFlight,
      initialized,
    );
  }

  get requirements(): Requirements {
    return this.requirementsNow;
  }

  /** Allocation-free test for the scan: true when the pod certainly does not fit. */
  quicklyRejects(pod: PodInfo, constraints: PodConstraints, topology: Topology): boolean {
    return (
      !ResourceSpace.fitsSum(this.used, pod.requestVector, this.allocatable) ||
      topology.quicklyRejects(pod, constraints.groups, this.requirementsNow)
    );
  }

  tryAdd(pod: PodInfo, constraints: PodConstraints, topology: Topology): string | undefined {
    const admission = admissionFailure(pod, constraints, this.taints, this.hostPorts);
    if (admission) return admission;
    if (!ResourceSpace.fitsSum(this.used, pod.requestVector, this.allocatable))
      return `not enough room on ${this.name}`;
    const incompatible = this.requirementsNow.incompatibility(
      constraints.requirements,
      this.inFlight,
    );
    if (incompatible) return incompatible;
    const narrowing = topology.constrain(
      pod,
      constraints.groups,
      constraints.requirements,
      this.requirementsNow,
    );
    if (typeof narrowing === 'string') return narrowing;
    const narrowed = narrowRequirements(this.requirementsNow, constraints.requirements, narrowing);
    if (typeof narrowed === 'string') return narrowed;
    this.requirementsNow = narrowed.requirements;
    ResourceSpace.addInto(this.used, pod.requestVector);
    this.hostPorts.add(pod.hostPorts);
    this.placed.push(pod);
    topology.record(pod, narrowed.requirements, this.taints);
    return undefined;
  }
}
