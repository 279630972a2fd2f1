import { Labels as WellKnown } from '../apis/labels.ts';
import type { LabelSelector, Taint, Toleration } from '../apis/index.ts';
import { compileSelector, type LabelMatcher, type Labels } from './label-selector.ts';
import { Requirement } from './requirement.ts';
import type { Requirements } from './requirements.ts';
import { blockingTaint } from './taints.ts';

export type TopologyType = 'spread' | 'affinity' | 'anti-affinity';

/** A domain decision: `undefined` keeps the candidate as it is, a `Requirement` narrows it, a string says why not. */
export type DomainDecision = Requirement | string | undefined;

/** Which nodes a spread counts (nodeTaintsPolicy / nodeAffinityPolicy Honor); absent means every node. */
export interface NodeFilter {
  readonly tolerations?: readonly Toleration[];
  /** ORed node-selector terms the owner requires. */
  readonly terms?: readonly Requirements[];
}

export function passesNodeFilter(
  filter: NodeFilter | undefined,
  taints: readonly Taint[],
  requirements: Requirements,
): boolean {
  if (!filter) return true;
  if (filter.tolerations && blockingTaint(filter.tolerations, taints, true)) return false;
  return (
    !filter.terms ||
    filter.terms.some((term) => requirements.incompatibility(term, true) === undefined)
  );
}

export interface TopologyGroupOptions {
  readonly type: TopologyType;
  readonly key: string;
  /** Namespaces whose pods the selector sees; `all` for an empty namespaceSelector. */
  readonly namespaces: ReadonlySet<string> | 'all';
  readonly selector: LabelSelector | undefined;
  readonly maxSkew?: number;
  readonly minDomains?: number;
  readonly nodeFilter?: NodeFilter;
  /** The domains a spread balances over (NodePool requirements, offerings, existing nodes). */
  readonly domains: readonly string[];
  /** Where a self-affine group's first pod starts looking for a domain; any non-negative integer. */
  readonly bootstrapSeed: number;
}

/**
 * One topology constraint shared by every pod that declares it identically: a spread, a pod
 * affinity or a pod anti-affinity term, with per-domain counts of the pods its selector selects.
 * For anti-affinity it also counts where pods that *require* the term run, so that a pod the
 * selector matches keeps away from them (Kubernetes' symmetric anti-affinity).
 */
export class TopologyGroup {
  readonly type: TopologyType;
  readonly key: string;
  readonly maxSkew: number;
  private readonly options: TopologyGroupOptions;
  private readonly domains: readonly string[];
  private readonly eligible: ReadonlySet<string>;
  private readonly matches: LabelMatcher;
  private readonly counts = new Map<string, number>();
  private readonly ownerCounts = new Map<string, number>();
  private cachedMin: number | undefined;

  constructor(options: TopologyGroupOptions) {
    this.options = options;
    this.type = options.type;
    this.key = options.key;
    this.maxSkew = options.maxSkew ?? 1;
    this.domains = [...new Set(options.domains)].sort();
    this.eligible = new Set(this.domains);
    this.matches = compileSelector(options.selector);
  }

  describe(): string {
    const what =
      this.type === 'spread' ? `topology spread (maxSkew ${this.maxSkew})` : `pod ${this.type}`;
    return `${what} on ${this.key}`;
  }

  selectsPod(namespace: string, labels: Labels): boolean {
    const { namespaces } = this.options;
    return (namespaces === 'all' || namespaces.has(namespace)) && this.matches(labels);
  }

  /** Whether pods on a node with these taints and requirements count toward a spread. */
  countsOn(taints: readonly Taint[], requirements: Requirements): boolean {
    return passesNodeFilter(this.options.nodeFilter, taints, requirements);
  }

  /** Records a placed pod: `selected` if the selector selects it, `requiredOwner` if it requires this anti-affinity. */
  record(domains: Requirement | undefined, selected: boolean, requiredOwner: boolean): void {
    if (!domains || domains.complement) return;
    this.cachedMin = undefined;
    if (this.type !== 'anti-affinity' && domains.values.size !== 1) return;
    // Anti-affinity blocks every domain the pod might land in; the others need the one it will.
    for (const domain of domains.values) {
      if (selected) this.counts.set(domain, (this.counts.get(domain) ?? 0) + 1);
      if (requiredOwner) this.ownerCounts.set(domain, (this.ownerCounts.get(domain) ?? 0) + 1);
    }
  }

  /** Where a pod owning this constraint may go on a node whose domains for the key are `candidate`. */
  decide(
    candidate: Requirement | undefined,
    podDomains: Requirement | undefined,
    selfSelecting: boolean,
  ): DomainDecision {
    if (this.type === 'anti-affinity')
      return this.avoid(candidate, this.counts, 'a pod it must not share with');
    if (!candidate) return `the node has no ${this.key} label`;
    return this.type === 'spread'
      ? this.spread(candidate, selfSelecting)
      : this.affinity(candidate, podDomains, selfSelecting);
  }

  /** Where a pod this anti-affinity's selector matches may go: away from pods that require it. */
  decideInverse(candidate: Requirement | undefined): DomainDecision {
    return this.avoid(candidate, this.ownerCounts, 'a pod whose anti-affinity excludes it');
  }

  /** Allocation-free: true when a pod owning this group can certainly not go to `domain`. */
  rejectsDomain(domain: string, selfSelecting: boolean): boolean {
    if (this.type === 'anti-affinity') return this.counts.has(domain);
    if (this.type === 'spread')
      return this.count(domain) + (selfSelecting ? 1 : 0) - this.minCount() > this.maxSkew;
    return false;
  }

  /**
   * True when this hostname anti-affinity already covers `hostnames` distinct hostnames, that is
   * every node and planned claim there is: only a new node can take the pod, so scans are skipped.
   */
  occupiesEveryHostname(hostnames: number, inverse: boolean): boolean {
    return (
      this.type === 'anti-affinity' &&
      this.key === WellKnown.hostname &&
      (inverse ? this.ownerCounts : this.counts).size >= hostnames
    );
  }

  rejectsDomainInverse(domain: string): boolean {
    return this.ownerCounts.has(domain);
  }

  private count(domain: string): number {
    return this.counts.get(domain) ?? 0;
  }

  /** The smallest count over the eligible domains, cached until the next `record`. */
  private minCount(): number {
    if (this.cachedMin !== undefined) return this.cachedMin;
    let min = Number.POSITIVE_INFINITY;
    for (const domain of this.domains) min = Math.min(min, this.count(domain));
    const belowMinDomains =
      this.options.minDomains !== undefined && this.domains.length < this.options.minDomains;
    // A new node is always an empty hostname.
    this.cachedMin =
      this.key === WellKnown.hostname || belowMinDomains || !Number.isFinite(min) ? 0 : min;
    return this.cachedMin;
  }

  private spread(candidate: Requirement, selfSelecting: boolean): DomainDecision {
    const min = this.minCount();
    const self = selfSelecting ? 1 : 0;
    const single = candidate.singleValue();
    if (single !== undefined) {
      if (this.key !== WellKnown.hostname && !this.eligible.has(single))
        return `${this.key}=${single} is not an eligible domain`;
      const count = this.count(single);
      return count + self - min <= this.maxSkew
        ? undefined
        : `${this.key}=${single} already has ${count} matching pods (minimum ${min})`;
    }
    let best: string | undefined;
    let bestCount = Number.POSITIVE_INFINITY;
    for (const domain of this.domains) {
      const count = this.count(domain);
      if (candidate.has(domain) && count + self - min <= this.maxSkew && count < bestCount)
        [best, bestCount] = [domain, count];
    }
    return best === undefined
      ? `no ${this.key} domain within maxSkew ${this.maxSkew}`
      : Requirement.single(this.key, best);
  }

  private affinity(
    candidate: Requirement,
    podDomains: Requirement | undefined,
    selfSelecting: boolean,
  ): DomainDecision {
    const single = candidate.singleValue();
    if (single !== undefined && allows(podDomains, single) && this.count(single) > 0)
      return undefined;
    let occupied = false;
    const allowed: string[] = [];
    for (const domain of this.counts.keys()) {
      if (!allows(podDomains, domain)) continue;
      occupied = true;
      if (single !== undefined) break;
      if (candidate.has(domain)) allowed.push(domain);
    }
    if (allowed.length > 0) return Requirement.anyOf(this.key, allowed);
    if (occupied) return `no matching pod runs in this node's ${this.key}`;
    if (!selfSelecting) return `no pod matching the selector is scheduled anywhere`;
    // The first pod of a self-affine group picks a domain for the rest. Groups start at different
    // domains (by a hash of their identity) so that independent groups do not all crowd into one.
    const choices = candidate.complement ? this.domains : [...candidate.values].sort();
    const start = choices.length > 0 ? this.options.bootstrapSeed % choices.length : 0;
    const rotated = [...choices.slice(start), ...choices.slice(0, start)];
    const first = rotated.find((domain) => candidate.has(domain) && allows(podDomains, domain));
    if (first === undefined) return `no ${this.key} domain is available`;
    return single === first ? undefined : Requirement.single(this.key, first);
  }

  private avoid(
    candidate: Requirement | undefined,
    occupied: ReadonlyMap<string, number>,
    what: string,
  ): DomainDecision {
    if (!candidate || occupied.size === 0) return undefined;
    const single = candidate.singleValue();
    if (single !== undefined)
      return occupied.has(single) ? `${this.key}=${single} already runs ${what}` : undefined;
    if (candidate.complement)
      return new Requirement(this.key, true, new Set(occupied.keys()), false);
    const free = [...candidate.values].filter((domain) => !occupied.has(domain));
    if (free.length === 0) return `every ${this.key} the node may use already runs ${what}`;
    return free.length === candidate.values.size ? undefined : Requirement.anyOf(this.key, free);
  }
}

function allows(requirement: Requirement | undefined, domain: string): boolean {
  return !requirement || requirement.has(domain);
}
