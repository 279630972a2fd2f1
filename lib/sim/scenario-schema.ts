import { z } from 'zod';
import {
  Annotations,
  CapacityTypes,
  DaemonSetSchema,
  desiredPodCount,
  DurationSchema as AnyDurationSchema,
  durationMilliseconds,
  EC2NodeClassSchema,
  NodePoolSchema,
  WorkloadSchemas,
} from '../apis/index.ts';
import { applyMergePatch } from '../kube/merge-patch.ts';

/** Annotation on a Job (or its pod template) giving how long each of its pods runs before it succeeds. */
export const POD_DURATION_ANNOTATION = 'simulate.skyscale.dev/pod-duration';
export const DEFAULT_JOB_POD_DURATION = '10m';
export const DEFAULT_BOOT_DELAY = '45s';
export const DEFAULT_SETTLE = '15m';

/** Virtual time a scenario may span, and pods it may ask for: bounds on a simulation's memory and time. */
export const MAX_SCENARIO_HOURS = 7 * 24;
export const MAX_SCENARIO_PODS = 100_000;

/** A duration within the virtual time a scenario may span. */
const DurationSchema = AnyDurationSchema.refine(
  // A malformed duration is reported by the pattern alone.
  (duration) =>
    !AnyDurationSchema.safeParse(duration).success ||
    durationMilliseconds(duration) <= MAX_SCENARIO_HOURS * 3_600_000,
  `must be at most ${MAX_SCENARIO_HOURS}h (7 days of virtual time)`,
);

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
    const parsed = duration === undefined ? undefined : DurationSchema.safeParse(duration);
    if (parsed?.success === false) {
      context.addIssue({
        code: 'custom',
        path: ['metadata', 'annotations', POD_DURATION_ANNOTATION],
        message: parsed.error.issues[0]?.message ?? 'must be a duration',
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

/** A change to one of the scenario's NodePools or EC2NodeClasses, as `kubectl patch --type merge` makes it. */
export const ObjectPatchSchema = z.strictObject({
  name: NameSchema,
  /** A JSON merge patch: objects merge, anything else (lists too) replaces, `null` removes. */
  patch: z.record(z.string(), z.unknown()),
});
export type ObjectPatch = z.output<typeof ObjectPatchSchema>;

/** A do-not-disrupt value: `"true"`, or how long after the pod started it holds. */
const DoNotDisruptSchema = z
  .string()
  .refine(
    (value) => value === 'true' || AnyDurationSchema.safeParse(value).success,
    `${Annotations.doNotDisrupt} must be "true" or a duration such as "30m"`,
  );

export const AnnotatePodsSchema = z.strictObject({
  namespace: NameSchema.default('default'),
  /** The pods (running now) whose labels include all of these. */
  matchLabels: z
    .record(z.string().min(1), z.string())
    .refine((labels) => Object.keys(labels).length > 0, 'must name at least one label'),
  annotations: z
    .record(z.string().min(1), z.string())
    .refine(
      (annotations) => Object.keys(annotations).length > 0,
      'must set at least one annotation',
    )
    .superRefine((annotations, context) => {
      const value = annotations[Annotations.doNotDisrupt];
      const parsed = value === undefined ? undefined : DoNotDisruptSchema.safeParse(value);
      if (parsed?.success === false)
        context.addIssue({
          code: 'custom',
          path: [Annotations.doNotDisrupt],
          message: parsed.error.issues[0]?.message ?? 'is not valid',
        });
    }),
});
export type AnnotatePodsRequest = z.output<typeof AnnotatePodsSchema>;

const ACTIONS = [
  'apply',
  'delete',
  'interruptSpot',
  'unavailableOffering',
  'neverRegister',
  'deleteNodeClaim',
  'patchNodePool',
  'patchNodeClass',
  'annotatePods',
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
    patchNodePool: ObjectPatchSchema.optional(),
    patchNodeClass: ObjectPatchSchema.optional(),
    annotatePods: AnnotatePodsSchema.optional(),
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

const ScenarioShape = z.strictObject({
  name: NameSchema,
  description: z.string().optional(),
  settings: ScenarioSettingsSchema.prefault({}),
  nodePools: z.array(named(NodePoolSchema)).min(1),
  nodeClasses: z.array(named(EC2NodeClassSchema)).min(1),
  daemonSets: z.array(DaemonSetSchema).default([]),
  timeline: z.array(TimelineStepSchema).min(1),
});
type ScenarioInput = z.output<typeof ScenarioShape>;

/**
 * Each patch, applied in timeline order to the object as the steps before left it, must name an
 * object of the scenario, keep its name and leave it valid; errors point into the patch.
 */
function checkPatches(scenario: ScenarioInput, context: z.core.$RefinementCtx): void {
  const kinds = [
    { action: 'patchNodePool', kind: 'NodePool', list: 'nodePools', schema: NodePoolSchema },
    {
      action: 'patchNodeClass',
      kind: 'EC2NodeClass',
      list: 'nodeClasses',
      schema: EC2NodeClassSchema,
    },
  ] as const;
  for (const { action, kind, list, schema } of kinds) {
    const current = new Map<string, unknown>(
      scenario[list].map((object) => [object.metadata.name ?? '', object]),
    );
    const steps = scenario.timeline
      .map((step, index) => ({ step, index }))
      .sort((a, b) => durationMilliseconds(a.step.at) - durationMilliseconds(b.step.at));
    for (const { step, index } of steps) {
      const request = step[action];
      if (!request) continue;
      const at = ['timeline', index, action];
      const before = current.get(request.name);
      if (before === undefined) {
        context.addIssue({
          code: 'custom',
          path: [...at, 'name'],
          message: `no ${kind} "${request.name}" in ${list}`,
        });
        continue;
      }
      const patched = schema.safeParse(applyMergePatch(before, request.patch));
      if (!patched.success) {
        for (const issue of patched.error.issues)
          context.addIssue({
            code: 'custom',
            path: [...at, 'patch', ...issue.path],
            message: issue.message,
          });
        continue;
      }
      if (patched.data.metadata.name !== request.name) {
        context.addIssue({
          code: 'custom',
          path: [...at, 'patch', 'metadata', 'name'],
          message: 'may not rename the object',
        });
        continue;
      }
      current.set(request.name, patched.data);
    }
  }
}

export const ScenarioSchema = ScenarioShape.superRefine((scenario, context) => {
  const pods = scenario.timeline
    .flatMap((step) => step.apply ?? [])
    .reduce((total, workload) => total + desiredPodCount(workload), 0);
  if (pods > MAX_SCENARIO_PODS) {
    context.addIssue({
      code: 'custom',
      path: ['timeline'],
      message: `asks for ${pods} pods in all; a scenario may ask for at most ${MAX_SCENARIO_PODS}`,
    });
  }
  checkPatches(scenario, context);
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
