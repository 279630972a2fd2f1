import { z } from 'zod';

export const ConditionStatuses = ['True', 'False', 'Unknown'] as const;
export type ConditionStatus = (typeof ConditionStatuses)[number];

/** A status condition, shaped like Kubernetes' metav1.Condition. */
export const ConditionSchema = z.object({
  type: z.string().min(1).max(316),
  status: z.enum(ConditionStatuses),
  reason: z.string().min(1).max(1024),
  message: z.string().max(32768).optional(),
  lastTransitionTime: z.iso.datetime({ offset: true }),
  observedGeneration: z.int().nonnegative().optional(),
});
export type Condition = z.output<typeof ConditionSchema>;

export const ConditionListSchema = z.array(ConditionSchema).max(64);

export function findCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition | undefined {
  return conditions?.find((condition) => condition.type === type);
}

export function isConditionTrue(
  conditions: readonly Condition[] | undefined,
  type: string,
): boolean {
  return findCondition(conditions, type)?.status === 'True';
}

/**
 * The list with `condition` in place of any condition of its type. As Kubernetes' meta.SetStatusCondition
 * does, `lastTransitionTime` only moves when the status changes.
 */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  condition: Condition,
): Condition[] {
  const previous = findCondition(conditions, condition.type);
  const kept =
    previous?.status === condition.status
      ? { ...condition, lastTransitionTime: previous.lastTransitionTime }
      : condition;
  return [...(conditions ?? []).filter(({ type }) => type !== condition.type), kept];
}
