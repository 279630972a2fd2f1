import { z } from 'zod';
import {
  CapacityTypes,
  DaemonSetSchema,
  DurationSchema,
  EC2NodeClassSchema,
  NodePoolSchema,
  WorkloadSchemas,
} from '../apis/index.ts';

/** Annotation on a Job (or its pod template) giving how long each of its pods runs before it succeeds. */
export const POD_DURATION_ANNOTATION = 'simulate.skyscale.dev/pod-duration';
export const DEFAULT_JOB_POD_DURATION = '10m';
export const DEFAULT_BOOT_DELAY = '45s';
export const DEFAULT_SETTLE = '15m';

const NameSchema = z.string().min(1, 'must not be empty');
const CountSchema = z.int().min(1);

function named<T extends z.ZodType<{ metadata: { name?: string | undefined } }>>(schema: T) {
  return schema.refine((object) => Boolean(object.metadata.name), {
    message: 'is required',
    path: ['metadata', 'name'],
  });
}

/** The workloads a timeline step can apply; re-applying one with other replicas scales it. */
export const AppliedWorkloadSchema = z
  .discriminatedUnion(
    'kind',
    [
      WorkloadSchemas.Deployment,
      WorkloadSchemas.StatefulSet,
      WorkloadSchemas.ReplicaSet,
      WorkloadSchemas.Job,
    ],
    { error: 'kind must be one of Deployment, StatefulSet, ReplicaSet or Job' },
  )
  .superRefine((workload, context) => {
    const duration = workload.metadata.annotations?.[POD_DURATION_ANNOTATION];
    if (duration !== undefined && !DurationSchema.safeParse(duration).success) {
      context.addIssue({
        code: 'custom',
        path: ['metadata', 'annotations', POD_DURATION_ANNOTATION],
        message: 'must be a duration such as "30s", "10m" or "1h30m"',
      });
    }
  });
export type AppliedWorkload = z.output<typeof AppliedWorkloadSchema>;

export const DeletableKinds = ['Deployment', 'StatefulSet', 'ReplicaSet', 'Job'] as const;

export const ObjectReferenceSchema = z.strictObject({
  kind: z.enum(DeletableKinds),
  name: NameSchema,
  namespace: NameSchema.default('default'),
});
export type ObjectReference = z.output<typeof ObjectReferenceSchema>;

export const SpotInterruptionSchema = z.strictObject({
  /** How many running spot instances get the two-minute warning, oldest first. */
  count: CountSchema.default(1),
  nodePool: NameSchema.optional(),
  instanceType: NameSchema.optional(),
});
export type SpotInterruption = z.output<typeof SpotInterruptionSchema>;

export const UnavailableOfferingSchema = z.strictObject({
  instanceType: NameSchema,
  /** Absent: every zone. */
  zone: NameSchema.optional(),
  /** Absent: spot and on-demand. */
  capacityType: z.enum(CapacityTypes).optional(),
  /** How long launches of it fail with InsufficientInstanceCapacity; absent: until the end. */
  for: DurationSchema.optional(),
});
export type UnavailableOffering = z.output<typeof UnavailableOfferingSchema>;

export const NeverRegisterSchema = z.strictObject({
  /** The next `count` instances launched boot but never join the cluster. */
  count: CountSchema.default(1),
});

export const DeleteNodeClaimSchema = z.strictObject({
  /** How many NodeClaims to delete, oldest first, as `kubectl delete nodeclaim` would. */
  count: CountSchema.default(1),
  /** Absent: any NodePool. */
  nodePool: NameSchema.optional(),
});
export type DeleteNodeClaimRequest = z.output<typeof DeleteNodeClaimSchema>;

const ACTIONS = [
  'apply',
  'delete',
  'interruptSpot',
  'unavailableOffering',
  'neverRegister',
  'deleteNodeClaim',
  'advance',
] as const;

export const TimelineStepSchema = z
  .strictObject({
    /** Offset from the start of the simulation. */
    at: DurationSchema,
    apply: z.array(AppliedWorkloadSchema).min(1).optional(),
    delete: z.array(ObjectReferenceSchema).min(1).optional(),
    interruptSpot: SpotInterruptionSchema.optional(),
    unavailableOffering: UnavailableOfferingSchema.optional(),
    neverRegister: NeverRegisterSchema.optional(),
    deleteNodeClaim: DeleteNodeClaimSchema.optional(),
    /** Nothing happens; the simulation runs at least this long past `at`. */
    advance: DurationSchema.optional(),
  })
  .superRefine((step, context) => {
    const actions = ACTIONS.filter((action) => step[action] !== undefined);
    if (actions.length !== 1) {
      context.addIssue({
        code: 'custom',
        path: [],
        message: `a step needs exactly one of ${ACTIONS.join(', ')} (found ${actions.length === 0 ? 'none' : actions.join(', ')})`,
      });
    }
  });
export type TimelineStep = z.output<typeof TimelineStepSchema>;

export const ScenarioSettingsSchema = z.strictObject({
  /** EC2 region of the embedded catalog. */
  region: NameSchema.default('us-east-1'),
  /** From launch until the node is Ready; it registers shortly before, not Ready and with its boot taints. */
  bootDelay: DurationSchema.default(DEFAULT_BOOT_DELAY),
  /** The simulated span; absent: the last step (plus its `advance`) and then `settle`. */
  duration: DurationSchema.optional(),
  settle: DurationSchema.default(DEFAULT_SETTLE),
});
export type ScenarioSettings = z.output<typeof ScenarioSettingsSchema>;

export const ScenarioSchema = z
  .strictObject({
    name: NameSchema,
    description: z.string().optional(),
    settings: ScenarioSettingsSchema.prefault({}),
    nodePools: z.array(named(NodePoolSchema)).min(1),
    nodeClasses: z.array(named(EC2NodeClassSchema)).min(1),
    daemonSets: z.array(DaemonSetSchema).default([]),
    timeline: z.array(TimelineStepSchema).min(1),
  })
  .superRefine((scenario, context) => {
    const classes = new Set(scenario.nodeClasses.map((nodeClass) => nodeClass.metadata.name));
    scenario.nodePools.forEach((nodePool, index) => {
      const ref = nodePool.spec.template.spec.nodeClassRef;
      if (ref.kind === 'EC2NodeClass' && !classes.has(ref.name)) {
        context.addIssue({
          code: 'custom',
          path: ['nodePools', index, 'spec', 'template', 'spec', 'nodeClassRef', 'name'],
          message: `no EC2NodeClass "${ref.name}" in nodeClasses`,
        });
      }
    });
  });
export type Scenario = z.output<typeof ScenarioSchema>;
