import type { z } from 'zod';
import { EC2NodeClassSchema } from './ec2nodeclass.ts';
import { NodeClaimSchema } from './nodeclaim.ts';
import { NodePoolSchema } from './nodepool.ts';

/** The Karpenter kinds Skyscale serves, each with the schema its objects must satisfy. */
export const KarpenterKindSchemas = {
  NodePool: NodePoolSchema,
  NodeClaim: NodeClaimSchema,
  EC2NodeClass: EC2NodeClassSchema,
} as const satisfies Record<string, z.ZodType>;

export type KarpenterKind = keyof typeof KarpenterKindSchemas;

/** The schema for `kind`, or undefined when it is not a Karpenter kind (own keys only). */
export function karpenterKindSchema(kind: string): z.ZodType | undefined {
  return Object.hasOwn(KarpenterKindSchemas, kind)
    ? KarpenterKindSchemas[kind as KarpenterKind]
    : undefined;
}
