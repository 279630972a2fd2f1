import {
  decodeMetav1Duration,
  GO_STRING as STRING,
  GO_STRING_MAP as STRING_MAP,
  goHash,
  METAV1_DURATION,
  type GoField,
  type GoType,
} from './go-hashstructure.ts';
import type { NodePool } from './nodepool.ts';

/**
 * Bumped whenever what the hash covers changes, so hashes of different versions are never
 * compared and an upgrade never reads as drift. Karpenter's current version: claims it created
 * are judged by the same hash.
 */
export const NODEPOOL_HASH_VERSION = 'v3';

const TAINT: GoType = {
  kind: 'struct',
  name: 'Taint',
  fields: [
    { name: 'Key', json: 'key', type: STRING },
    { name: 'Value', json: 'value', type: STRING },
    { name: 'Effect', json: 'effect', type: STRING },
    {
      name: 'TimeAdded',
      json: 'timeAdded',
      type: {
        kind: 'pointer',
        elem: {
          kind: 'struct',
          name: 'Time',
          fields: [{ name: 'Time', json: 'value', type: { kind: 'time' } }],
        },
      },
      decode: (time) => (time === undefined ? undefined : { value: time }),
    },
  ],
};

const TAINTS: GoType = { kind: 'slice', elem: TAINT };

const durationField = (name: string, json: string): GoField => ({
  name,
  json,
  type: { kind: 'pointer', elem: METAV1_DURATION },
  decode: decodeMetav1Duration,
});

/** karpenter.sh/v1 NodeClaimTemplate, field by field as the Go struct declares it. */
const NODECLAIM_TEMPLATE: GoType = {
  kind: 'struct',
  name: 'NodeClaimTemplate',
  fields: [
    {
      name: 'ObjectMeta',
      json: 'metadata',
      type: {
        kind: 'struct',
        name: 'ObjectMeta',
        fields: [
          { name: 'Labels', json: 'labels', type: STRING_MAP },
          { name: 'Annotations', json: 'annotations', type: STRING_MAP },
        ],
      },
    },
    {
      name: 'Spec',
      json: 'spec',
      type: {
        kind: 'struct',
        name: 'NodeClaimTemplateSpec',
        fields: [
          { name: 'Taints', json: 'taints', type: TAINTS },
          { name: 'StartupTaints', json: 'startupTaints', type: TAINTS },
          { name: 'Requirements', json: 'requirements', type: STRING, ignore: true },
          {
            name: 'NodeClassRef',
            json: 'nodeClassRef',
            type: {
              kind: 'pointer',
              elem: {
                kind: 'struct',
                name: 'NodeClassReference',
                fields: [
                  { name: 'Kind', json: 'kind', type: STRING },
                  { name: 'Name', json: 'name', type: STRING },
                  { name: 'Group', json: 'group', type: STRING },
                ],
              },
            },
          },
          durationField('TerminationGracePeriod', 'terminationGracePeriod'),
          {
            name: 'ExpireAfter',
            json: 'expireAfter',
            type: {
              kind: 'struct',
              name: 'NillableDuration',
              fields: [
                {
                  name: 'Duration',
                  json: 'value',
                  type: { kind: 'pointer', elem: { kind: 'duration' } },
                },
                { name: 'Raw', type: STRING, ignore: true },
              ],
            },
            // `Never` decodes to a nil duration, which makes the whole field zero.
            decode: (value) => (value === undefined || value === 'Never' ? {} : { value }),
          },
        ],
      },
    },
  ],
};

/**
 * The `karpenter.sh/nodepool-hash` of a NodePool, as Karpenter computes it from its NodeClaim
 * template: reordering taints or map entries does not change it, requirements are left out
 * (their drift is judged by compatibility instead), and an absent field differs from an empty one.
 */
export function nodePoolHash(nodePool: NodePool): string {
  return goHash(NODECLAIM_TEMPLATE, nodePool.spec.template);
}
