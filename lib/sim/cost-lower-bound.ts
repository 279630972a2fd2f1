import type { PodSpec, Taint } from '../apis/index.ts';
import type { Resources } from '../apis/quantity.ts';
import { podSpecRunsOn, type Requirements } from '../scheduling/index.ts';

/** A node a NodePool may launch: one available offering of one instance type. */
export interface NodeOffer {
  readonly nodePool: string;
  readonly instanceType: string;
  readonly zone: string;
  readonly capacityType: string;
  /** USD per hour. */
  readonly price: number;
  /** What such a node leaves workload pods: allocatable less the DaemonSet pods that run on it. */
  readonly room: Resources;
  /** The node's requirements (the NodePool's, narrowed to the offering) and taints, which pods must accept. */
  readonly requirements: Requirements;
  readonly taints: readonly Taint[];
}

/** What a running pod asks of a node, and where it may run. */
export interface PodDemand {
  readonly requests: Resources;
  readonly spec: Pick<PodSpec, 'nodeSelector' | 'affinity' | 'tolerations'>;
}

function fits(requests: Resources, room: Resources): boolean {
  for (const [name, value] of Object.entries(requests))
    if (value > 0 && value > (room[name] ?? 0)) return false;
  return true;
}

/**
 * What a pod adds to the lower bound, per resource: its request of the resource at the cheapest
 * price per unit of it among the offers it may run on (it tolerates their taints, its node
 * requirements allow them) and fits on. A pod no offer takes adds nothing.
 */
export function podBoundShare(pod: PodDemand, offers: readonly NodeOffer[]): Resources {
  const perUnit: Record<string, number> = {};
  for (const offer of offers) {
    if (!fits(pod.requests, offer.room)) continue;
    if (!podSpecRunsOn(pod.spec, offer.requirements, offer.taints, true)) continue;
    for (const name of Object.keys(pod.requests)) {
      const unitPrice = offer.price / (offer.room[name] ?? 0);
      if (unitPrice < (perUnit[name] ?? Infinity)) perUnit[name] = unitPrice;
    }
  }
  const share: Record<string, number> = {};
  for (const [name, value] of Object.entries(pod.requests))
    if (perUnit[name] !== undefined) share[name] = value * perUnit[name];
  return share;
}

/** The bound of pods whose {@link podBoundShare}s add up to `shares`: the largest resource's sum. */
export function boundOfShares(shares: Resources): number {
  return Math.max(0, ...Object.values(shares));
}

/**
 * A lower bound, in USD per hour, on any fleet of the offers that runs these pods together.
 *
 * Why it is one: take any such fleet. A node of offer `o` runs pods whose requests of any
 * resource `r` add up to at most `o.room[r]`, and each of them may run on `o`; so its price
 * `o.price ≥ Σ request[r] × o.price / o.room[r] ≥ Σ request[r] × u(pod, r)`, where `u(pod, r)`
 * is the cheapest price per unit of `r` among the offers the pod may use ({@link podBoundShare}).
 * Summed over the nodes, the fleet costs at least `Σ_pods request[r] × u(pod, r)` for every
 * resource, hence at least the largest of these sums: the binding resource, each pod's share
 * bought at its cheapest unit price. It is the LP relaxation's bound with nodes bought in
 * fractions and each resource priced on its own; whole nodes, the other resources, pod
 * (anti-)affinity and topology spread, NodePool limits and capacity shortages can only raise
 * what a real fleet costs.
 */
export function fleetLowerBound(pods: readonly PodDemand[], offers: readonly NodeOffer[]): number {
  const shares: Record<string, number> = {};
  for (const pod of pods)
    for (const [name, value] of Object.entries(podBoundShare(pod, offers)))
      shares[name] = (shares[name] ?? 0) + value;
  return boundOfShares(shares);
}

/** A running pod's demand and its life; times are milliseconds since the start. */
export interface PodLife extends PodDemand {
  readonly boundAt?: number;
  readonly endedAt?: number;
}

/** The lower bound from one moment on, until the next step. */
export interface BoundStep {
  /** Milliseconds since the start. */
  readonly at: number;
  readonly usdPerHour: number;
}

/** The {@link fleetLowerBound} of the pods running at each moment of a run, and its integral. */
export interface CostLowerBound {
  /** From the first pod bound on, one step at each moment the running pods change. */
  readonly steps: readonly BoundStep[];
  /** The steps integrated over the run, in USD. */
  readonly totalUSD: number;
  /** The bound at the end of the run, USD per hour. */
  readonly endPerHourUSD: number;
}

function shapeKey({ requests, spec }: PodDemand): string {
  return JSON.stringify([
    requests,
    spec.nodeSelector,
    spec.affinity?.nodeAffinity,
    spec.tolerations,
  ]);
}

/**
 * The bound over a run of `durationMs`: pods count from binding until they end. Each pod's
 * share is computed once per distinct shape (requests and placement), and the running sums are
 * kept per resource, so the bound at every moment costs one addition per resource.
 */
export function costLowerBound(
  pods: readonly PodLife[],
  offers: readonly NodeOffer[],
  durationMs: number,
): CostLowerBound {
  const sharesByShape = new Map<string, Resources>();
  const changes: { at: number; share: Resources; sign: 1 | -1 }[] = [];
  for (const pod of pods) {
    if (pod.boundAt === undefined) continue;
    const key = shapeKey(pod);
    let share = sharesByShape.get(key);
    if (!share) sharesByShape.set(key, (share = podBoundShare(pod, offers)));
    changes.push({ at: pod.boundAt, share, sign: 1 });
    if (pod.endedAt !== undefined) changes.push({ at: pod.endedAt, share, sign: -1 });
  }
  changes.sort((a, b) => a.at - b.at);
  let sums: Record<string, number> = {};
  let running = 0;
  const steps: BoundStep[] = [];
  let totalUSD = 0;
  for (let index = 0; index < changes.length;) {
    const at = changes[index]?.at ?? 0;
    for (; index < changes.length && changes[index]?.at === at; index++) {
      const { share, sign } = changes[index] ?? { share: {}, sign: 1 };
      running += sign;
      for (const [name, value] of Object.entries(share))
        sums[name] = (sums[name] ?? 0) + sign * value;
    }
    // Without pods the bound is exactly 0, not what rounding left of the sums.
    if (running === 0) sums = {};
    const previous = steps.at(-1);
    if (previous)
      totalUSD += (previous.usdPerHour * (Math.min(at, durationMs) - previous.at)) / 3_600_000;
    steps.push({ at, usdPerHour: boundOfShares(sums) });
  }
  const last = steps.at(-1);
  if (last) totalUSD += (last.usdPerHour * Math.max(0, durationMs - last.at)) / 3_600_000;
  return { steps, totalUSD, endPerHourUSD: last?.usdPerHour ?? 0 };
}

/** USD the bound has accrued by each of `times` (ascending milliseconds since the start). */
export function boundSpentAt(bound: CostLowerBound, times: readonly number[]): number[] {
  let spentBefore = 0;
  let step = 0;
  const { steps } = bound;
  return times.map((at) => {
    for (; step + 1 < steps.length && (steps[step + 1]?.at ?? 0) <= at; step++) {
      const current = steps[step] ?? { at: 0, usdPerHour: 0 };
      spentBefore += (current.usdPerHour * ((steps[step + 1]?.at ?? 0) - current.at)) / 3_600_000;
    }
    const current = steps[step];
    if (!current || current.at > at) return spentBefore;
    return spentBefore + (current.usdPerHour * (at - current.at)) / 3_600_000;
  });
}
