import { z } from 'zod';
import { ObjectMetaSchema } from './object-meta.ts';
import { TaintSchema } from './taint.ts';
import { ResourceListSchema } from '../quantity-schema.ts';

/** The parts of a Node the scheduler reads; unknown fields pass through. */
export const NodeSchema = z.looseObject({
  apiVersion: z.literal('v1').optional(),
  kind: z.literal('Node').optional(),
  metadata: ObjectMetaSchema.extend({ name: z.string().min(1) }),
  spec: z
    .looseObject({
      providerID: z.string().optional(),
      taints: z.array(TaintSchema).optional(),
      /** Cordoned: the node lifecycle controller adds the `node.kubernetes.io/unschedulable` taint. */
      unschedulable: z.boolean().optional(),
    })
    .optional(),
  status: z
    .looseObject({
      capacity: ResourceListSchema.optional(),
      allocatable: ResourceListSchema.optional(),
    })
    .optional(),
});
export type Node = z.output<typeof NodeSchema>;
