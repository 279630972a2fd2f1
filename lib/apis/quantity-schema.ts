import { z } from 'zod';
import { QUANTITY, QUANTITY_MESSAGE, withinRange } from './quantity.ts';

/**
 * A quantity as Kubernetes manifests write it: a non-negative integer or a quantity string
 * (`"500m"`, `"4Gi"`) whose value is finite.
 */
export const QuantitySchema = z.union([
  z.int().min(0, QUANTITY_MESSAGE),
  z.string().regex(QUANTITY, QUANTITY_MESSAGE).refine(withinRange, QUANTITY_MESSAGE),
]);

/** A resource list such as `limits` or `capacity`: resource name to quantity. */
export const ResourceListSchema = z.record(z.string(), QuantitySchema);
export type ResourceList = z.output<typeof ResourceListSchema>;
