import { z } from 'zod';
import { ObjectMetaSchema } from './core/object-meta.ts';
import { NodeSelectorRequirementSchema } from './core/node-selector.ts';
import { ConditionListSchema } from './condition.ts';
import { KubeletConfigurationSchema } from './ec2nodeclass-kubelet.ts';
import { AWS_GROUP } from './labels.ts';
import { boundedRecord, withRules, type ValidationRule } from './validation-rule.ts';
import { apiVersionHints, newlyRequired } from './v1beta1-hints.ts';

export const EC2NODECLASS_API_VERSION = `${AWS_GROUP}/v1`;

export const AmiFamilies = [
  'AL2',
  'AL2023',
  'Bottlerocket',
  'Custom',
  'Windows2019',
  'Windows2022',
] as const;
export type AmiFamily = (typeof AmiFamilies)[number];

export const EC2NodeClassConditionTypes = {
  subnetsReady: 'SubnetsReady',
  securityGroupsReady: 'SecurityGroupsReady',
  amisReady: 'AMIsReady',
  instanceProfileReady: 'InstanceProfileReady',
  capacityReservationsReady: 'CapacityReservationsReady',
  validationSucceeded: 'ValidationSucceeded',
  ready: 'Ready',
} as const;

/** IMDS settings Karpenter applies when metadataOptions (or any of its fields) is omitted. */
export const DEFAULT_METADATA_OPTIONS = {
  httpEndpoint: 'enabled',
  httpProtocolIPv6: 'disabled',
  httpPutResponseHopLimit: 1,
  httpTokens: 'required',
} as const;

const MAX_SELECTOR_TERMS = 30;
/** Karpenter's bound on the tags a selector term matches. */
const MAX_SELECTOR_TAGS = 20;
/** EC2 allows at most 50 tags per resource. */
const MAX_TAGS = 50;
const SelectorTagsSchema = boundedRecord(z.string().min(1), z.string().min(1), MAX_SELECTOR_TAGS);

interface SelectorTermOptions {
  /** Fields that select on their own: nothing else may be set beside them. */
  readonly exclusive: readonly string[];
  /** Fields that only narrow another selector (an AMI's `owner`), so they cannot stand alone. */
  readonly modifiers?: readonly string[];
}

/**
 * A selector term: it sets at least one selecting field, and an exclusive field stands alone.
 * CEL cannot count an object's fields, so the rules name them.
 */
function selectorTerm<Shape extends z.core.$ZodLooseShape>(
  shape: Shape,
  { exclusive, modifiers = [] }: SelectorTermOptions,
) {
  const fields = Object.keys(shape);
  const selectors = fields.filter((field) => !modifiers.includes(field));
  const isSet = (field: string) => `has(self.${field})`;
  const rules: ValidationRule<Readonly<Record<string, unknown>>>[] = [
    {
      cel: selectors.map(isSet).join(' || '),
      message: `expected at least one, got none, [${selectors.map((field) => `'${field}'`).join(', ')}]`,
      holds: (term) => selectors.some((field) => term[field] !== undefined),
    },
    ...exclusive.map((field) => {
      const others = fields.filter((other) => other !== field);
      return {
        cel: `!${isSet(field)} || !(${others.map(isSet).join(' || ')})`,
        message: `'${field}' is mutually exclusive, cannot be set with a combination of other fields`,
        path: [field],
        holds: (term: Readonly<Record<string, unknown>>) =>
          term[field] === undefined || others.every((other) => term[other] === undefined),
      };
    }),
  ];
  return withRules(z.strictObject(shape), rules);
}

export const SubnetSelectorTermSchema = selectorTerm(
  {
    tags: SelectorTagsSchema.optional(),
    id: z
      .string()
      .regex(/^subnet-[0-9a-z]+$/)
      .optional(),
  },
  { exclusive: ['id'] },
);
export const SecurityGroupSelectorTermSchema = selectorTerm(
  {
    tags: SelectorTagsSchema.optional(),
    id: z
      .string()
      .regex(/^sg-[0-9a-z]+$/)
      .optional(),
    name: z.string().optional(),
  },
  { exclusive: ['id'] },
);
export const CapacityReservationSelectorTermSchema = selectorTerm(
  {
    tags: SelectorTagsSchema.optional(),
    id: z
      .string()
      .regex(/^cr-[0-9a-z]+$/)
      .optional(),
    ownerID: z
      .string()
      .regex(/^[0-9]{12}$/)
      .optional(),
  },
  { exclusive: ['id'] },
);
export const AmiSelectorTermSchema = selectorTerm(
  {
    /** `family@version`, e.g. `al2023@latest`; picks the family and its EKS-optimized AMIs. */
    alias: z
      .string()
      .max(30)
      .regex(/^[a-zA-Z0-9]+@.+$/, 'must be FAMILY@VERSION such as "al2023@latest"')
      .optional(),
    tags: SelectorTagsSchema.optional(),
    id: z
      .string()
      .regex(/^ami-[0-9a-z]+$/)
      .optional(),
    name: z.string().optional(),
    owner: z.string().optional(),
    ssmParameter: z.string().optional(),
  },
  { exclusive: ['id', 'alias'], modifiers: ['owner'] },
);

export const BlockDeviceMappingSchema = z.strictObject({
  deviceName: z.string().optional(),
  ebs: z
    .strictObject({
      deleteOnTermination: z.boolean().optional(),
      encrypted: z.boolean().optional(),
      iops: z.int().optional(),
      kmsKeyID: z.string().optional(),
      snapshotID: z.string().optional(),
      throughput: z.int().optional(),
      volumeInitializationRate: z.int().min(100).max(300).optional(),
      volumeSize: z
        .string()
        .regex(
          /^((?:[1-9][0-9]{0,3}|[1-4][0-9]{4}|[5][0-8][0-9]{3}|59000)Gi|(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|[6][0-3][0-9]{3}|64000)G|([1-9]||[1-5][0-7]|58)Ti|([1-9]||[1-5][0-9]|6[0-3]|64)T)$/,
          'must be a size such as "20Gi" (at most 64T)',
        )
        .optional(),
      volumeType: z.enum(['standard', 'io1', 'io2', 'gp2', 'sc1', 'st1', 'gp3']).optional(),
    })
    .optional(),
  /** The volume the AMI's root device maps to; at most one per NodeClass. */
  rootVolume: z.boolean().optional(),
});

export const MetadataOptionsSchema = z.strictObject({
  httpEndpoint: z.enum(['enabled', 'disabled']).default(DEFAULT_METADATA_OPTIONS.httpEndpoint),
  httpProtocolIPv6: z
    .enum(['enabled', 'disabled'])
    .default(DEFAULT_METADATA_OPTIONS.httpProtocolIPv6),
  httpPutResponseHopLimit: z
    .int()
    .min(1)
    .max(64)
    .default(DEFAULT_METADATA_OPTIONS.httpPutResponseHopLimit),
  httpTokens: z.enum(['required', 'optional']).default(DEFAULT_METADATA_OPTIONS.httpTokens),
});

/** Tags Karpenter sets itself on every instance; users may not override them. */
const RESERVED_TAG =
  /^(eks:eks-cluster-name|kubernetes\.io\/cluster\/[^/]+|karpenter\.sh\/(nodepool|nodeclaim)|karpenter\.k8s\.aws\/ec2nodeclass)$/;

export const EC2NodeClassSpecSchema = withRules(
  z.strictObject({
    subnetSelectorTerms: z.array(SubnetSelectorTermSchema).min(1).max(MAX_SELECTOR_TERMS),
    securityGroupSelectorTerms: z
      .array(SecurityGroupSelectorTermSchema)
      .min(1)
      .max(MAX_SELECTOR_TERMS),
    capacityReservationSelectorTerms: z
      .array(CapacityReservationSelectorTermSchema)
      .max(MAX_SELECTOR_TERMS)
      .optional(),
    associatePublicIPAddress: z.boolean().optional(),
    amiSelectorTerms: z
      .array(AmiSelectorTermSchema, {
        error: newlyRequired(
          'v1 requires amiSelectorTerms (v1beta1 could pick AMIs from amiFamily alone): for the latest EKS-optimized AMI write amiSelectorTerms: [{alias: al2023@latest}] (or al2@latest, bottlerocket@latest)',
        ),
      })
      .min(1)
      .max(MAX_SELECTOR_TERMS),
    amiFamily: z.enum(AmiFamilies).optional(),
    userData: z.string().optional(),
    /** IAM role for the instance profile Karpenter creates; exclusive with instanceProfile. */
    role: z.string().min(1).max(64).optional(),
    instanceProfile: z.string().min(1).max(128).optional(),
    tags: withRules(boundedRecord(z.string().min(1), z.string(), MAX_TAGS), [
      {
        cel: `self.all(key, !key.matches(${JSON.stringify(RESERVED_TAG.source)}))`,
        message:
          'tags may not set a tag Karpenter reserves (eks:eks-cluster-name, kubernetes.io/cluster/*, karpenter.sh/nodepool, karpenter.sh/nodeclaim, karpenter.k8s.aws/ec2nodeclass)',
        holds: (tags) => Object.keys(tags).every((key) => !RESERVED_TAG.test(key)),
      },
    ]).optional(),
    kubelet: KubeletConfigurationSchema.optional(),
    blockDeviceMappings: z.array(BlockDeviceMappingSchema).max(50).optional(),
    instanceStorePolicy: z.enum(['RAID0']).optional(),
    detailedMonitoring: z.boolean().optional(),
    metadataOptions: MetadataOptionsSchema.prefault({}),
    context: z.string().optional(),
  }),
  [
    {
      cel: 'has(self.role) != has(self.instanceProfile)',
      message: "must specify exactly one of ['role', 'instanceProfile']",
      path: ['instanceProfile'],
      holds: ({ role, instanceProfile }) =>
        (role === undefined) !== (instanceProfile === undefined),
    },
    {
      cel: '!self.amiSelectorTerms.exists(term, has(term.alias)) || size(self.amiSelectorTerms) == 1',
      message:
        "'alias' is mutually exclusive, cannot be set with a combination of other amiSelectorTerms",
      path: ['amiSelectorTerms'],
      holds: ({ amiSelectorTerms }) =>
        !amiSelectorTerms.some((term) => term.alias) || amiSelectorTerms.length === 1,
    },
    {
      cel: 'has(self.amiFamily) || self.amiSelectorTerms.exists(term, has(term.alias))',
      message: 'must specify amiFamily if amiSelectorTerms does not contain an alias',
      path: ['amiFamily'],
      holds: ({ amiFamily, amiSelectorTerms }) =>
        amiFamily !== undefined || amiSelectorTerms.some((term) => term.alias),
    },
    {
      cel: '!has(self.blockDeviceMappings) || size(self.blockDeviceMappings.filter(mapping, has(mapping.rootVolume) && mapping.rootVolume)) <= 1',
      message: 'must have only one blockDeviceMappings with rootVolume',
      path: ['blockDeviceMappings'],
      holds: ({ blockDeviceMappings }) =>
        (blockDeviceMappings ?? []).filter((mapping) => mapping.rootVolume).length <= 1,
    },
  ],
);
export type EC2NodeClassSpec = z.output<typeof EC2NodeClassSpecSchema>;

export const EC2NodeClassStatusSchema = z.object({
  subnets: z
    .array(z.object({ id: z.string(), zone: z.string(), zoneID: z.string().optional() }))
    .optional(),
  securityGroups: z.array(z.object({ id: z.string(), name: z.string().optional() })).optional(),
  capacityReservations: z
    .array(
      z
        .object({
          id: z.string(),
          availabilityZone: z.string(),
          instanceType: z.string(),
          ownerID: z.string(),
          instanceMatchCriteria: z.enum(['open', 'targeted']).optional(),
          endTime: z.iso.datetime({ offset: true }).optional(),
        })
        .loose(),
    )
    .optional(),
  amis: z
    .array(
      z.object({
        id: z.string(),
        name: z.string().optional(),
        /** Instance types this AMI serves (architecture, GPU or not). */
        requirements: z.array(NodeSelectorRequirementSchema),
        deprecated: z.boolean().optional(),
      }),
    )
    .optional(),
  instanceProfile: z.string().optional(),
  conditions: ConditionListSchema.optional(),
});
export type EC2NodeClassStatus = z.output<typeof EC2NodeClassStatusSchema>;

export const EC2NodeClassSchema = z.object({
  apiVersion: z.literal(EC2NODECLASS_API_VERSION, {
    error: apiVersionHints(EC2NODECLASS_API_VERSION),
  }),
  kind: z.literal('EC2NodeClass'),
  metadata: ObjectMetaSchema,
  spec: EC2NodeClassSpecSchema,
  status: EC2NodeClassStatusSchema.optional(),
});
export type EC2NodeClass = z.output<typeof EC2NodeClassSchema>;
