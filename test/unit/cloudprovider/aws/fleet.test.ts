import { describe, expect, it } from 'vitest';
import type { LaunchCandidate } from '../../../../lib/cloudprovider/ec2-model/offering-selection.ts';
import type { ResolvedSubnet } from '../../../../lib/cloudprovider/aws/subnets.ts';
import {
  createFleetInput,
  fleetOverrides,
  readFleetOutput,
} from '../../../../lib/cloudprovider/aws/fleet.ts';
import { instanceType } from '../../../fixtures/instance-type.ts';

const candidate = (
  name: string,
  zone: string,
  capacityType: 'spot' | 'on-demand',
): LaunchCandidate => ({
  instanceType: instanceType(name, 2, 4),
  offering: { zone, capacityType, price: 0.1, available: true },
});

const subnetsByZone = new Map<string, ResolvedSubnet>([
  ['us-east-1a', { id: 'subnet-a', zone: 'us-east-1a', availableIps: 200 }],
  ['us-east-1b', { id: 'subnet-b', zone: 'us-east-1b', availableIps: 100 }],
]);

const request = (
  capacityType: 'spot' | 'on-demand',
  uid = '7d3e2f10-1111-4222-8333-444455556666',
  attempt = 0,
) => ({
  launchTemplates: [
    {
      name: 'skyscale/c/amd64',
      candidates: [
        candidate('m5.large', 'us-east-1a', capacityType),
        candidate('m5.large', 'us-east-1b', capacityType),
      ],
    },
    {
      name: 'skyscale/c/arm64',
      candidates: [
        candidate('m6g.large', 'us-east-1a', capacityType),
        candidate('m6g.large', 'us-east-1c', capacityType),
      ],
    },
  ],
  capacityType,
  subnetsByZone,
  tags: { 'karpenter.sh/nodeclaim': 'web-1' },
  nodeClaimUid: uid,
  attempt,
});

describe('fleetOverrides', () => {
  it('pairs each instance type with the subnet of its zone and drops zones without a subnet', () => {
    // Act
    const overrides = fleetOverrides(
      request('spot').launchTemplates[1]?.candidates ?? [],
      subnetsByZone,
    );

    // Assess
    expect(overrides).toEqual([
      { InstanceType: 'm6g.large', SubnetId: 'subnet-a', AvailabilityZone: 'us-east-1a' },
    ]);
  });
});

describe('createFleetInput', () => {
  it('asks for one instant spot instance with price-capacity-optimized allocation', () => {
    // Act
    const input = createFleetInput(request('spot'));

    // Assess
    expect(input).toMatchObject({
      Type: 'instant',
      TargetCapacitySpecification: { TotalTargetCapacity: 1, DefaultTargetCapacityType: 'spot' },
      SpotOptions: { AllocationStrategy: 'price-capacity-optimized' },
    });
    expect(input.OnDemandOptions).toBeUndefined();
    expect(
      input.LaunchTemplateConfigs?.map((config) => config.LaunchTemplateSpecification),
    ).toEqual([
      { LaunchTemplateName: 'skyscale/c/amd64', Version: '$Latest' },
      { LaunchTemplateName: 'skyscale/c/arm64', Version: '$Latest' },
    ]);
    expect(input.TagSpecifications?.map((spec) => spec.ResourceType)).toEqual([
      'instance',
      'volume',
      'fleet',
    ]);
    expect(input.TagSpecifications?.[0]?.Tags).toEqual([
      { Key: 'karpenter.sh/nodeclaim', Value: 'web-1' },
    ]);
  });

  it('asks for on-demand with lowest-price allocation', () => {
    const input = createFleetInput(request('on-demand'));
    expect(input.TargetCapacitySpecification?.DefaultTargetCapacityType).toBe('on-demand');
    expect(input.OnDemandOptions).toEqual({ AllocationStrategy: 'lowest-price' });
    expect(input.SpotOptions).toBeUndefined();
  });

  it('derives the ClientToken from the NodeClaim UID and the call’s ordinal only, never from the request', () => {
    // Act
    const first = createFleetInput(request('spot')).ClientToken;
    const otherRequest = createFleetInput(request('on-demand')).ClientToken;
    const otherClaim = createFleetInput(
      request('spot', '00000000-1111-4222-8333-444455556666'),
    ).ClientToken;
    const nextCall = createFleetInput(
      request('spot', '7d3e2f10-1111-4222-8333-444455556666', 1),
    ).ClientToken;

    // Assess
    expect(first).toBe('7d3e2f10-1111-4222-8333-444455556666-0');
    expect(otherRequest).toBe(first);
    expect(otherClaim).toBe('00000000-1111-4222-8333-444455556666-0');
    expect(nextCall).toBe('7d3e2f10-1111-4222-8333-444455556666-1');
  });
});

describe('readFleetOutput', () => {
  const subnetZones = new Map([['subnet-a', 'us-east-1a']]);

  it('reads the launched instance and takes its zone from the override’s subnet', () => {
    // Act
    const outcome = readFleetOutput(
      {
        Instances: [
          {
            InstanceIds: ['i-0abc'],
            InstanceType: 'm5.large',
            LaunchTemplateAndOverrides: { Overrides: { SubnetId: 'subnet-a' } },
          },
        ],
      },
      'spot',
      subnetZones,
    );

    // Assess
    expect(outcome).toEqual({
      instanceId: 'i-0abc',
      instanceType: 'm5.large',
      zone: 'us-east-1a',
      errors: [],
    });
  });

  it('reads per-override errors as offering keys', () => {
    // Act
    const outcome = readFleetOutput(
      {
        Instances: [],
        Errors: [
          {
            ErrorCode: 'InsufficientInstanceCapacity',
            ErrorMessage: 'no capacity',
            LaunchTemplateAndOverrides: {
              Overrides: { InstanceType: 'm5.large', SubnetId: 'subnet-a' },
            },
          },
        ],
      },
      'spot',
      subnetZones,
    );

    // Assess
    expect(outcome.instanceId).toBeUndefined();
    expect(outcome.errors).toEqual([
      {
        code: 'InsufficientInstanceCapacity',
        message: 'no capacity',
        capacityType: 'spot',
        instanceType: 'm5.large',
        zone: 'us-east-1a',
      },
    ]);
  });
});
