import { describe, expect, it } from 'vitest';
import { EC2NodeClassSchema } from '../../../../lib/apis/ec2nodeclass.ts';
import { nodeClassCapacityOptions } from '../../../../lib/cloudprovider/ec2-model/node-class-capacity.ts';

function nodeClass(spec: Record<string, unknown>) {
  return EC2NodeClassSchema.parse({
    apiVersion: 'karpenter.k8s.aws/v1',
    kind: 'EC2NodeClass',
    metadata: { name: 'default' },
    spec: {
      role: 'NodeRole',
      amiSelectorTerms: [{ alias: 'al2023@latest' }],
      subnetSelectorTerms: [{ tags: { discovery: 'c' } }],
      securityGroupSelectorTerms: [{ tags: { discovery: 'c' } }],
      ...spec,
    },
  });
}

const volume = (deviceName: string, volumeSize: string, rootVolume?: boolean) => ({
  deviceName,
  ebs: { volumeSize },
  ...(rootVolume === undefined ? {} : { rootVolume }),
});

describe('nodeClassCapacityOptions', () => {
  it('passes the kubelet block and the AMI family through', () => {
    // Prepare
    const kubelet = { maxPods: 30, kubeReserved: { cpu: '200m' } };
    // Act
    const options = nodeClassCapacityOptions(nodeClass({ kubelet }), 'AL2023');
    // Assess
    expect(options).toEqual({ amiFamily: 'AL2023', kubelet });
  });

  it("defaults to the AMI family the class launches and that family's data device", () => {
    // Prepare
    const bottlerocket = nodeClass({
      amiSelectorTerms: [{ alias: 'bottlerocket@latest' }],
      blockDeviceMappings: [volume('/dev/xvda', '4Gi'), volume('/dev/xvdb', '50Gi')],
    });
    // Act
    const options = nodeClassCapacityOptions(bottlerocket);
    // Assess
    expect(options).toMatchObject({ amiFamily: 'Bottlerocket', ephemeralStorageGiB: 50 });
  });

  it.each([
    [
      'the mapping marked rootVolume',
      'AL2023',
      [volume('/dev/xvda', '30Gi'), volume('/dev/xvdc', '200Gi', true)],
      200,
    ],
    [
      "AL2023's /dev/xvda",
      'AL2023',
      [volume('/dev/xvdc', '200Gi'), volume('/dev/xvda', '100Gi')],
      100,
    ],
    [
      "Bottlerocket's /dev/xvdb",
      'Bottlerocket',
      [volume('/dev/xvda', '4Gi'), volume('/dev/xvdb', '50Gi')],
      50,
    ],
    [
      'the last mapping for Custom AMIs',
      'Custom',
      [volume('/dev/xvda', '40Gi'), volume('/dev/sdf', '60Gi')],
      60,
    ],
    [
      'nothing when no mapping is the data device',
      'AL2023',
      [volume('/dev/xvdc', '200Gi')],
      undefined,
    ],
  ] as const)('sizes ephemeral storage from %s', (_, amiFamily, blockDeviceMappings, gib) => {
    // Act
    const options = nodeClassCapacityOptions(
      nodeClass({ blockDeviceMappings, amiFamily }),
      amiFamily,
    );
    // Assess
    expect(options.ephemeralStorageGiB).toBe(gib);
  });

  it('carries the RAID0 instance-store policy', () => {
    // Act
    const options = nodeClassCapacityOptions(nodeClass({ instanceStorePolicy: 'RAID0' }), 'AL2023');
    // Assess
    expect(options.instanceStorePolicy).toBe('RAID0');
  });
});
