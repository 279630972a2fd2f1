import { z } from 'zod';
import { LabelSelectorSchema } from './label-selector.ts';
import { ObjectMetaSchema } from './object-meta.ts';

/** An absolute count or a percentage such as "25%", as policy/v1 takes for minAvailable and maxUnavailable. */
export const IntOrPercentSchema = z.union([
  z.int().min(0),
  z.string().regex(/^[0-9]+%$/, 'must be an integer or a percentage such as "25%"'),
]);

/** A policy/v1 PodDisruptionBudget; unknown fields pass through. */
export const PodDisruptionBudgetSchema = z.looseObject({
  apiVersion: z.literal('policy/v1').optional(),
  kind: z.literal('PodDisruptionBudget').optional(),
  metadata: ObjectMetaSchema.extend({ name: z.string().min(1) }),
  spec: z.looseObject({
    minAvailable: IntOrPercentSchema.optional(),
    maxUnavailable: IntOrPercentSchema.optional(),
    /** Absent selects no pods; empty selects every pod in the namespace. */
    selector: LabelSelectorSchema.optional(),
    unhealthyPodEvictionPolicy: z.enum(['IfHealthyBudget', 'AlwaysAllow']).optional(),
  }),
  status: z
    .looseObject({
      observedGeneration: z.int().optional(),
      disruptionsAllowed: z.int().min(0),
      currentHealthy: z.int().min(0),
      desiredHealthy: z.int().min(0),
      expectedPods: z.int().min(0),
    })
    .optional(),
});
export type PodDisruptionBudget = z.output<typeof PodDisruptionBudgetSchema>;
