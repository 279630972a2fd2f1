import { z } from 'zod';
import { LABEL_VALUE_MAX_LENGTH, LabelKeySchema } from './label.ts';
import { withRules, type ValidationRule } from '../validation-rule.ts';

export const NodeSelectorOperators = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'] as const;
export type NodeSelectorOperator = (typeof NodeSelectorOperators)[number];

/** Karpenter's requirements also take the inclusive comparisons Gte and Lte (pods cannot use them). */
export const RequirementOperators = [...NodeSelectorOperators, 'Gte', 'Lte'] as const;
export type RequirementOperator = (typeof RequirementOperators)[number];

/** The comparisons, which take a single non-negative integer, as Karpenter requires. */
const COMPARISONS: readonly string[] = ['Gt', 'Lt', 'Gte', 'Lte'];
const INTEGER = /^[0-9]+$/;

/** Fields shared by a plain requirement and Karpenter's requirement with minValues. */
export const nodeSelectorRequirementShape = {
  key: LabelKeySchema,
  operator: z.enum(NodeSelectorOperators),
  values: z.array(z.string().max(LABEL_VALUE_MAX_LENGTH)).optional(),
};

interface RequirementLike {
  readonly operator: RequirementOperator;
  readonly values?: readonly string[] | undefined;
}

/** The operator/values rules every node-selector requirement obeys. */
export const nodeSelectorOperatorRules: readonly ValidationRule<RequirementLike>[] = [
  {
    cel: "!(self.operator in ['Exists', 'DoesNotExist']) || !has(self.values) || size(self.values) == 0",
    message: 'operators Exists and DoesNotExist take no values',
    path: ['values'],
    holds: ({ operator, values }) =>
      !(operator === 'Exists' || operator === 'DoesNotExist') || !values?.length,
  },
  {
    cel: "self.operator != 'In' || (has(self.values) && size(self.values) > 0)",
    message: 'operator In needs at least one value',
    path: ['values'],
    holds: ({ operator, values }) => operator !== 'In' || Boolean(values?.length),
  },
  {
    cel: "!(self.operator in ['Gt', 'Lt', 'Gte', 'Lte']) || (has(self.values) && size(self.values) == 1 && self.values[0].matches('^[0-9]+$'))",
    message: 'operators Gt, Lt, Gte and Lte take exactly one non-negative integer value',
    path: ['values'],
    holds: ({ operator, values }) =>
      !COMPARISONS.includes(operator) || (values?.length === 1 && INTEGER.test(values[0] ?? '')),
  },
];

export const NodeSelectorRequirementSchema = withRules(
  z.strictObject(nodeSelectorRequirementShape),
  nodeSelectorOperatorRules,
);
export type NodeSelectorRequirement = z.output<typeof NodeSelectorRequirementSchema>;

/** A node selector term: requirements on labels (matchExpressions) or fields (matchFields), ANDed. */
export const NodeSelectorTermSchema = z.strictObject({
  matchExpressions: z.array(NodeSelectorRequirementSchema).optional(),
  matchFields: z.array(NodeSelectorRequirementSchema).optional(),
});
export type NodeSelectorTerm = z.output<typeof NodeSelectorTermSchema>;
