import { describe, expect, it } from 'vitest';
import type { CreateFleetCommandInput } from '@aws-sdk/client-ec2';
import { createFleetInput } from '../../../../lib/cloudprovider/aws/fleet.ts';
import {
  fleetBatchKey,
  fleetNodeClaim,
  mergedFleetInput,
  splitFleetAnswer,
} from '../../../../lib/cloudprovider/aws/fleet-batch.ts';
import type { ResolvedSubnet } from '../../../../lib/cloudprovider/aws/subnets.ts';
import { instanceType } from '../../../fixtures/instance-type.ts';

const subnetsByZone = new Map<string, ResolvedSubnet>([
  ['us-east-1a', { id: 'subnet-a', zone: 'us-east-1a', availableIps: 200 }],
]);

function claimRequest(nodeClaim: string, uid: string, type = 'm5.large'): CreateFleetCommandInput {
  return createFleetInput({
    launchTemplates: [
      {
        name: 'skyscale/c/amd64',
        candidates: [
          {
            instanceType: instanceType(type, 2, 8),
            offering: { zone: 'us-east-1a', capacityType: 'spot', price: 0.1, available: true },
          },
        ],
      },
    ],
    capacityType: 'spot',
    subnetsByZone,
    tags: { 'karpenter.sh/nodepool': 'default', 'karpenter.sh/nodeclaim': nodeClaim },
    nodeClaimUid: uid,
    attempt: 0,
  });
}

describe('fleetBatchKey', () => {
  it('is the same for claims asking for the same offerings and differs when the offerings differ', () => {
    // Act
    const first = fleetBatchKey(claimRequest('web-a', 'uid-a'));
    const second = fleetBatchKey(claimRequest('web-b', 'uid-b'));
    const otherType = fleetBatchKey(claimRequest('web-c', 'uid-c', 'c5.large'));

    // Assess
    expect(second).toBe(first);
    expect(otherType).not.toBe(first);
  });
});

describe('mergedFleetInput', () => {
  it('asks for one instance per claim, without any claim’s tag, with a token of all the claims’ tokens', () => {
    // Prepare
    const requests = [claimRequest('web-a', 'uid-a'), claimRequest('web-b', 'uid-b')];

    // Act
    const merged = mergedFleetInput(requests);
    const reordered = mergedFleetInput([...requests].reverse());
    const otherClaims = mergedFleetInput([requests[0]!, claimRequest('web-c', 'uid-c')]);

    // Assess
    expect(merged.TargetCapacitySpecification).toEqual({
      TotalTargetCapacity: 2,
      DefaultTargetCapacityType: 'spot',
    });
    expect(merged.LaunchTemplateConfigs).toEqual(requests[0]?.LaunchTemplateConfigs);
    expect(merged.TagSpecifications?.map(({ Tags }) => Tags)).toEqual([
      [{ Key: 'karpenter.sh/nodepool', Value: 'default' }],
      [{ Key: 'karpenter.sh/nodepool', Value: 'default' }],
      [{ Key: 'karpenter.sh/nodepool', Value: 'default' }],
    ]);
    expect(fleetNodeClaim(merged)).toBeUndefined();
    expect(merged.ClientToken).toMatch(/^[0-9a-f]{64}$/);
    expect(reordered.ClientToken).toBe(merged.ClientToken);
    expect(otherClaims.ClientToken).not.toBe(merged.ClientToken);
  });
});

describe('fleetNodeClaim', () => {
  it('reads the NodeClaim a request launches for from its instance tags', () => {
    expect(fleetNodeClaim(claimRequest('web-a', 'uid-a'))).toBe('web-a');
  });
});

describe('splitFleetAnswer', () => {
  const overrides = { InstanceType: 'm5.large' as const, SubnetId: 'subnet-a' };

  it('hands one instance to each request and the errors to those left without one', () => {
    // Prepare
    const iceError = {
      ErrorCode: 'InsufficientInstanceCapacity',
      ErrorMessage: 'no m5.large in us-east-1b',
      LaunchTemplateAndOverrides: { Overrides: { InstanceType: 'm5.large' as const } },
    };

    // Act
    const shares = splitFleetAnswer(
      {
        Instances: [
          {
            InstanceIds: ['i-1', 'i-2'],
            InstanceType: 'm5.large',
            LaunchTemplateAndOverrides: { Overrides: overrides },
          },
        ],
        Errors: [iceError],
      },
      3,
    );

    // Assess
    expect(shares.map(({ Instances }) => Instances?.map(({ InstanceIds }) => InstanceIds))).toEqual(
      [[['i-1']], [['i-2']], []],
    );
    expect(shares[0]?.Instances?.[0]?.LaunchTemplateAndOverrides?.Overrides).toEqual(overrides);
    expect(shares[2]?.Errors).toEqual([iceError]);
  });

  it('gives a request left without an instance an error even when EC2 reported none', () => {
    // Act
    const shares = splitFleetAnswer({ Instances: [{ InstanceIds: ['i-1'] }] }, 2);

    // Assess
    expect(shares[0]?.Errors).toEqual([]);
    expect(shares[1]?.Instances).toEqual([]);
    expect(shares[1]?.Errors?.map(({ ErrorCode }) => ErrorCode)).toEqual([
      'TooFewInstancesLaunched',
    ]);
  });

  it('hands out no more instances than there are requests', () => {
    // Act
    const shares = splitFleetAnswer({ Instances: [{ InstanceIds: ['i-1', 'i-2', 'i-3'] }] }, 2);

    // Assess
    expect(
      shares.flatMap(({ Instances }) => Instances?.flatMap(({ InstanceIds }) => InstanceIds)),
    ).toEqual(['i-1', 'i-2']);
  });
});
