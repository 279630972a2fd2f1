import {
  paginateDescribeInstances,
  TerminateInstancesCommand,
  type EC2Client,
  type Filter,
  type Instance,
} from '@aws-sdk/client-ec2';
import type { CapacityType } from '../../apis/labels.ts';
import type { CloudInstance } from '../cloud-provider.ts';
import { CloudProviderError } from '../errors.ts';
import { isInstanceNotFoundError } from './ec2-errors.ts';
import { tagValue } from './selector-filters.ts';
import { NODECLAIM_TAG, NODEPOOL_TAG } from './tags.ts';

const PROVIDER_ID = /^aws:\/\/\/([a-z0-9-]+)\/(i-[0-9a-f]+)$/;

export function providerIdOf(zone: string, instanceId: string): string {
  return `aws:///${zone}/${instanceId}`;
}

export function parseProviderId(providerID: string): { zone: string; instanceId: string } {
  const match = PROVIDER_ID.exec(providerID);
  if (!match?.[1] || !match[2]) {
    throw new CloudProviderError(
      `providerID "${providerID}" is not of the form aws:///<zone>/<instance-id>`,
    );
  }
  return { zone: match[1], instanceId: match[2] };
}

/** The facts drift detection compares with the node class. */
export interface InstancePlacement {
  readonly imageId: string;
  readonly subnetId?: string;
  readonly securityGroupIds: readonly string[];
}

export interface DescribedInstance {
  readonly instance: CloudInstance;
  readonly placement: InstancePlacement;
}

export function cloudInstanceOf(instance: Instance): DescribedInstance {
  const zone = instance.Placement?.AvailabilityZone ?? '';
  const instanceID = instance.InstanceId ?? '';
  const capacityType: CapacityType =
    instance.InstanceLifecycle === 'spot'
      ? 'spot'
      : instance.CapacityReservationId
        ? 'reserved'
        : 'on-demand';
  const nodeClaimName = tagValue(instance.Tags, NODECLAIM_TAG);
  const nodePoolName = tagValue(instance.Tags, NODEPOOL_TAG);
  return {
    instance: {
      providerID: providerIdOf(zone, instanceID),
      instanceID,
      instanceType: instance.InstanceType ?? '',
      zone,
      capacityType,
      imageID: instance.ImageId ?? '',
      state: instance.State?.Name ?? 'pending',
      ...(nodeClaimName && { nodeClaimName }),
      ...(nodePoolName && { nodePoolName }),
      ...(instance.LaunchTime && { launchTime: instance.LaunchTime }),
    },
    placement: {
      imageId: instance.ImageId ?? '',
      ...(instance.SubnetId && { subnetId: instance.SubnetId }),
      securityGroupIds: (instance.SecurityGroups ?? []).flatMap((group) =>
        group.GroupId ? [group.GroupId] : [],
      ),
    },
  };
}

const LIVE_STATES = ['pending', 'running', 'stopping', 'stopped', 'shutting-down'];

/** Instances matching the filters that have not terminated. */
export async function describeLiveInstances(
  ec2: EC2Client,
  filters: Filter[],
): Promise<DescribedInstance[]> {
  const instances: DescribedInstance[] = [];
  const input = { Filters: [...filters, { Name: 'instance-state-name', Values: LIVE_STATES }] };
  for await (const page of paginateDescribeInstances({ client: ec2 }, input)) {
    for (const reservation of page.Reservations ?? []) {
      for (const instance of reservation.Instances ?? []) instances.push(cloudInstanceOf(instance));
    }
  }
  return instances;
}

/** TerminateInstances that treats an instance EC2 no longer knows as already terminated. */
export async function terminateInstance(ec2: EC2Client, instanceId: string): Promise<void> {
  try {
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
  } catch (error) {
    if (!isInstanceNotFoundError(error)) throw error;
  }
}
