import { z } from 'zod';
import { LabelSelectorSchema } from './label-selector.ts';
import { NodeSelectorTermSchema } from './node-selector.ts';
import { ObjectMetaSchema } from './object-meta.ts';
import { TolerationSchema } from './taint.ts';
import { ResourceListSchema } from '../quantity-schema.ts';

/**
 * The parts of a Pod the scheduler reads. Objects are loose (unknown fields pass through, as the
 * apiserver adds many) but every field the scheduler uses is checked.
 */

export const ContainerPortSchema = z.looseObject({
  containerPort: z.int().min(1).max(65535),
  /** 0 or absent: the port is not exposed on the host. */
  hostPort: z.int().min(0).max(65535).optional(),
  hostIP: z.string().optional(),
  protocol: z.enum(['TCP', 'UDP', 'SCTP']).optional(),
});
export type ContainerPort = z.output<typeof ContainerPortSchema>;

export const ResourceRequirementsSchema = z.looseObject({
  requests: ResourceListSchema.optional(),
  limits: ResourceListSchema.optional(),
});

export const ContainerSchema = z.looseObject({
  name: z.string().min(1),
  resources: ResourceRequirementsSchema.optional(),
  ports: z.array(ContainerPortSchema).optional(),
  /** Only on init containers: `Always` makes it a sidecar that runs beside the app containers. */
  restartPolicy: z.literal('Always').optional(),
});
export type Container = z.output<typeof ContainerSchema>;

export const PodAffinityTermSchema = z.looseObject({
  labelSelector: LabelSelectorSchema.optional(),
  /** Absent or empty: the pod's own namespace (unless namespaceSelector is given). */
  namespaces: z.array(z.string()).optional(),
  /** Only the empty selector (all namespaces) can be evaluated without Namespace objects. */
  namespaceSelector: LabelSelectorSchema.optional(),
  topologyKey: z.string().min(1),
  matchLabelKeys: z.array(z.string()).optional(),
});
export type PodAffinityTerm = z.output<typeof PodAffinityTermSchema>;

export const WeightedPodAffinityTermSchema = z.looseObject({
  weight: z.int().min(1).max(100),
  podAffinityTerm: PodAffinityTermSchema,
});
export type WeightedPodAffinityTerm = z.output<typeof WeightedPodAffinityTermSchema>;

export const PodAffinitySchema = z.looseObject({
  requiredDuringSchedulingIgnoredDuringExecution: z.array(PodAffinityTermSchema).optional(),
  preferredDuringSchedulingIgnoredDuringExecution: z
    .array(WeightedPodAffinityTermSchema)
    .optional(),
});

export const PreferredSchedulingTermSchema = z.looseObject({
  weight: z.int().min(1).max(100),
  preference: NodeSelectorTermSchema,
});
export type PreferredSchedulingTerm = z.output<typeof PreferredSchedulingTermSchema>;

export const NodeAffinitySchema = z.looseObject({
  requiredDuringSchedulingIgnoredDuringExecution: z
    .looseObject({ nodeSelectorTerms: z.array(NodeSelectorTermSchema).min(1) })
    .optional(),
  preferredDuringSchedulingIgnoredDuringExecution: z
    .array(PreferredSchedulingTermSchema)
    .optional(),
});

export const AffinitySchema = z.looseObject({
  nodeAffinity: NodeAffinitySchema.optional(),
  podAffinity: PodAffinitySchema.optional(),
  podAntiAffinity: PodAffinitySchema.optional(),
});
export type Affinity = z.output<typeof AffinitySchema>;

export const TopologySpreadConstraintSchema = z.looseObject({
  maxSkew: z.int().min(1),
  topologyKey: z.string().min(1),
  whenUnsatisfiable: z.enum(['DoNotSchedule', 'ScheduleAnyway']),
  labelSelector: LabelSelectorSchema.optional(),
  minDomains: z.int().min(1).optional(),
  /** Default Honor: only nodes matching the pod's node affinity and nodeSelector count. */
  nodeAffinityPolicy: z.enum(['Honor', 'Ignore']).optional(),
  /** Default Ignore: nodes count whatever their taints. */
  nodeTaintsPolicy: z.enum(['Honor', 'Ignore']).optional(),
  matchLabelKeys: z.array(z.string()).optional(),
});
export type TopologySpreadConstraint = z.output<typeof TopologySpreadConstraintSchema>;

/** The volume kinds scheduling reads: a claim, or an ephemeral volume whose claim the pod creates. */
export const VolumeSchema = z.looseObject({
  name: z.string().min(1),
  persistentVolumeClaim: z.looseObject({ claimName: z.string().min(1) }).optional(),
  ephemeral: z
    .looseObject({
      volumeClaimTemplate: z
        .looseObject({
          spec: z.looseObject({ storageClassName: z.string().optional() }),
        })
        .optional(),
    })
    .optional(),
});
export type Volume = z.output<typeof VolumeSchema>;

export const PodSpecSchema = z.looseObject({
  nodeName: z.string().optional(),
  nodeSelector: z.record(z.string(), z.string()).optional(),
  affinity: AffinitySchema.optional(),
  tolerations: z.array(TolerationSchema).optional(),
  topologySpreadConstraints: z.array(TopologySpreadConstraintSchema).optional(),
  containers: z.array(ContainerSchema).min(1),
  initContainers: z.array(ContainerSchema).optional(),
  overhead: ResourceListSchema.optional(),
  priority: z.int().optional(),
  priorityClassName: z.string().optional(),
  volumes: z.array(VolumeSchema).optional(),
});
export type PodSpec = z.output<typeof PodSpecSchema>;

export const PodConditionSchema = z.looseObject({
  type: z.string().min(1),
  status: z.enum(['True', 'False', 'Unknown']),
  reason: z.string().optional(),
  message: z.string().optional(),
  /** RFC 3339; null on conditions some controllers write without it. */
  lastTransitionTime: z.string().nullish(),
});

const ContainerStatusSchema = z.looseObject({
  restartCount: z.int().nonnegative().optional(),
});

export const PodSchema = z.looseObject({
  apiVersion: z.literal('v1').optional(),
  kind: z.literal('Pod').optional(),
  metadata: ObjectMetaSchema.extend({ name: z.string().min(1) }),
  spec: PodSpecSchema,
  status: z
    .looseObject({
      phase: z.string().optional(),
      conditions: z.array(PodConditionSchema).optional(),
      /** Set by kube-scheduler when it preempted pods on that node to make room for this one. */
      nominatedNodeName: z.string().optional(),
      /** When the kubelet acknowledged the pod (RFC 3339). */
      startTime: z.string().optional(),
      containerStatuses: z.array(ContainerStatusSchema).nullish(),
    })
    .optional(),
});
export type Pod = z.output<typeof PodSchema>;
