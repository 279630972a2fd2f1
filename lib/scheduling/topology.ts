import type { PodAffinityTerm, Taint, TopologySpreadConstraint } from '../apis/index.ts';
import { withMatchLabelKeys } from './label-selector.ts';
import type { PodInfo } from './pod-info.ts';
import type { Requirement } from './requirement.ts';
import type { Requirements } from './requirements.ts';
import {
  passesNodeFilter,
  TopologyGroup,
  type NodeFilter,
  type TopologyGroupOptions,
} from './topology-group.ts';

/** Somewhere nodes can appear (a NodePool template or an existing node), for collecting domains. */
export interface DomainSource {
  readonly requirements: Requirements;
  readonly taints: readonly Taint[];
}

const NO_NARROWING: readonly Requirement[] = [];

/**
 * Every topology constraint of the pods in this run, deduplicated into groups, with the domain
 * counts kept up to date as pods are placed.
 */
export class Topology {
  private readonly groups = new Map<string, TopologyGroup>();

  constructor(private readonly sources: readonly DomainSource[]) {}

  /** Whether some pod of the run has a spread or (anti-)affinity to keep track of. */
  get hasGroups(): boolean {
    return this.groups.size > 0;
  }

  spreadGroup(
    pod: PodInfo,
    constraint: TopologySpreadConstraint,
    ownerTerms: readonly Requirements[],
  ): TopologyGroup {
    const nodeFilter: NodeFilter = {
      ...(constraint.nodeTaintsPolicy === 'Honor' ? { tolerations: pod.tolerations } : {}),
      ...(constraint.nodeAffinityPolicy === 'Ignore' ? {} : { terms: ownerTerms }),
    };
    return this.group({
      type: 'spread',
      key: constraint.topologyKey,
      namespaces: new Set([pod.namespace]),
      selector: withMatchLabelKeys(constraint.labelSelector, constraint.matchLabelKeys, pod.labels),
      maxSkew: constraint.maxSkew,
      ...(constraint.minDomains === undefined ? {} : { minDomains: constraint.minDomains }),
      nodeFilter,
    });
  }

  /** The group for a pod (anti-)affinity term, or why it cannot be evaluated. */
  affinityGroup(pod: PodInfo, term: PodAffinityTerm, anti: boolean): TopologyGroup | string {
    const { namespaceSelector, namespaces } = term;
    const hasSelectorTerms =
      Boolean(
        namespaceSelector?.matchLabels && Object.keys(namespaceSelector.matchLabels).length,
      ) || Boolean(namespaceSelector?.matchExpressions?.length);
    if (hasSelectorTerms)
      return `pod affinity term on ${term.topologyKey} uses a non-empty namespaceSelector, which needs Namespace objects the scheduler does not have`;
    return this.group({
      type: anti ? 'anti-affinity' : 'affinity',
      key: term.topologyKey,
      namespaces: namespaceSelector
        ? 'all'
        : new Set(namespaces?.length ? namespaces : [pod.namespace]),
      selector: withMatchLabelKeys(term.labelSelector, term.matchLabelKeys, pod.labels),
    });
  }

  /** Fills each pod's `countedBy` and `inverseAntiAffinity`, once every group exists. */
  index(pods: readonly PodInfo[]): void {
    if (this.groups.size === 0) return;
    const groups = [...this.groups.values()];
    const required = new Set(pods.flatMap((pod) => pod.requiredAntiAffinity));
    // Selectors see only the namespace and the labels, which the pods of a workload share.
    const byLabels = new Map<string, TopologyGroup[]>();
    for (const pod of pods) {
      const key = JSON.stringify([pod.namespace, pod.labels]);
      let selecting = byLabels.get(key);
      if (!selecting) {
        selecting = groups.filter((group) => group.selectsPod(pod.namespace, pod.labels));
        byLabels.set(key, selecting);
      }
      pod.countedBy.push(...selecting);
      for (const group of selecting) if (required.has(group)) pod.inverseAntiAffinity.push(group);
    }
  }

  /** Records `pod` on a node with these (final) requirements and taints. */
  record(pod: PodInfo, requirements: Requirements, taints: readonly Taint[]): void {
    const { countedBy, requiredAntiAffinity } = pod;
    // Indexed loops: this runs for every pod placed, often before the JIT has optimized it.
    for (let position = 0; position < countedBy.length; position++) {
      const group = countedBy[position];
      if (!group || (group.type === 'spread' && !group.countsOn(taints, requirements))) continue;
      group.record(requirements.get(group.key), true, requiredAntiAffinity.includes(group));
    }
    for (let position = 0; position < requiredAntiAffinity.length; position++) {
      const group = requiredAntiAffinity[position];
      if (group && !countedBy.includes(group))
        group.record(requirements.get(group.key), false, true);
    }
  }

  /**
   * Cheap test run before `constrain` on every candidate: true when a constraint already rules
   * out the candidate's single domain for some key. Allocation-free, for the hot loop.
   */
  quicklyRejects(pod: PodInfo, groups: readonly TopologyGroup[], candidate: Requirements): boolean {
    // Indexed loops: a `for…of` allocates until the JIT has optimized the function.
    for (let position = 0; position < groups.length; position++) {
      const group = groups[position];
      const domain = group && candidate.get(group.key)?.singleValue();
      if (domain !== undefined && group?.rejectsDomain(domain, pod.countedBy.includes(group)))
        return true;
    }
    const { inverseAntiAffinity } = pod;
    for (let position = 0; position < inverseAntiAffinity.length; position++) {
      const group = inverseAntiAffinity[position];
      const domain = group && candidate.get(group.key)?.singleValue();
      if (domain !== undefined && group?.rejectsDomainInverse(domain)) return true;
    }
    return false;
  }

  /**
   * The narrowing of `candidate` that satisfies the pod's topology groups and keeps it away from
   * pods whose required anti-affinity selects it, or why no such narrowing exists.
   */
  constrain(
    pod: PodInfo,
    groups: readonly TopologyGroup[],
    podRequirements: Requirements,
    candidate: Requirements,
  ): readonly Requirement[] | string {
    const { inverseAntiAffinity } = pod;
    if (groups.length === 0 && inverseAntiAffinity.length === 0) return NO_NARROWING;
    // Allocated only once some group narrows the candidate, which most placements do not.
    let narrowed: Map<string, Requirement> | undefined;
    for (let position = 0; position < groups.length + inverseAntiAffinity.length; position++) {
      const owned = position < groups.length;
      const group = owned ? groups[position] : inverseAntiAffinity[position - groups.length];
      if (!group) continue;
      const current = narrowed?.get(group.key) ?? candidate.get(group.key);
      const decision = owned
        ? group.decide(current, podRequirements.get(group.key), pod.countedBy.includes(group))
        : group.decideInverse(current);
      if (decision === undefined) continue;
      if (typeof decision === 'string') return `${group.describe()}: ${decision}`;
      const next = current ? current.intersection(decision) : decision;
      if (!next.isSatisfiable()) return `${group.describe()}: no ${group.key} domain left`;
      (narrowed ??= new Map()).set(group.key, next);
    }
    return narrowed ? [...narrowed.values()] : NO_NARROWING;
  }

  private group(options: Omit<TopologyGroupOptions, 'domains' | 'bootstrapSeed'>): TopologyGroup {
    const { type, key, namespaces, selector, maxSkew, minDomains, nodeFilter } = options;
    const terms = nodeFilter?.terms?.some((term) => term.size > 0)
      ? JSON.stringify(nodeFilter.terms.map((term) => term.toNodeRequirements()))
      : '';
    const identity = [
      type,
      key,
      namespaces === 'all' ? '*' : [...namespaces].sort().join(','),
      JSON.stringify(selector ?? null),
      maxSkew ?? '',
      minDomains ?? '',
      nodeFilter?.tolerations ? JSON.stringify(nodeFilter.tolerations) : '',
      nodeFilter?.terms ? `terms${terms}` : '',
    ].join('|');
    let group = this.groups.get(identity);
    if (!group) {
      group = new TopologyGroup({
        ...options,
        domains: this.domains(options.key, nodeFilter),
        bootstrapSeed: stableHash(identity),
      });
      this.groups.set(identity, group);
    }
    return group;
  }

  /** Domains of `key` on the sources a spread with this filter counts. */
  private domains(key: string, filter: NodeFilter | undefined): string[] {
    const out: string[] = [];
    for (const source of this.sources) {
      const requirement = source.requirements.get(key);
      if (
        !requirement ||
        requirement.complement ||
        !passesNodeFilter(filter, source.taints, source.requirements)
      )
        continue;
      for (const domain of requirement.values) {
        if (!filter?.terms || filter.terms.some((term) => term.get(key)?.has(domain) ?? true))
          out.push(domain);
      }
    }
    return out;
  }
}

/** FNV-1a: a small deterministic string hash. */
function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++)
    hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193) >>> 0;
  return hash;
}
