import type { NodeSelectorTerm, PodAffinityTerm, WeightedPodAffinityTerm } from '../apis/index.ts';
import type { PodInfo } from './pod-info.ts';
import { Requirements } from './requirements.ts';
import type { Topology } from './topology.ts';
import type { TopologyGroup } from './topology-group.ts';
import type { NodeRequirement, PreferencePolicy } from './types.ts';

function termRequirements(term: NodeSelectorTerm): Requirements | undefined {
  return term.matchExpressions?.length
    ? Requirements.fromNodeRequirements(term.matchExpressions)
    : undefined;
}

function byWeightDescending<T extends { readonly weight: number }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => b.weight - a.weight);
}

function heaviestFirst(terms: readonly WeightedPodAffinityTerm[] | undefined): PodAffinityTerm[] {
  return byWeightDescending(terms ?? []).map(({ podAffinityTerm }) => podAffinityTerm);
}

/** The groups of these (anti-)affinity terms, or why one cannot be evaluated. */
function affinityGroups(
  pod: PodInfo,
  topology: Topology,
  terms: readonly PodAffinityTerm[] | undefined,
  anti: boolean,
): TopologyGroup[] | string {
  const groups: TopologyGroup[] = [];
  for (const term of terms ?? []) {
    const group = topology.affinityGroup(pod, term, anti);
    if (typeof group === 'string') return group;
    groups.push(group);
  }
  return groups;
}

export interface ConstraintOptions {
  readonly policy: PreferencePolicy;
  /** Some NodePool taints PreferNoSchedule, so tolerating such taints is a relaxation step. */
  readonly preferNoScheduleRelaxable: boolean;
  /** What the pod's volumes require of its node. */
  readonly volumeRequirements: readonly NodeRequirement[];
}

/**
 * Everything `PodConstraints.of` reads of a pod but its volume requirements, as text: pods with
 * the same key and no volume requirements have the same constraints in one run. The pod's labels count only where a
 * matchLabelKeys reads them.
 */
export function constraintsKey(pod: PodInfo): string {
  const { nodeSelector, affinity, topologySpreadConstraints, tolerations } = pod.pod.spec;
  const text = JSON.stringify([
    pod.namespace,
    nodeSelector,
    affinity,
    topologySpreadConstraints,
    tolerations,
  ]);
  // A label or selector named so only makes the key longer than it need be.
  return text.includes('"matchLabelKeys":') ? `${text}${JSON.stringify(pod.labels)}` : text;
}

/**
 * The constraints a pod is currently scheduled with. Preferences start out as requirements and
 * are given up one at a time, in Karpenter's order, each time the pod fits nowhere:
 * the next ORed required node-affinity term, then preferred pod affinity, preferred pod
 * anti-affinity, preferred node affinity (heaviest first), ScheduleAnyway spreads, and last
 * toleration of PreferNoSchedule taints — only when some NodePool has such a taint, as in Karpenter.
 */
export class PodConstraints {
  /** nodeSelector, the current required node-affinity term and the heaviest remaining preferred term. */
  requirements!: Requirements;
  /** Topology groups the pod must currently satisfy. */
  groups!: readonly TopologyGroup[];
  toleratePreferNoSchedule: boolean;

  private constructor(
    /** The groups of the pod's required anti-affinity terms. */
    readonly requiredAntiAffinity: readonly TopologyGroup[],
    private readonly requiredTerms: Requirements[],
    private readonly preferredNodeTerms: Requirements[],
    private readonly requiredGroups: readonly TopologyGroup[],
    private readonly preferredAffinity: TopologyGroup[],
    private readonly preferredAntiAffinity: TopologyGroup[],
    private readonly scheduleAnyway: TopologyGroup[],
    toleratePreferNoSchedule: boolean,
    private readonly preferNoScheduleRelaxable: boolean,
  ) {
    this.toleratePreferNoSchedule = toleratePreferNoSchedule;
    this.refresh();
  }

  /**
   * Builds the constraints of `pod`, registering its topology groups, or says why the pod cannot
   * be scheduled at all. The result is only read, so pods with the same `constraintsKey` and
   * options share it.
   */
  static of(pod: PodInfo, topology: Topology, options: ConstraintOptions): PodConstraints | string {
    const { policy, preferNoScheduleRelaxable, volumeRequirements } = options;
    const { spec } = pod.pod;
    const ignore = policy === 'Ignore';
    const nodeSelector = Requirements.fromLabels(spec.nodeSelector);
    const nodeAffinity = spec.affinity?.nodeAffinity;
    const required =
      nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
    const requiredTerms = required
      ? required
          .flatMap((term) => termRequirements(term) ?? [])
          .map((term) => nodeSelector.intersection(term))
      : [nodeSelector];
    if (requiredTerms.length === 0)
      return 'required node affinity has only empty terms, which match no node';
    const preferredNodeTerms = ignore
      ? []
      : byWeightDescending(
          nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [],
        ).flatMap(({ preference }) => termRequirements(preference) ?? []);

    const { podAffinity, podAntiAffinity } = spec.affinity ?? {};
    const requiredAffinity = affinityGroups(
      pod,
      topology,
      podAffinity?.requiredDuringSchedulingIgnoredDuringExecution,
      false,
    );
    const requiredAnti = affinityGroups(
      pod,
      topology,
      podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution,
      true,
    );
    const preferredAffinity = ignore
      ? []
      : affinityGroups(
          pod,
          topology,
          heaviestFirst(podAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
          false,
        );
    const preferredAnti = ignore
      ? []
      : affinityGroups(
          pod,
          topology,
          heaviestFirst(podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
          true,
        );
    for (const groups of [requiredAffinity, requiredAnti, preferredAffinity, preferredAnti])
      if (typeof groups === 'string') return groups;
    const spreads = spec.topologySpreadConstraints ?? [];
    const hardSpreads: TopologyGroup[] = [];
    const softSpreads: TopologyGroup[] = [];
    for (const constraint of spreads) {
      if (constraint.whenUnsatisfiable === 'DoNotSchedule')
        hardSpreads.push(topology.spreadGroup(pod, constraint, requiredTerms));
      else if (!ignore) softSpreads.push(topology.spreadGroup(pod, constraint, requiredTerms));
    }
    const [affinity, anti, softAffinity, softAnti] = [
      requiredAffinity,
      requiredAnti,
      preferredAffinity,
      preferredAnti,
    ] as TopologyGroup[][];
    // Volume topology narrows where the pod may run, but not which nodes its spreads count.
    const volumes = Requirements.fromNodeRequirements(volumeRequirements);
    return new PodConstraints(
      anti ?? [],
      volumes.size > 0 ? requiredTerms.map((term) => term.intersection(volumes)) : requiredTerms,
      preferredNodeTerms,
      [...hardSpreads, ...(affinity ?? []), ...(anti ?? [])],
      softAffinity ?? [],
      softAnti ?? [],
      softSpreads,
      ignore,
      preferNoScheduleRelaxable,
    );
  }

  /** A copy to relax, so the pod is tried with every preference again when it is requeued. */
  copy(): PodConstraints {
    return new PodConstraints(
      this.requiredAntiAffinity,
      [...this.requiredTerms],
      [...this.preferredNodeTerms],
      this.requiredGroups,
      [...this.preferredAffinity],
      [...this.preferredAntiAffinity],
      [...this.scheduleAnyway],
      this.toleratePreferNoSchedule,
      this.preferNoScheduleRelaxable,
    );
  }

  /** Gives up the next constraint; returns what was given up, or undefined when nothing is left. */
  relax(): string | undefined {
    const relaxed = this.relaxOne();
    if (relaxed) this.refresh();
    return relaxed;
  }

  private relaxOne(): string | undefined {
    if (this.requiredTerms.length > 1) {
      this.requiredTerms.shift();
      return 'required node affinity term';
    }
    if (this.preferredAffinity.shift()) return 'preferred pod affinity';
    if (this.preferredAntiAffinity.shift()) return 'preferred pod anti-affinity';
    if (this.preferredNodeTerms.shift()) return 'preferred node affinity';
    if (this.scheduleAnyway.shift()) return 'ScheduleAnyway topology spread';
    if (!this.toleratePreferNoSchedule && this.preferNoScheduleRelaxable) {
      this.toleratePreferNoSchedule = true;
      return 'PreferNoSchedule taints';
    }
    return undefined;
  }

  private refresh(): void {
    const [term] = this.requiredTerms;
    const [preferred] = this.preferredNodeTerms;
    this.requirements =
      term && preferred ? term.intersection(preferred) : (term ?? new Requirements());
    this.groups = [
      ...this.requiredGroups,
      ...this.preferredAffinity,
      ...this.preferredAntiAffinity,
      ...this.scheduleAnyway,
    ];
  }
}
