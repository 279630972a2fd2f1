import {
  findCondition,
  isConditionTrue,
  NodeClaimConditionTypes,
  Taints,
  type Node,
  type NodeClaim,
} from '../apis/index.ts';

/**
 * Where a command in progress keeps its state, so any later run resumes it: the candidate claim
 * carries `DisruptionReason=True` (since when) and how many replacements it waits for; each
 * replacement claim names the candidates it replaces, written when it is created.
 */
export const DisruptionAnnotations = {
  /** On a candidate: the number of replacement NodeClaims its command launches. */
  replacementCount: 'skyscale.sh/disruption-replacements',
  /** On a replacement: the names of the candidate NodeClaims it replaces, comma-separated. */
  replaces: 'skyscale.sh/replaces',
} as const;

/** A replacement that has not initialized by then fails its command, which is rolled back. */
export const REPLACEMENT_TIMEOUT_MS = 10 * 60_000;

export type OrchestrationStep =
  /** Every replacement initialized (or there are none): delete the candidate. */
  | { readonly kind: 'delete'; readonly candidate: NodeClaim }
  /** Untaint the candidate, clear its DisruptionReason and delete its uninitialized replacements. */
  | {
      readonly kind: 'rollback';
      readonly candidate: NodeClaim;
      readonly replacements: readonly NodeClaim[];
      readonly reason: string;
    }
  | {
      readonly kind: 'wait';
      readonly candidate: NodeClaim;
      readonly replacements: readonly NodeClaim[];
    }
  /** A disrupted taint no command or deletion explains (a run died between taint and record). */
  | { readonly kind: 'untaint'; readonly node: Node };

export function isBeingDisrupted(claim: NodeClaim): boolean {
  return isConditionTrue(claim.status?.conditions, NodeClaimConditionTypes.disruptionReason);
}

function isInitialized(claim: NodeClaim): boolean {
  return isConditionTrue(claim.status?.conditions, NodeClaimConditionTypes.initialized);
}

export function replacedNames(claim: NodeClaim): string[] {
  const value = claim.metadata.annotations?.[DisruptionAnnotations.replaces];
  return value ? value.split(',') : [];
}

function hasDisruptedTaint(node: Node): boolean {
  return (node.spec?.taints ?? []).some(
    ({ key, effect }) => key === Taints.disrupted.key && effect === Taints.disrupted.effect,
  );
}

function candidateStep(
  candidate: NodeClaim,
  claims: readonly NodeClaim[],
  now: number,
): OrchestrationStep {
  const name = candidate.metadata.name ?? '';
  const expected = Number(
    candidate.metadata.annotations?.[DisruptionAnnotations.replacementCount] ?? 0,
  );
  const replacements = claims.filter(
    (claim) => !claim.metadata.deletionTimestamp && replacedNames(claim).includes(name),
  );
  const waiting = replacements.filter((claim) => !isInitialized(claim));
  if (replacements.length < expected)
    return {
      kind: 'rollback',
      candidate,
      replacements: waiting,
      reason: `${expected - replacements.length} of its ${expected} replacement(s) do not exist`,
    };
  if (waiting.length === 0) return { kind: 'delete', candidate };
  const since = Date.parse(
    findCondition(candidate.status?.conditions, NodeClaimConditionTypes.disruptionReason)
      ?.lastTransitionTime ?? '',
  );
  if (now - since >= REPLACEMENT_TIMEOUT_MS)
    return {
      kind: 'rollback',
      candidate,
      replacements: waiting,
      reason: `its replacement(s) did not initialize within ${REPLACEMENT_TIMEOUT_MS / 60_000} minutes`,
    };
  return { kind: 'wait', candidate, replacements: waiting };
}

/**
 * The next step of every command in progress, from the cluster alone: a candidate whose
 * replacements all initialized is deleted; one whose replacements are missing (the run that
 * started it died before launching them) or did not initialize within
 * {@link REPLACEMENT_TIMEOUT_MS} is rolled back; the rest wait. Disrupted taints on nodes that are
 * neither deleting nor candidates are removed.
 */
export function orchestrationSteps(
  claims: readonly NodeClaim[],
  nodes: readonly Node[],
  now: number,
): OrchestrationStep[] {
  const candidates = claims.filter(
    (claim) => !claim.metadata.deletionTimestamp && isBeingDisrupted(claim),
  );
  const steps = candidates.map((candidate) => candidateStep(candidate, claims, now));
  const explained = new Set(
    claims
      .filter((claim) => claim.metadata.deletionTimestamp !== undefined || isBeingDisrupted(claim))
      .flatMap((claim) => (claim.status?.providerID ? [claim.status.providerID] : [])),
  );
  for (const node of nodes) {
    if (node.metadata.deletionTimestamp || !hasDisruptedTaint(node)) continue;
    if (!explained.has(node.spec?.providerID ?? '')) steps.push({ kind: 'untaint', node });
  }
  return steps;
}
