import { describe, expect, it } from 'vitest';
import { DEFAULT_METADATA_OPTIONS } from '../../../../lib/apis/ec2nodeclass.ts';
import {
  defaultBlockDeviceMappings,
  launchTemplateData,
  launchTemplateName,
  type LaunchTemplateSpec,
} from '../../../../lib/cloudprovider/aws/launch-template.ts';

const spec: LaunchTemplateSpec = {
  clusterName: 'prod',
  imageId: 'ami-0123',
  userData: '#!/bin/sh\necho hi',
  blockDeviceMappings: defaultBlockDeviceMappings('AL2023'),
  metadataOptions: { ...DEFAULT_METADATA_OPTIONS },
  securityGroupIds: ['sg-2', 'sg-1'],
  instanceProfile: 'NodeProfile',
  tags: { team: 'web', 'kubernetes.io/cluster/prod': 'owned' },
  capacityType: 'on-demand',
};

describe('launchTemplateName', () => {
  it('is the same for the same settings, whatever the order of security groups and tags', () => {
    // Act
    const name = launchTemplateName(spec);
    const reordered = launchTemplateName({
      ...spec,
      securityGroupIds: ['sg-1', 'sg-2'],
      tags: { 'kubernetes.io/cluster/prod': 'owned', team: 'web' },
    });

    // Assess
    expect(name).toMatch(/^skyscale\/prod\/[0-9a-f]{40}$/);
    expect(reordered).toBe(name);
  });

  it.each([
    ['AMI', { imageId: 'ami-0456' }],
    ['user data', { userData: '#!/bin/sh\necho bye' }],
    ['security groups', { securityGroupIds: ['sg-1'] }],
    ['instance profile', { instanceProfile: 'Other' }],
    ['tags', { tags: { team: 'batch' } }],
    ['capacity type', { capacityType: 'spot' as const }],
    [
      'metadata options',
      { metadataOptions: { ...DEFAULT_METADATA_OPTIONS, httpPutResponseHopLimit: 2 } },
    ],
  ])('changes when the %s change', (_what, change) => {
    expect(launchTemplateName({ ...spec, ...change })).not.toBe(launchTemplateName(spec));
  });
});

describe('launchTemplateData', () => {
  it('tags the network interfaces of every launch, and the spot request only of spot launches', () => {
    // Act
    const onDemand = launchTemplateData(spec).TagSpecifications;
    const spot = launchTemplateData({ ...spec, capacityType: 'spot' }).TagSpecifications;

    // Assess
    const tags = [
      { Key: 'team', Value: 'web' },
      { Key: 'kubernetes.io/cluster/prod', Value: 'owned' },
    ];
    expect(onDemand).toEqual([{ ResourceType: 'network-interface', Tags: tags }]);
    expect(spot).toEqual([
      { ResourceType: 'network-interface', Tags: tags },
      { ResourceType: 'spot-instances-request', Tags: tags },
    ]);
  });

  it('encodes the user data, sizes volumes in GiB and applies the IMDS settings', () => {
    // Act
    const data = launchTemplateData({
      ...spec,
      blockDeviceMappings: [
        {
          deviceName: '/dev/xvda',
          ebs: { volumeSize: '100G', volumeType: 'gp3', encrypted: true },
        },
      ],
    });

    // Assess
    expect(Buffer.from(data.UserData ?? '', 'base64').toString()).toBe(spec.userData);
    expect(data.BlockDeviceMappings).toEqual([
      {
        DeviceName: '/dev/xvda',
        Ebs: { DeleteOnTermination: true, Encrypted: true, VolumeSize: 94, VolumeType: 'gp3' },
      },
    ]);
    expect(data.MetadataOptions).toEqual({
      HttpEndpoint: 'enabled',
      HttpProtocolIpv6: 'disabled',
      HttpPutResponseHopLimit: 1,
      HttpTokens: 'required',
    });
    expect(data.SecurityGroupIds).toEqual(['sg-2', 'sg-1']);
    expect(data.IamInstanceProfile).toEqual({ Name: 'NodeProfile' });
  });

  it('moves the security groups onto the primary interface when a public IP choice is made', () => {
    const data = launchTemplateData({ ...spec, associatePublicIPAddress: false });
    expect(data.SecurityGroupIds).toBeUndefined();
    expect(data.NetworkInterfaces).toEqual([
      { DeviceIndex: 0, AssociatePublicIpAddress: false, Groups: ['sg-2', 'sg-1'] },
    ]);
  });
});

describe('defaultBlockDeviceMappings', () => {
  it('gives Bottlerocket a small OS volume and a data volume for pods, and Custom nothing', () => {
    expect(
      defaultBlockDeviceMappings('Bottlerocket').map((mapping) => [
        mapping.deviceName,
        mapping.ebs?.volumeSize,
      ]),
    ).toEqual([
      ['/dev/xvda', '4Gi'],
      ['/dev/xvdb', '20Gi'],
    ]);
    expect(defaultBlockDeviceMappings('Custom')).toEqual([]);
  });
});
