import { z } from 'zod';

export const OwnerReferenceSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  name: z.string(),
  uid: z.string(),
  controller: z.boolean().optional(),
  blockOwnerDeletion: z.boolean().optional(),
});
export type OwnerReference = z.output<typeof OwnerReferenceSchema>;

/** Object metadata; loose because the apiserver adds fields (managedFields…) Skyscale never reads. */
export const ObjectMetaSchema = z.looseObject({
  name: z.string().min(1).max(253).optional(),
  generateName: z.string().optional(),
  namespace: z.string().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  generation: z.int().optional(),
  creationTimestamp: z.iso.datetime({ offset: true }).optional(),
  deletionTimestamp: z.iso.datetime({ offset: true }).optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  finalizers: z.array(z.string()).optional(),
  ownerReferences: z.array(OwnerReferenceSchema).optional(),
});
export type ObjectMeta = z.output<typeof ObjectMetaSchema>;
