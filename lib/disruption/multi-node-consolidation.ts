import { Labels } from '../apis/index.ts';
import type { Candidate } from './candidates.ts';
import { withOptions } from './cheaper-replacement.ts';
import {
  withinBudget,
  type Command,
  type DisruptionMethod,
  type MethodContext,
} from './command.ts';
import {
  candidatePrice,
  computeConsolidation,
  consolidationCandidate,
  recomputeConsolidation,
} from './consolidation.ts';
import { byDisruptionCost } from './disruption-cost.ts';

/** Karpenter's hard cap on one multi-node pass; the run's own deadline may come sooner. */
export const MULTI_NODE_CONSOLIDATION_TIMEOUT_MS = 60_000;
/** The most candidates one multi-node command considers. */
export const MAX_MULTI_NODE_CANDIDATES = 100;

/**
 * The replace command without options of a type some candidate already is, unless cheaper than
 * the cheapest such candidate: replacing several nodes by one more of the same type is a delete
 * the simulation did not find. Undefined when no option is left.
 */
function withoutSameType(command: Command, context: MethodContext): Command | undefined {
  const [replacement] = command.replacements;
  if (!replacement) return command;
  const cheapest = new Map<string, number>();
  for (const candidate of command.candidates) {
    const type = candidate.node.metadata.labels?.[Labels.instanceType] ?? '';
    const price = candidatePrice(
      candidate,
      context.instanceTypes(candidate.nodePool.metadata.name ?? ''),
    );
    if (price !== undefined) cheapest.set(type, Math.min(cheapest.get(type) ?? Infinity, price));
  }
  const options = replacement.instanceTypes.filter(
    ({ instanceType, priceUSDPerHour }) =>
      priceUSDPerHour < (cheapest.get(instanceType.name) ?? Infinity),
  );
  if (options.length === 0) return undefined;
  return {
    ...command,
    replacements: [withOptions(replacement, options, replacement.capacityTypes)],
  };
}

/**
 * The largest prefix of `candidates` (at least two) that can go with at most one replacement,
 * found by binary search as Karpenter does. Every path stops at `deadline`, including a
 * simulation cut short by it, and then answers with the best command found so far.
 */
export function firstNConsolidation(
  candidates: readonly Candidate[],
  context: MethodContext,
  deadline: number,
): Command | undefined {
  let best: Command | undefined;
  let low = 1;
  let high = candidates.length - 1;
  while (low <= high) {
    if (context.now() >= deadline) break;
    const middle = Math.floor((low + high) / 2);
    const outcome = computeConsolidation(candidates.slice(0, middle + 1), context, deadline);
    if (outcome.kind === 'timed-out') break;
    const command =
      outcome.kind === 'command' ? withoutSameType(outcome.command, context) : undefined;
    if (command) {
      best = command;
      low = middle + 1;
    } else high = middle - 1;
  }
  return best;
}

/**
 * Multi-node consolidation, as Karpenter's: the candidates cheapest to disrupt first, as many as
 * each NodePool's Underutilized budget allows and at most {@link MAX_MULTI_NODE_CANDIDATES};
 * the largest prefix removable with at most one cheaper replacement is the command, searched
 * for at most {@link MULTI_NODE_CONSOLIDATION_TIMEOUT_MS}.
 */
export const multiNodeConsolidationMethod: DisruptionMethod = {
  reason: 'Underutilized',
  disruptionClass: 'graceful',
  validated: true,
  computeCommand(context: MethodContext): Command | undefined {
    const deadline = context.now() + MULTI_NODE_CONSOLIDATION_TIMEOUT_MS;
    const ordered = byDisruptionCost(
      context.candidates.filter(consolidationCandidate),
      context.now(),
    );
    const taken = withinBudget(ordered, context.budgets('Underutilized')).slice(
      0,
      MAX_MULTI_NODE_CANDIDATES,
    );
    if (taken.length < 2) return undefined;
    return firstNConsolidation(taken, context, deadline);
  },
  recompute: recomputeConsolidation,
};
