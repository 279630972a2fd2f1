import type { AmiFamily, EC2NodeClass } from '../../apis/ec2nodeclass.ts';
import { resourceValue } from '../../apis/quantity.ts';
import { nodeClassAmiFamily } from './ami-alias.ts';
import type { CapacityOptions } from './capacity.ts';

const GiB = 2 ** 30;

/** The device each AMI family mounts the kubelet's data on. */
const EPHEMERAL_DEVICE: Readonly<Record<AmiFamily, string | undefined>> = {
  AL2: '/dev/xvda',
  AL2023: '/dev/xvda',
  Bottlerocket: '/dev/xvdb',
  Windows2019: '/dev/sda1',
  Windows2022: '/dev/sda1',
  Custom: undefined,
};

type BlockDeviceMappings = NonNullable<EC2NodeClass['spec']['blockDeviceMappings']>;

/**
 * The volume the kubelet's ephemeral storage lives on, as Karpenter picks it: the mapping marked
 * `rootVolume`, else (Custom AMIs) the last mapping, else the family's data device.
 */
function ephemeralVolumeGiB(
  mappings: BlockDeviceMappings,
  amiFamily: AmiFamily,
): number | undefined {
  const mapping =
    mappings.find((candidate) => candidate.rootVolume) ??
    (amiFamily === 'Custom'
      ? mappings.at(-1)
      : mappings.find((candidate) => candidate.deviceName === EPHEMERAL_DEVICE[amiFamily]));
  const size = mapping?.ebs?.volumeSize;
  return size === undefined ? undefined : resourceValue('ephemeral-storage', size) / GiB;
}

/**
 * The EC2NodeClass settings that change instance-type capacity and overhead. The AMI family
 * defaults to the one the class launches (its alias's, else its `amiFamily`).
 */
export function nodeClassCapacityOptions(
  nodeClass: EC2NodeClass,
  amiFamily: AmiFamily = nodeClassAmiFamily(nodeClass),
): CapacityOptions {
  const { kubelet, blockDeviceMappings, instanceStorePolicy } = nodeClass.spec;
  const ephemeralStorageGiB =
    blockDeviceMappings && ephemeralVolumeGiB(blockDeviceMappings, amiFamily);
  return {
    amiFamily,
    ...(kubelet ? { kubelet } : {}),
    ...(ephemeralStorageGiB === undefined ? {} : { ephemeralStorageGiB }),
    ...(instanceStorePolicy ? { instanceStorePolicy } : {}),
  };
}
