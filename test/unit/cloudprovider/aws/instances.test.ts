import { describe, expect, it } from 'vitest';
import { CloudProviderError } from '../../../../lib/cloudprovider/errors.ts';
import {
  cloudInstanceOf,
  parseProviderId,
  providerIdOf,
} from '../../../../lib/cloudprovider/aws/instances.ts';
import { instanceTags } from '../../../../lib/cloudprovider/aws/tags.ts';

describe('provider IDs', () => {
  it('round-trips aws:///<zone>/<instance-id> and rejects anything else', () => {
    expect(parseProviderId(providerIdOf('us-east-1a', 'i-0abc123'))).toEqual({
      zone: 'us-east-1a',
      instanceId: 'i-0abc123',
    });
    expect(() => parseProviderId('kind://docker/node-1')).toThrow(CloudProviderError);
  });
});

describe('instanceTags', () => {
  it('adds the ownership tags to the node class’s own tags', () => {
    expect(
      instanceTags({
        clusterName: 'prod',
        nodePool: 'default',
        nodeClaim: 'default-x1',
        nodeClass: 'general',
        nodeClassTags: { team: 'web' },
      }),
    ).toEqual({
      team: 'web',
      'karpenter.sh/nodepool': 'default',
      'karpenter.sh/nodeclaim': 'default-x1',
      'karpenter.k8s.aws/ec2nodeclass': 'general',
      'kubernetes.io/cluster/prod': 'owned',
      'eks:eks-cluster-name': 'prod',
    });
  });
});

describe('cloudInstanceOf', () => {
  it('reads the capacity type from the lifecycle and the NodeClaim from the tags', () => {
    // Act
    const { instance, placement } = cloudInstanceOf({
      InstanceId: 'i-0abc',
      InstanceType: 'm5.large',
      InstanceLifecycle: 'spot',
      ImageId: 'ami-1',
      SubnetId: 'subnet-a',
      SecurityGroups: [{ GroupId: 'sg-1' }],
      Placement: { AvailabilityZone: 'us-east-1a' },
      State: { Name: 'running' },
      Tags: [
        { Key: 'karpenter.sh/nodeclaim', Value: 'default-x1' },
        { Key: 'karpenter.sh/nodepool', Value: 'default' },
      ],
    });

    // Assess
    expect(instance).toEqual({
      providerID: 'aws:///us-east-1a/i-0abc',
      instanceID: 'i-0abc',
      instanceType: 'm5.large',
      zone: 'us-east-1a',
      capacityType: 'spot',
      imageID: 'ami-1',
      state: 'running',
      nodeClaimName: 'default-x1',
      nodePoolName: 'default',
    });
    expect(placement).toEqual({
      imageId: 'ami-1',
      subnetId: 'subnet-a',
      securityGroupIds: ['sg-1'],
    });
    expect(cloudInstanceOf({ CapacityReservationId: 'cr-1' }).instance.capacityType).toBe(
      'reserved',
    );
    expect(cloudInstanceOf({}).instance.capacityType).toBe('on-demand');
  });
});
