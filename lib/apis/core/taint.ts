import { z } from 'zod';
import { LabelKeySchema, LabelValueSchema } from './label.ts';
import { withRules } from '../validation-rule.ts';

export const TaintEffects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;
export type TaintEffect = (typeof TaintEffects)[number];

export const TaintSchema = z.strictObject({
  key: LabelKeySchema,
  value: LabelValueSchema.optional(),
  effect: z.enum(TaintEffects),
  timeAdded: z.iso.datetime({ offset: true }).optional(),
});
export type Taint = z.output<typeof TaintSchema>;

export const TolerationOperators = ['Exists', 'Equal'] as const;
export type TolerationOperator = (typeof TolerationOperators)[number];

export const TolerationSchema = withRules(
  z.strictObject({
    key: z.string().optional(),
    /** Defaults to Equal, as in Kubernetes. */
    operator: z.enum(TolerationOperators).optional(),
    value: z.string().optional(),
    /** Absent or empty matches every effect. */
    effect: z.enum([...TaintEffects, '']).optional(),
    tolerationSeconds: z.int().optional(),
  }),
  [
    {
      cel: "!has(self.operator) || self.operator != 'Exists' || !has(self.value) || self.value == ''",
      message: 'a toleration with operator Exists must not have a value',
      path: ['value'],
      holds: (toleration) => toleration.operator !== 'Exists' || !toleration.value,
    },
    {
      cel: "(has(self.key) && self.key != '') || (has(self.operator) && self.operator == 'Exists')",
      message: 'a toleration with an empty key must use operator Exists',
      path: ['operator'],
      holds: (toleration) => Boolean(toleration.key) || toleration.operator === 'Exists',
    },
  ],
);
export type Toleration = z.output<typeof TolerationSchema>;
