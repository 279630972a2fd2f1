import { z } from 'zod';
import { LabelSelectorSchema } from './label-selector.ts';
import { ObjectMetaSchema } from './object-meta.ts';
import { PodSpecSchema } from './pod.ts';

/** A DaemonSet: the scheduler reads its pod template to reserve room and host ports on new nodes. */
export const DaemonSetSchema = z.looseObject({
  apiVersion: z.literal('apps/v1').optional(),
  kind: z.literal('DaemonSet').optional(),
  metadata: ObjectMetaSchema.extend({ name: z.string().min(1) }),
  spec: z.looseObject({
    selector: LabelSelectorSchema.optional(),
    template: z.looseObject({
      metadata: ObjectMetaSchema.optional(),
      spec: PodSpecSchema,
    }),
  }),
});
export type DaemonSet = z.output<typeof DaemonSetSchema>;
