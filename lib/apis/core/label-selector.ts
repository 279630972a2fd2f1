import { z } from 'zod';

export const LabelSelectorRequirementSchema = z
  .looseObject({
    key: z.string().min(1),
    operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
    values: z.array(z.string()).optional(),
  })
  .superRefine((requirement, ctx) => {
    const needsValues = requirement.operator === 'In' || requirement.operator === 'NotIn';
    if (needsValues !== Boolean(requirement.values?.length)) {
      const message = needsValues
        ? 'operators In and NotIn need at least one value'
        : 'operators Exists and DoesNotExist take no values';
      ctx.addIssue({ code: 'custom', message, path: ['values'], input: requirement.values });
    }
  });
export type LabelSelectorRequirement = z.output<typeof LabelSelectorRequirementSchema>;

/** A Kubernetes label selector. An empty selector selects everything. */
export const LabelSelectorSchema = z.looseObject({
  matchLabels: z.record(z.string(), z.string()).optional(),
  matchExpressions: z.array(LabelSelectorRequirementSchema).optional(),
});
export type LabelSelector = z.output<typeof LabelSelectorSchema>;
