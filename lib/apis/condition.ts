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
