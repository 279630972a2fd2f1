import { type Taint, formatResources } from '../../apis/index.ts';
import {
  type NodeRequirement,
  type PlannedNodeClaim,
  type SchedulingResult,
  podKey,
} from '../../scheduling/index.ts';

/** `skyscale plan -o json`: other tools read this shape, so it changes only with the contract. */
export interface PlanReport {
  readonly nodeClaims: readonly PlannedNodeClaimReport[];
  readonly existingNodes: readonly { readonly name: string; readonly pods: readonly string[] }[];
  readonly unschedulable: readonly { readonly pod: string; readonly reason: string }[];
  readonly timedOut: boolean;
  readonly stats: {
    readonly durationMs: number;
    readonly pods: number;
    readonly instanceTypes: number;
  };
}

export interface PlannedNodeClaimReport {
  readonly nodePool: string;
  /** Cheapest first. */
  readonly instanceTypes: readonly string[];
  readonly capacityTypes: readonly string[];
  readonly zones: readonly string[];
  readonly requirements: readonly {
    readonly key: string;
    readonly operator: string;
    readonly values: readonly string[];
  }[];
  readonly taints: readonly Taint[];
  readonly pods: readonly string[];
  readonly requests: Readonly<Record<string, string>>;
  readonly priceUSDPerHour: number;
  /** The capacity type `priceUSDPerHour` is the price of (the cheapest option's cheapest offering). */
  readonly priceCapacityType: string;
}

export interface PlanStats {
  readonly durationMs: number;
  readonly pendingPods: number;
  readonly instanceTypes: number;
}

export const NOT_ATTEMPTED_REASON =
  'not attempted: the scheduling deadline expired first; it is retried in the next run';

function requirementReport({ key, operator, values }: NodeRequirement) {
  return { key, operator, values: values ?? [] };
}

/** The capacity type of the claim's cheapest offering: what its price is the price of. */
function priceCapacityType(claim: PlannedNodeClaim): string {
  const cheapest = claim.instanceTypes[0];
  const offering = cheapest?.instanceType.offerings.find(
    ({ price, zone, capacityType }) =>
      price === cheapest.priceUSDPerHour &&
      claim.zones.includes(zone) &&
      claim.capacityTypes.includes(capacityType),
  );
  return offering?.capacityType ?? claim.capacityTypes[0] ?? 'on-demand';
}

/** The scheduler's result in the contract's terms: names instead of objects, quantities as strings. */
export function planReport(result: SchedulingResult, stats: PlanStats): PlanReport {
  return {
    nodeClaims: result.newNodeClaims.map((claim) => ({
      nodePool: claim.nodePool,
      instanceTypes: claim.instanceTypes.map((option) => option.instanceType.name),
      capacityTypes: claim.capacityTypes,
      zones: claim.zones,
      requirements: claim.requirements.map(requirementReport),
      taints: claim.taints,
      pods: claim.pods.map(podKey),
      requests: formatResources(claim.requests),
      priceUSDPerHour: claim.priceUSDPerHour,
      priceCapacityType: priceCapacityType(claim),
    })),
    existingNodes: result.existingNodes.map((node) => ({
      name: node.name,
      pods: node.pods.map(podKey),
    })),
    unschedulable: [
      ...result.unschedulable.map(({ pod, reason }) => ({ pod: podKey(pod), reason })),
      ...result.notAttempted.map((pod) => ({ pod: podKey(pod), reason: NOT_ATTEMPTED_REASON })),
    ],
    timedOut: result.timedOut,
    stats: {
      durationMs: Math.round(stats.durationMs * 10) / 10,
      pods: stats.pendingPods,
      instanceTypes: stats.instanceTypes,
    },
  };
}
