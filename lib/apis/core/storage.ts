import { z } from 'zod';
import { NodeSelectorTermSchema } from './node-selector.ts';
import { ObjectMetaSchema } from './object-meta.ts';

/** A core/v1 PersistentVolume: where it can be attached (node affinity) is what scheduling reads. */
export const PersistentVolumeSchema = z.looseObject({
  apiVersion: z.literal('v1').optional(),
  kind: z.literal('PersistentVolume').optional(),
  metadata: ObjectMetaSchema.extend({ name: z.string().min(1) }),
  spec: z.looseObject({
    nodeAffinity: z
      .looseObject({
        required: z.looseObject({ nodeSelectorTerms: z.array(NodeSelectorTermSchema) }).optional(),
      })
      .optional(),
    /** Local and hostPath volumes are tied to a hostname a new node never has. */
    local: z.looseObject({}).optional(),
    hostPath: z.looseObject({}).optional(),
    storageClassName: z.string().optional(),
  }),
});
export type PersistentVolume = z.output<typeof PersistentVolumeSchema>;

/** A core/v1 PersistentVolumeClaim: bound to a volume, or waiting for one of its StorageClass. */
export const PersistentVolumeClaimSchema = z.looseObject({
  apiVersion: z.literal('v1').optional(),
  kind: z.literal('PersistentVolumeClaim').optional(),
  metadata: ObjectMetaSchema.extend({ name: z.string().min(1) }),
  spec: z.looseObject({
    volumeName: z.string().optional(),
    storageClassName: z.string().optional(),
  }),
  status: z.looseObject({ phase: z.string().optional() }).optional(),
});
export type PersistentVolumeClaim = z.output<typeof PersistentVolumeClaimSchema>;

/** A storage.k8s.io/v1 StorageClass: its binding mode and the topologies its volumes may live in. */
export const StorageClassSchema = z.looseObject({
  apiVersion: z.literal('storage.k8s.io/v1').optional(),
  kind: z.literal('StorageClass').optional(),
  metadata: ObjectMetaSchema.extend({ name: z.string().min(1) }),
  provisioner: z.string().min(1),
  volumeBindingMode: z.enum(['Immediate', 'WaitForFirstConsumer']).optional(),
  allowedTopologies: z
    .array(
      z.looseObject({
        matchLabelExpressions: z
          .array(z.looseObject({ key: z.string().min(1), values: z.array(z.string()) }))
          .optional(),
      }),
    )
    .optional(),
});
export type StorageClass = z.output<typeof StorageClassSchema>;
