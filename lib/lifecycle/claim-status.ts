import { setCondition, type NodeClaim } from '../apis/index.ts';

/** `claim` with each condition of `types` True since `now` (a transition only where it was not True). */
export function withConditionsTrue(
  claim: NodeClaim,
  types: readonly string[],
  now: string,
): NodeClaim {
  const conditions = types.reduce(
    (kept, type) =>
      setCondition(kept, {
        type,
        status: 'True',
        reason: type,
        lastTransitionTime: now,
        observedGeneration: claim.metadata.generation,
      }),
    claim.status?.conditions,
  );
  return { ...claim, status: { ...claim.status, conditions } };
}
