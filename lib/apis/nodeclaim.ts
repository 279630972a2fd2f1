import { z } from 'zod';
import { ObjectMetaSchema } from './core/object-meta.ts';
import { TaintSchema } from './core/taint.ts';
import { ConditionListSchema } from './condition.ts';
import { DurationOrNeverSchema, DurationSchema } from './duration.ts';
import { KARPENTER_GROUP } from './labels.ts';
import { ResourceListSchema } from './quantity-schema.ts';
import { RequirementListSchema } from './requirement.ts';
import { apiVersionHints, movedKeys } from './v1beta1-hints.ts';

export const NODECLAIM_API_VERSION = `${KARPENTER_GROUP}/v1`;
export const DEFAULT_EXPIRE_AFTER = '720h';

export const NodeClaimConditionTypes = {
  launched: 'Launched',
  registered: 'Registered',
  initialized: 'Initialized',
  ready: 'Ready',
  drifted: 'Drifted',
  consolidatable: 'Consolidatable',
  disruptionReason: 'DisruptionReason',
  instanceTerminating: 'InstanceTerminating',
  consistentStateFound: 'ConsistentStateFound',
} as const;

export const NodeClassReferenceSchema = z.strictObject(
  {
    group: z.string().min(1),
    kind: z.string().min(1),
    name: z.string().min(1),
  },
  {
    error: movedKeys({
      apiVersion:
        'nodeClassRef.apiVersion is v1beta1: write group: karpenter.k8s.aws (the group without a version) beside kind and name',
    }),
  },
);

/** Keys v1beta1 NodeClaim specs (and NodePool templates) had that v1 moved elsewhere. */
export const nodeClaimSpecMovedKeys = movedKeys({
  kubelet:
    'kubelet moved to the EC2NodeClass in v1: write it as spec.kubelet of the karpenter.k8s.aws/v1 EC2NodeClass',
});
export type NodeClassReference = z.output<typeof NodeClassReferenceSchema>;

/** The spec a NodePool stamps onto each NodeClaim (NodeClaim adds `resources`). */
export const nodeClaimTemplateSpecShape = {
  taints: z.array(TaintSchema).optional(),
  /** Applied to the node but ignored when packing; must be gone before the NodeClaim is Initialized. */
  startupTaints: z.array(TaintSchema).optional(),
  requirements: RequirementListSchema,
  nodeClassRef: NodeClassReferenceSchema,
  expireAfter: DurationOrNeverSchema.default(DEFAULT_EXPIRE_AFTER),
  /** Longest a drain may take once deletion starts; afterwards pods are force-deleted. */
  terminationGracePeriod: DurationSchema.optional(),
};

export const NodeClaimSpecSchema = z.strictObject(
  {
    ...nodeClaimTemplateSpecShape,
    resources: z.strictObject({ requests: ResourceListSchema.optional() }).optional(),
  },
  { error: nodeClaimSpecMovedKeys },
);
export type NodeClaimSpec = z.output<typeof NodeClaimSpecSchema>;

export const NodeClaimStatusSchema = z.object({
  nodeName: z.string().optional(),
  providerID: z.string().optional(),
  imageID: z.string().optional(),
  capacity: ResourceListSchema.optional(),
  allocatable: ResourceListSchema.optional(),
  conditions: ConditionListSchema.optional(),
  lastPodEventTime: z.iso.datetime({ offset: true }).optional(),
});
export type NodeClaimStatus = z.output<typeof NodeClaimStatusSchema>;

export const NodeClaimSchema = z.object({
  apiVersion: z.literal(NODECLAIM_API_VERSION, { error: apiVersionHints(NODECLAIM_API_VERSION) }),
  kind: z.literal('NodeClaim'),
  metadata: ObjectMetaSchema,
  spec: NodeClaimSpecSchema,
  status: NodeClaimStatusSchema.optional(),
});
export type NodeClaim = z.output<typeof NodeClaimSchema>;
