import { z } from 'zod';
import { ObjectMetaSchema } from './object-meta.ts';

/**
 * A storage.k8s.io/v1 VolumeAttachment: a CSI volume attached to a node. A node's instance is
 * terminated only once its attachments are gone, so volumes detach cleanly and can move with their pods.
 */
export const VolumeAttachmentSchema = z.looseObject({
  apiVersion: z.literal('storage.k8s.io/v1').optional(),
  kind: z.literal('VolumeAttachment').optional(),
  metadata: ObjectMetaSchema.extend({ name: z.string().min(1) }),
  spec: z.looseObject({
    attacher: z.string().min(1),
    nodeName: z.string().min(1),
    source: z.looseObject({ persistentVolumeName: z.string().optional() }),
  }),
  status: z.looseObject({ attached: z.boolean() }).optional(),
});
export type VolumeAttachment = z.output<typeof VolumeAttachmentSchema>;
