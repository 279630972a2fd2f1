import { z } from 'zod';
import { ObjectMetaSchema } from './core/object-meta.ts';
import { LabelKeySchema, LabelValueSchema } from './core/label.ts';
import { ConditionListSchema } from './condition.ts';
import { BudgetWindowSchema, DurationOrNeverSchema } from './duration.ts';
import { templateLabelRules } from './label-rules.ts';
import { KARPENTER_GROUP } from './labels.ts';
import { nodeClaimSpecMovedKeys, nodeClaimTemplateSpecShape } from './nodeclaim.ts';
import { ResourceListSchema } from './quantity-schema.ts';
import { apiVersionHints, movedKeys, renamedValues } from './v1beta1-hints.ts';
import { boundedRecord, withRules } from './validation-rule.ts';

export const NODEPOOL_API_VERSION = `${KARPENTER_GROUP}/v1`;

export const ConsolidationPolicies = ['WhenEmpty', 'WhenEmptyOrUnderutilized'] as const;
export type ConsolidationPolicy = (typeof ConsolidationPolicies)[number];

export const DisruptionReasons = ['Underutilized', 'Empty', 'Drifted'] as const;
export type DisruptionReason = (typeof DisruptionReasons)[number];

export const NodePoolConditionTypes = {
  validationSucceeded: 'ValidationSucceeded',
  nodeClassReady: 'NodeClassReady',
  nodeRegistrationHealthy: 'NodeRegistrationHealthy',
  ready: 'Ready',
} as const;

export const DEFAULT_CONSOLIDATE_AFTER = '0s';
export const DEFAULT_CONSOLIDATION_POLICY: ConsolidationPolicy = 'WhenEmptyOrUnderutilized';
export const DEFAULT_BUDGET_NODES = '10%';
export const MAX_BUDGETS = 50;
export const MAX_TEMPLATE_LABELS = 100;

/** A node count or a percentage of the NodePool's nodes. */
const BUDGET_NODES = /^((100|[0-9]{1,2})%|[0-9]+)$/;
/** A 5-field cron expression or a macro such as @daily; evaluated in UTC. */
const CRON =
  /^(@(annually|yearly|monthly|weekly|daily|midnight|hourly))|((.+)\s(.+)\s(.+)\s(.+)\s(.+))$/;

export const BudgetSchema = withRules(
  z.strictObject({
    nodes: z
      .string()
      .regex(BUDGET_NODES, 'must be a node count or a percentage such as "10%"')
      .default(DEFAULT_BUDGET_NODES),
    schedule: z
      .string()
      .regex(
        CRON,
        'must be a cron expression such as "0 9 * * mon-fri" or a macro such as "@daily"',
      )
      .optional(),
    duration: BudgetWindowSchema.optional(),
    reasons: z.array(z.enum(DisruptionReasons)).max(DisruptionReasons.length).optional(),
  }),
  [
    {
      cel: 'has(self.schedule) == has(self.duration)',
      message: "'schedule' must be set with 'duration'",
      path: ['duration'],
      holds: ({ schedule, duration }) => (schedule === undefined) === (duration === undefined),
    },
  ],
);
export type Budget = z.output<typeof BudgetSchema>;

export const DisruptionSchema = z.strictObject(
  {
    consolidationPolicy: z
      .enum(ConsolidationPolicies, {
        error: renamedValues({
          WhenUnderutilized:
            'WhenUnderutilized is the v1beta1 name: write WhenEmptyOrUnderutilized, with consolidateAfter (e.g. 0s) for how long a node must be underutilized first',
        }),
      })
      .default(DEFAULT_CONSOLIDATION_POLICY),
    consolidateAfter: DurationOrNeverSchema.default(DEFAULT_CONSOLIDATE_AFTER),
    budgets: z
      .array(BudgetSchema)
      .max(MAX_BUDGETS)
      .default([{ nodes: DEFAULT_BUDGET_NODES }]),
  },
  {
    error: movedKeys({
      expireAfter:
        'expireAfter is no longer under disruption in v1: move it to spec.template.spec.expireAfter',
    }),
  },
);
export type Disruption = z.output<typeof DisruptionSchema>;

export const NodeClaimTemplateSchema = z.strictObject({
  metadata: z
    .strictObject({
      labels: withRules(
        boundedRecord(LabelKeySchema, LabelValueSchema, MAX_TEMPLATE_LABELS),
        templateLabelRules,
      ).optional(),
      annotations: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
  spec: z.strictObject(nodeClaimTemplateSpecShape, { error: nodeClaimSpecMovedKeys }),
});
export type NodeClaimTemplate = z.output<typeof NodeClaimTemplateSchema>;

export const NodePoolSpecSchema = z.strictObject({
  template: NodeClaimTemplateSchema,
  disruption: DisruptionSchema.prefault({}),
  /** Caps the total capacity of the pool's nodes: cpu, memory, `nodes` or any resource. */
  limits: ResourceListSchema.optional(),
  /** Higher-weight pools are tried first; absent counts as 0. */
  weight: z.int().min(1).max(100).optional(),
});
export type NodePoolSpec = z.output<typeof NodePoolSpecSchema>;

export const NodePoolStatusSchema = z.object({
  /** Capacity of the pool's nodes and in-flight NodeClaims not being deleted, `nodes` included. */
  resources: ResourceListSchema.optional(),
  /** How many nodes and in-flight NodeClaims the pool has, not counting those being deleted. */
  nodes: z.int().min(0).optional(),
  nodeClassObservedGeneration: z.int().optional(),
  conditions: ConditionListSchema.optional(),
});
export type NodePoolStatus = z.output<typeof NodePoolStatusSchema>;

export const NodePoolSchema = z.object({
  apiVersion: z.literal(NODEPOOL_API_VERSION, { error: apiVersionHints(NODEPOOL_API_VERSION) }),
  kind: z.literal('NodePool'),
  metadata: ObjectMetaSchema,
  spec: NodePoolSpecSchema,
  status: NodePoolStatusSchema.optional(),
});
export type NodePool = z.output<typeof NodePoolSchema>;
