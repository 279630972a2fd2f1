import { stringify } from 'yaml';
import type { z } from 'zod';
import { EC2NodeClassConditionTypes } from '../ec2nodeclass.ts';
import { KarpenterKindSchemas, type KarpenterKind } from '../kinds.ts';
import { AWS_GROUP, KARPENTER_GROUP, Labels } from '../labels.ts';
import { NodeClaimConditionTypes } from '../nodeclaim.ts';
import { NodePoolConditionTypes } from '../nodepool.ts';
import { toStructuralSchema, type JsonSchema } from './structural-schema.ts';

interface PrinterColumn {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'date';
  readonly jsonPath: string;
  /** 1 = shown only by `kubectl get -o wide`. */
  readonly priority?: 1;
}

interface ResourceDefinition {
  readonly group: string;
  readonly kind: KarpenterKind;
  readonly plural: string;
  readonly shortNames?: readonly string[];
  readonly columns: readonly PrinterColumn[];
}

function labelPath(label: string): string {
  return `.metadata.labels.${label.replaceAll('.', '\\.')}`;
}

function conditionPath(type: string): string {
  return `.status.conditions[?(@.type=="${type}")].status`;
}

const AGE: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };
function readyColumn(ready: string): PrinterColumn {
  return { name: 'Ready', type: 'string', jsonPath: conditionPath(ready) };
}

const RESOURCES: readonly ResourceDefinition[] = [
  {
    group: KARPENTER_GROUP,
    kind: 'NodePool',
    plural: 'nodepools',
    columns: [
      { name: 'NodeClass', type: 'string', jsonPath: '.spec.template.spec.nodeClassRef.name' },
      { name: 'Nodes', type: 'string', jsonPath: '.status.resources.nodes' },
      readyColumn(NodePoolConditionTypes.ready),
      AGE,
      { name: 'Weight', type: 'integer', jsonPath: '.spec.weight', priority: 1 },
      { name: 'CPU', type: 'string', jsonPath: '.status.resources.cpu', priority: 1 },
      { name: 'Memory', type: 'string', jsonPath: '.status.resources.memory', priority: 1 },
      {
        name: 'NodeRegistrationHealthy',
        type: 'string',
        jsonPath: conditionPath(NodePoolConditionTypes.nodeRegistrationHealthy),
        priority: 1,
      },
    ],
  },
  {
    group: KARPENTER_GROUP,
    kind: 'NodeClaim',
    plural: 'nodeclaims',
    columns: [
      { name: 'Type', type: 'string', jsonPath: labelPath(Labels.instanceType) },
      { name: 'Capacity', type: 'string', jsonPath: labelPath(Labels.capacityType) },
      { name: 'Zone', type: 'string', jsonPath: labelPath(Labels.zone) },
      { name: 'Node', type: 'string', jsonPath: '.status.nodeName' },
      readyColumn(NodeClaimConditionTypes.ready),
      AGE,
      { name: 'ImageID', type: 'string', jsonPath: '.status.imageID', priority: 1 },
      { name: 'ID', type: 'string', jsonPath: '.status.providerID', priority: 1 },
      { name: 'NodePool', type: 'string', jsonPath: labelPath(Labels.nodePool), priority: 1 },
      { name: 'NodeClass', type: 'string', jsonPath: '.spec.nodeClassRef.name', priority: 1 },
      {
        name: 'Drifted',
        type: 'string',
        jsonPath: conditionPath(NodeClaimConditionTypes.drifted),
        priority: 1,
      },
    ],
  },
  {
    group: AWS_GROUP,
    kind: 'EC2NodeClass',
    plural: 'ec2nodeclasses',
    shortNames: ['ec2nc', 'ec2ncs'],
    columns: [readyColumn(EC2NodeClassConditionTypes.ready), AGE],
  },
];

/** The object schema with the envelope fields every Kubernetes object shares left to the apiserver. */
function openApiSchema(schema: z.ZodType): JsonSchema {
  const { properties, ...rest } = toStructuralSchema(schema) as JsonSchema & {
    properties: Record<string, JsonSchema>;
  };
  return {
    ...rest,
    properties: {
      ...properties,
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
    },
    required: ['spec'],
  };
}

function customResourceDefinition(resource: ResourceDefinition): JsonSchema {
  const { group, kind, plural, shortNames, columns } = resource;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      names: {
        categories: ['karpenter'],
        kind,
        listKind: `${kind}List`,
        plural,
        ...(shortNames ? { shortNames } : {}),
        singular: kind.toLowerCase(),
      },
      scope: 'Cluster',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          additionalPrinterColumns: columns,
          schema: { openAPIV3Schema: openApiSchema(KarpenterKindSchemas[kind]) },
          subresources: { status: {} },
        },
      ],
    },
  };
}

export interface CrdFile {
  /** File name under manifests/crds/, e.g. `karpenter.sh_nodepools.yaml`. */
  readonly name: string;
  readonly text: string;
}

const HEADER = '# Generated from lib/apis by `npm run crds:generate`. Do not edit by hand.\n';

/** The three CRDs as YAML files, in a stable order. */
export function renderCrdFiles(): CrdFile[] {
  return RESOURCES.map((resource) => ({
    name: `${resource.group}_${resource.plural}.yaml`,
    text: HEADER + stringify(customResourceDefinition(resource), { lineWidth: 0 }),
  }));
}
