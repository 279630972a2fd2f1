import { z } from 'zod';
import {
  nodeSelectorOperatorRules,
  nodeSelectorRequirementShape,
  RequirementOperators,
} from './core/node-selector.ts';
import { requirementKeyRules } from './label-rules.ts';
import { withRules } from './validation-rule.ts';

export const MAX_REQUIREMENTS = 100;
export const MAX_MIN_VALUES = 50;

/** A NodePool/NodeClaim requirement: a node-selector requirement on a label users may set, plus minValues. */
export const RequirementSchema = withRules(
  z.strictObject({
    ...nodeSelectorRequirementShape,
    operator: z.enum(RequirementOperators),
    /** The least number of distinct values of this key the instance-type options must keep. */
    minValues: z.int().min(1).max(MAX_MIN_VALUES).optional(),
  }),
  [
    ...nodeSelectorOperatorRules,
    {
      cel: "!has(self.minValues) || self.operator != 'In' || (has(self.values) && size(self.values) >= self.minValues)",
      message:
        "requirements with 'minValues' must have at least that many values specified in the 'values' field",
      path: ['values'],
      holds: ({ operator, values, minValues }) =>
        minValues === undefined || operator !== 'In' || (values?.length ?? 0) >= minValues,
    },
    ...requirementKeyRules,
  ],
);
export type Requirement = z.output<typeof RequirementSchema>;

export const RequirementListSchema = z.array(RequirementSchema).max(MAX_REQUIREMENTS);
