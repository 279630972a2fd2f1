import { z } from 'zod';
import { ObjectMetaSchema } from '../../apis/core/object-meta.ts';

/** A coordination.k8s.io/v1 Lease; unknown fields pass through. */
export const LeaseSchema = z.looseObject({
  metadata: ObjectMetaSchema.extend({ name: z.string().min(1) }),
  spec: z
    .looseObject({
      holderIdentity: z.string().optional(),
      leaseDurationSeconds: z.int().min(1).optional(),
      acquireTime: z.iso.datetime({ offset: true }).optional(),
      renewTime: z.iso.datetime({ offset: true }).optional(),
      leaseTransitions: z.int().min(0).optional(),
    })
    .optional(),
});
export type Lease = z.output<typeof LeaseSchema>;

/** A MicroTime as the apiserver parses it: RFC 3339 with exactly six fractional digits. */
export function microTime(epochMilliseconds: number): string {
  return new Date(epochMilliseconds).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
