import type { DriftReason } from '../cloud-provider.ts';
import type { InstancePlacement } from './instances.ts';
import type { NodeClassResolution } from './node-class-resolution.ts';

/**
 * Why a running instance no longer matches what its node class resolves to now: its AMI is no
 * longer selected, its subnet is no longer selected, or its security groups differ.
 */
export function driftReason(
  instance: InstancePlacement,
  resolution: Pick<NodeClassResolution, 'amis' | 'subnets' | 'securityGroups'>,
): DriftReason | undefined {
  if (resolution.amis.length > 0 && !resolution.amis.some((ami) => ami.id === instance.imageId))
    return 'AMIDrift';
  if (
    instance.subnetId &&
    resolution.subnets.length > 0 &&
    !resolution.subnets.some((subnet) => subnet.id === instance.subnetId)
  ) {
    return 'SubnetDrift';
  }
  const expected = new Set(resolution.securityGroups.map((group) => group.id));
  const actual = new Set(instance.securityGroupIds);
  const sameGroups = expected.size === actual.size && [...expected].every((id) => actual.has(id));
  return resolution.securityGroups.length > 0 && !sameGroups ? 'SecurityGroupDrift' : undefined;
}
