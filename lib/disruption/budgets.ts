import {
  goDurationMilliseconds,
  isConditionTrue,
  NodeClaimConditionTypes,
  type Budget,
  type DisruptionReason,
  type NodePool,
} from '../apis/index.ts';
import type { StateNode } from '../state/index.ts';
import { CronError, nextFiring, parseCron } from './cron.ts';
import { isBeingDisrupted } from './orchestration.ts';

/**
 * Whether a budget is in force at `now`: always without a schedule; with one, when the schedule
 * fired after `now - duration` and at or before `now`, as Karpenter asks robfig/cron for the
 * next firing after `now - duration`. A schedule that does not parse throws CronError.
 */
export function isBudgetActive(budget: Budget, now: number): boolean {
  if (budget.schedule === undefined && budget.duration === undefined) return true;
  const schedule = parseCron(budget.schedule ?? '');
  const windowMs = goDurationMilliseconds(budget.duration ?? '') ?? 0;
  return nextFiring(schedule, now - windowMs, now) !== undefined;
}

/**
 * How many of `numNodes` nodes the budget lets be disrupted at `now`: unbounded while inactive,
 * a percentage rounded up (as Kubernetes rounds a PodDisruptionBudget's maxUnavailable), and 0
 * for a schedule that does not parse, so a broken budget fails closed.
 */
export function budgetAllows(budget: Budget, numNodes: number, now: number): number {
  let active: boolean;
  try {
    active = isBudgetActive(budget, now);
  } catch (error) {
    if (error instanceof CronError) return 0;
    throw error;
  }
  if (!active) return Infinity;
  const percent = /^([0-9]+)%$/.exec(budget.nodes);
  if (percent) return Math.ceil((Number(percent[1]) * numNodes) / 100);
  return Number(budget.nodes);
}

/**
 * The NodePool's allowed disruptions for `reason`: the least any active budget that applies to
 * the reason allows (a budget without `reasons` applies to every reason).
 */
export function allowedDisruptions(
  nodePool: NodePool,
  numNodes: number,
  reason: DisruptionReason,
  now: number,
): number {
  return nodePool.spec.disruption.budgets
    .filter(({ reasons }) => reasons === undefined || reasons.includes(reason))
    .reduce((least, budget) => Math.min(least, budgetAllows(budget, numNodes, now)), Infinity);
}

function isNodeReady(node: StateNode['node']): boolean {
  const conditions = (node?.status?.['conditions'] ?? []) as readonly {
    type?: string;
    status?: string;
  }[];
  return conditions.some(({ type, status }) => type === 'Ready' && status === 'True');
}

/** A node its NodePool's budgets count: managed, initialized and whose instance is not terminating. */
function counts(stateNode: StateNode): boolean {
  const conditions = stateNode.nodeClaim?.status?.conditions;
  return (
    stateNode.nodePool !== undefined &&
    stateNode.node !== undefined &&
    isConditionTrue(conditions, NodeClaimConditionTypes.initialized) &&
    !isConditionTrue(conditions, NodeClaimConditionTypes.instanceTerminating)
  );
}

/**
 * Disruptions each NodePool may still start for `reason`: what its budgets allow over its
 * counted nodes, less those already being disrupted (deleting, tainted, or the candidate of a
 * command in progress) or NotReady, never below 0. A NodePool
 * without counted nodes still gets its entry.
 */
export function disruptionBudgetMapping(
  nodes: readonly StateNode[],
  nodePools: readonly NodePool[],
  reason: DisruptionReason,
  now: number,
): Map<string, number> {
  const total = new Map<string, number>();
  const disrupting = new Map<string, number>();
  for (const stateNode of nodes.filter(counts)) {
    const pool = stateNode.nodePool ?? '';
    total.set(pool, (total.get(pool) ?? 0) + 1);
    const disrupted = stateNode.nodeClaim !== undefined && isBeingDisrupted(stateNode.nodeClaim);
    if (stateNode.markedForDeletion || disrupted || !isNodeReady(stateNode.node))
      disrupting.set(pool, (disrupting.get(pool) ?? 0) + 1);
  }
  return new Map(
    nodePools.map((nodePool) => {
      const name = nodePool.metadata.name ?? '';
      const allowed = allowedDisruptions(nodePool, total.get(name) ?? 0, reason, now);
      return [name, Math.max(0, allowed - (disrupting.get(name) ?? 0))];
    }),
  );
}
