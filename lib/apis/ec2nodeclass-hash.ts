import { AmiFamilies, type AmiFamily, type EC2NodeClass } from './ec2nodeclass.ts';
import {
  decodeMetav1Duration,
  GO_STRING as STRING,
  GO_STRING_MAP as STRING_MAP,
  goHash,
  METAV1_DURATION,
  type GoField,
  type GoType,
} from './go-hashstructure.ts';
import { Annotations } from './labels.ts';

/**
 * Bumped whenever what the hash covers changes, so hashes of different versions are never
 * compared and an upgrade never reads as drift. Karpenter's current version: claims it launched
 * are judged by the same hash.
 */
export const EC2NODECLASS_HASH_VERSION = 'v4';

const STRING_POINTER: GoType = { kind: 'pointer', elem: STRING };
const BOOL_POINTER: GoType = { kind: 'pointer', elem: { kind: 'bool' } };
const INT32_POINTER: GoType = { kind: 'pointer', elem: { kind: 'int', bytes: 4 } };
const INT64_POINTER: GoType = { kind: 'pointer', elem: { kind: 'int', bytes: 8 } };

const field = (name: string, json: string, type: GoType): GoField => ({ name, json, type });
/** Selectors and other fields Karpenter tags `hash:"ignore"`: their drift is judged from what they resolve to. */
const ignored = (name: string, json: string): GoField => ({
  name,
  json,
  type: STRING,
  ignore: true,
});

const BYTE_UNITS: readonly (readonly [string, number])[] = [
  ['Ti', 1024 ** 4],
  ['Gi', 1024 ** 3],
  ['T', 1000 ** 4],
  ['G', 1000 ** 3],
];

/**
 * resource.Quantity's String() of a volume size: the same amount in the largest unit of its own
 * family (binary or decimal) that divides it, so "2048Gi" hashes as "2Ti" and "1000G" as "1T".
 */
function canonicalVolumeSize(size: unknown): unknown {
  const match = typeof size === 'string' ? /^([0-9]+)(Ti|Gi|T|G)$/.exec(size) : null;
  const unit = BYTE_UNITS.find(([name]) => name === match?.[2]);
  if (!match || !unit) return size;
  const bytes = Number(match[1]) * unit[1];
  const binary = unit[0].endsWith('i');
  for (const [name, scale] of BYTE_UNITS)
    if (name.endsWith('i') === binary && bytes % scale === 0) return `${bytes / scale}${name}`;
  return size;
}

const BLOCK_DEVICE: GoType = {
  kind: 'struct',
  name: 'BlockDevice',
  fields: [
    field('DeleteOnTermination', 'deleteOnTermination', BOOL_POINTER),
    field('Encrypted', 'encrypted', BOOL_POINTER),
    field('IOPS', 'iops', INT64_POINTER),
    field('KMSKeyID', 'kmsKeyID', STRING_POINTER),
    field('SnapshotID', 'snapshotID', STRING_POINTER),
    field('Throughput', 'throughput', INT64_POINTER),
    field('VolumeInitializationRate', 'volumeInitializationRate', INT32_POINTER),
    // `hash:"string"`: the quantity is hashed as its String().
    { ...field('VolumeSize', 'volumeSize', STRING_POINTER), decode: canonicalVolumeSize },
    field('VolumeType', 'volumeType', STRING_POINTER),
  ],
};

const BLOCK_DEVICE_MAPPING: GoType = {
  kind: 'pointer',
  elem: {
    kind: 'struct',
    name: 'BlockDeviceMapping',
    fields: [
      field('DeviceName', 'deviceName', STRING_POINTER),
      field('EBS', 'ebs', { kind: 'pointer', elem: BLOCK_DEVICE }),
      field('RootVolume', 'rootVolume', { kind: 'bool' }),
    ],
  },
};

const KUBELET: GoType = {
  kind: 'pointer',
  elem: {
    kind: 'struct',
    name: 'KubeletConfiguration',
    fields: [
      field('ClusterDNS', 'clusterDNS', { kind: 'slice', elem: STRING }),
      field('MaxPods', 'maxPods', INT32_POINTER),
      field('PodsPerCore', 'podsPerCore', INT32_POINTER),
      field('SystemReserved', 'systemReserved', STRING_MAP),
      field('KubeReserved', 'kubeReserved', STRING_MAP),
      field('EvictionHard', 'evictionHard', STRING_MAP),
      field('EvictionSoft', 'evictionSoft', STRING_MAP),
      {
        ...field('EvictionSoftGracePeriod', 'evictionSoftGracePeriod', {
          kind: 'map',
          key: STRING,
          value: METAV1_DURATION,
        }),
        decode: (periods) =>
          periods === undefined
            ? undefined
            : Object.fromEntries(
                Object.entries(periods as Record<string, string>).map(([signal, value]) => [
                  signal,
                  decodeMetav1Duration(value),
                ]),
              ),
      },
      field('EvictionMaxPodGracePeriod', 'evictionMaxPodGracePeriod', INT32_POINTER),
      field('ImageGCHighThresholdPercent', 'imageGCHighThresholdPercent', INT32_POINTER),
      field('ImageGCLowThresholdPercent', 'imageGCLowThresholdPercent', INT32_POINTER),
      field('CPUCFSQuota', 'cpuCFSQuota', BOOL_POINTER),
    ],
  },
};

/** karpenter.k8s.aws/v1 EC2NodeClassSpec, field by field as the Go struct declares it. */
const EC2NODECLASS_SPEC: GoType = {
  kind: 'struct',
  name: 'EC2NodeClassSpec',
  fields: [
    ignored('SubnetSelectorTerms', 'subnetSelectorTerms'),
    ignored('SecurityGroupSelectorTerms', 'securityGroupSelectorTerms'),
    ignored('CapacityReservationSelectorTerms', 'capacityReservationSelectorTerms'),
    field('AssociatePublicIPAddress', 'associatePublicIPAddress', BOOL_POINTER),
    ignored('AMISelectorTerms', 'amiSelectorTerms'),
    // Hashed as the family the class resolves to instead (see ec2NodeClassHash).
    ignored('AMIFamily', 'amiFamily'),
    field('UserData', 'userData', STRING_POINTER),
    field('Role', 'role', STRING),
    field('InstanceProfile', 'instanceProfile', STRING_POINTER),
    field('Tags', 'tags', STRING_MAP),
    field('Kubelet', 'kubelet', KUBELET),
    field('BlockDeviceMappings', 'blockDeviceMappings', {
      kind: 'slice',
      elem: BLOCK_DEVICE_MAPPING,
    }),
    field('InstanceStorePolicy', 'instanceStorePolicy', STRING_POINTER),
    field('DetailedMonitoring', 'detailedMonitoring', BOOL_POINTER),
    field('MetadataOptions', 'metadataOptions', {
      kind: 'pointer',
      elem: {
        kind: 'struct',
        name: 'MetadataOptions',
        fields: [
          field('HTTPEndpoint', 'httpEndpoint', STRING_POINTER),
          field('HTTPProtocolIPv6', 'httpProtocolIPv6', STRING_POINTER),
          field('HTTPPutResponseHopLimit', 'httpPutResponseHopLimit', INT64_POINTER),
          field('HTTPTokens', 'httpTokens', STRING_POINTER),
        ],
      },
    }),
    field('Context', 'context', STRING_POINTER),
  ],
};

/**
 * The family Karpenter hashes: `amiFamily` when set, else the alias's family, else Custom. So
 * writing out the family an alias already implies does not drift nodes.
 */
function hashedAmiFamily(nodeClass: EC2NodeClass): AmiFamily {
  if (nodeClass.spec.amiFamily !== undefined) return nodeClass.spec.amiFamily;
  const alias = nodeClass.spec.amiSelectorTerms.find((term) => term.alias)?.alias;
  const name = alias?.split('@')[0]?.toLowerCase();
  return AmiFamilies.find((family) => family.toLowerCase() === name) ?? 'Custom';
}

/**
 * The `karpenter.k8s.aws/ec2nodeclass-hash` of an EC2NodeClass, as Karpenter computes it: the
 * spec's static fields (selectors left out: subnet, security group and AMI drift are judged from
 * what they resolve to) together with the resolved AMI family, the two hashed as a set. Reordering
 * tags or block device mappings does not change it.
 */
export function ec2NodeClassHash(nodeClass: EC2NodeClass): string {
  const spec = BigInt(goHash(EC2NODECLASS_SPEC, nodeClass.spec));
  const family = BigInt(goHash(STRING, hashedAmiFamily(nodeClass)));
  return (spec ^ family).toString();
}

/** The hash annotations Karpenter keeps on an EC2NodeClass and stamps on the claims it launches from it. */
export function ec2NodeClassHashAnnotations(nodeClass: EC2NodeClass): Record<string, string> {
  return {
    [Annotations.ec2NodeClassHash]: ec2NodeClassHash(nodeClass),
    [Annotations.ec2NodeClassHashVersion]: EC2NODECLASS_HASH_VERSION,
  };
}
