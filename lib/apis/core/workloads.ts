import { z } from 'zod';
import { LabelSelectorSchema } from './label-selector.ts';
import { ObjectMetaSchema } from './object-meta.ts';
import { type Pod, PodSpecSchema } from './pod.ts';

/**
 * The controllers whose pods Skyscale plans for before they exist: Deployment, StatefulSet,
 * ReplicaSet and Job. Only what decides how many pods there are and what they look like is
 * checked; unknown fields pass through.
 */

const MAX_INT32 = 2 ** 31 - 1;
const Int32Count = z.int().min(0).max(MAX_INT32);

export const PodTemplateSpecSchema = z.looseObject({
  metadata: ObjectMetaSchema.optional(),
  spec: PodSpecSchema,
});
export type PodTemplateSpec = z.output<typeof PodTemplateSpecSchema>;

const NamedMetaSchema = ObjectMetaSchema.extend({ name: z.string().min(1) });

const replicatedSpec = {
  /** Absent means 1, as the apiserver defaults it. */
  replicas: Int32Count.default(1),
  selector: LabelSelectorSchema,
  template: PodTemplateSpecSchema,
};

export const DeploymentSchema = z.looseObject({
  apiVersion: z.literal('apps/v1').optional(),
  kind: z.literal('Deployment'),
  metadata: NamedMetaSchema,
  spec: z.looseObject(replicatedSpec),
});
export type Deployment = z.output<typeof DeploymentSchema>;

export const StatefulSetSchema = z.looseObject({
  apiVersion: z.literal('apps/v1').optional(),
  kind: z.literal('StatefulSet'),
  metadata: NamedMetaSchema,
  spec: z.looseObject({ ...replicatedSpec, serviceName: z.string().optional() }),
});
export type StatefulSet = z.output<typeof StatefulSetSchema>;

export const ReplicaSetSchema = z.looseObject({
  apiVersion: z.literal('apps/v1').optional(),
  kind: z.literal('ReplicaSet'),
  metadata: NamedMetaSchema,
  spec: z.looseObject(replicatedSpec),
});
export type ReplicaSet = z.output<typeof ReplicaSetSchema>;

export const JobSchema = z.looseObject({
  apiVersion: z.literal('batch/v1').optional(),
  kind: z.literal('Job'),
  metadata: NamedMetaSchema,
  spec: z.looseObject({
    /** Pods running at once; absent means 1. */
    parallelism: Int32Count.default(1),
    /** Absent: the Job is done when any pod succeeds, so `parallelism` pods run. */
    completions: Int32Count.optional(),
    template: PodTemplateSpecSchema,
  }),
});
export type Job = z.output<typeof JobSchema>;

export const WorkloadSchemas = {
  Deployment: DeploymentSchema,
  StatefulSet: StatefulSetSchema,
  ReplicaSet: ReplicaSetSchema,
  Job: JobSchema,
} as const;
export type WorkloadKind = keyof typeof WorkloadSchemas;
export type Workload = Deployment | StatefulSet | ReplicaSet | Job;

export function isWorkloadKind(kind: string | undefined): kind is WorkloadKind {
  return kind !== undefined && Object.hasOwn(WorkloadSchemas, kind);
}

/** How many pods the controller keeps running at once. */
export function desiredPodCount(workload: Workload): number {
  if (workload.kind !== 'Job') return workload.spec.replicas;
  const { parallelism, completions } = workload.spec;
  return completions === undefined ? parallelism : Math.min(parallelism, completions);
}

/**
 * The pending pods a workload asks for, named `<owner name>-<index>` from 0, in the owner's
 * namespace, carrying the template's labels and annotations and a controller reference to the
 * owner. Without an owner UID, `<kind>/<namespace>/<name>` stands in for the apiserver's.
 * The pods share the template's (read-only) spec.
 */
export function expandWorkload(workload: Workload): Pod[] {
  const { metadata, spec } = workload;
  const namespace = metadata.namespace ?? 'default';
  const owner = {
    apiVersion: workload.apiVersion ?? (workload.kind === 'Job' ? 'batch/v1' : 'apps/v1'),
    kind: workload.kind,
    name: metadata.name,
    uid: metadata.uid ?? `${workload.kind}/${namespace}/${metadata.name}`,
    controller: true,
  };
  const template = spec.template.metadata;
  return Array.from({ length: desiredPodCount(workload) }, (_, index) => ({
    apiVersion: 'v1' as const,
    kind: 'Pod' as const,
    metadata: {
      name: `${metadata.name}-${index}`,
      namespace,
      ...(template?.labels ? { labels: { ...template.labels } } : {}),
      ...(template?.annotations ? { annotations: { ...template.annotations } } : {}),
      ownerReferences: [owner],
    },
    spec: spec.template.spec,
    status: { phase: 'Pending' },
  }));
}
