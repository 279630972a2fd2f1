import type { z } from 'zod';
import { EC2NodeClassSchema } from './ec2nodeclass.ts';
import { NodeClaimSchema } from './nodeclaim.ts';
import { NodePoolSchema } from './nodepool.ts';

/** The Karpenter kinds Skyscale serves, each with the schema its objects must satisfy. */
export const KarpenterKindSchemas: Readonly<Record<string, z.ZodType>> = {
  NodePool: NodePoolSchema,
  NodeClaim: NodeClaimSchema,
  EC2NodeClass: EC2NodeClassSchema,
};
