import { describe, expect, it } from 'vitest';
import {
  Annotations,
  EC2NODECLASS_HASH_VERSION,
  EC2NodeClassSchema,
  ec2NodeClassHash,
  ec2NodeClassHashAnnotations,
  type EC2NodeClass,
} from '../../../lib/apis/index.ts';

const DEVICE_1 = {
  deviceName: 'map-device-1',
  rootVolume: false,
  ebs: {
    deleteOnTermination: false,
    encrypted: false,
    iops: 0,
    kmsKeyID: 'fakeKMSKeyID',
    snapshotID: 'fakeSnapshot',
    throughput: 0,
    volumeSize: '2G',
    volumeType: 'standard',
  },
};
const DEVICE_2 = { deviceName: 'map-device-2' };

/** The EC2NodeClass Karpenter's own hash tests start from, with the selectors our schema requires. */
const BASE = {
  subnetSelectorTerms: [{ id: 'subnet-1' }],
  securityGroupSelectorTerms: [{ id: 'sg-1' }],
  amiSelectorTerms: [{ id: 'ami-1' }],
  amiFamily: 'Custom',
  role: 'role-1',
  tags: { 'keyTag-1': 'valueTag-1', 'keyTag-2': 'valueTag-2' },
  context: 'fake-context',
  detailedMonitoring: false,
  associatePublicIPAddress: false,
  metadataOptions: {
    httpEndpoint: 'disabled',
    httpProtocolIPv6: 'disabled',
    httpPutResponseHopLimit: 1,
    httpTokens: 'optional',
  },
  blockDeviceMappings: [DEVICE_1, DEVICE_2],
  userData: 'userdata-test-1',
};

function nodeClass(spec: Record<string, unknown>): EC2NodeClass {
  return EC2NodeClassSchema.parse({
    apiVersion: 'karpenter.k8s.aws/v1',
    kind: 'EC2NodeClass',
    metadata: { name: 'default' },
    spec: { ...BASE, ...spec },
  });
}

const withEbs = (ebs: object) => ({
  blockDeviceMappings: [{ ...DEVICE_1, ebs: { ...DEVICE_1.ebs, ...ebs } }, DEVICE_2],
});
const withMetadata = (options: object) => ({
  metadataOptions: { ...BASE.metadataOptions, ...options },
});

const BASE_HASH = '4950366118253097694';

describe('ec2NodeClassHash', () => {
  // The expected values are what Karpenter's EC2NodeClass.Hash() returns for the same class
  // (aws/karpenter-provider-aws, hash version v4).
  it.each([
    ['the base class', {}, BASE_HASH],
    ['userData', { userData: 'userdata-test-2' }, '9034828637236670345'],
    [
      'one more tag',
      { tags: { ...BASE.tags, 'keyTag-test-3': 'valueTag-test-3' } },
      '6878220270322275255',
    ],
    ['context', { context: 'context-2' }, '13953931752662869657'],
    ['detailedMonitoring', { detailedMonitoring: true }, '14187487647319890991'],
    ['instanceStorePolicy', { instanceStorePolicy: 'RAID0' }, '4160809219257698490'],
    ['associatePublicIPAddress', { associatePublicIPAddress: true }, '4469320567057431454'],
    ['httpEndpoint', withMetadata({ httpEndpoint: 'enabled' }), '1277386558528601282'],
    ['httpProtocolIPv6', withMetadata({ httpProtocolIPv6: 'enabled' }), '14697047633165484196'],
    ['the hop limit', withMetadata({ httpPutResponseHopLimit: 10 }), '2086799014304536137'],
    ['httpTokens', withMetadata({ httpTokens: 'required' }), '14750841460622248593'],
    [
      'a device name',
      { blockDeviceMappings: [{ ...DEVICE_1, deviceName: 'map-device-test-3' }, DEVICE_2] },
      '11716516558705174498',
    ],
    [
      'rootVolume',
      { blockDeviceMappings: [{ ...DEVICE_1, rootVolume: true }, DEVICE_2] },
      '11900810786014401721',
    ],
    ['deleteOnTermination', withEbs({ deleteOnTermination: true }), '14586255897156659742'],
    ['encrypted', withEbs({ encrypted: true }), '10872029821841773628'],
    ['iops', withEbs({ iops: 10 }), '9202874311950700210'],
    ['kmsKeyID', withEbs({ kmsKeyID: 'test' }), '14601456769467439478'],
    ['snapshotID', withEbs({ snapshotID: 'test' }), '8031059801598053215'],
    ['throughput', withEbs({ throughput: 10 }), '14410045481146650034'],
    ['volumeType', withEbs({ volumeType: 'io1' }), '9480251663542054235'],
    ['volumeSize', withEbs({ volumeSize: '10G' }), '5906178522470964189'],
    [
      'an instance profile instead of a role',
      { role: undefined, instanceProfile: 'test-instance-profile' },
      '5855570904022890593',
    ],
  ])('matches Karpenter’s hash after changing %s', (_name, spec, expected) => {
    // Prepare
    const changed = nodeClass(spec);

    // Act
    const hash = ec2NodeClassHash(changed);

    // Assess
    expect(hash).toBe(expected);
  });

  it('ignores selectors, the order of tags and of block device mappings', () => {
    // Prepare
    const reordered = [
      nodeClass({ subnetSelectorTerms: [{ tags: { 'subnet-test-key': 'subnet-test-value' } }] }),
      nodeClass({ securityGroupSelectorTerms: [{ tags: { sg: 'value' } }] }),
      nodeClass({ amiSelectorTerms: [{ tags: { ami: 'value' } }] }),
      nodeClass({ capacityReservationSelectorTerms: [{ id: 'cr-1' }] }),
      nodeClass({ tags: { 'keyTag-2': 'valueTag-2', 'keyTag-1': 'valueTag-1' } }),
      nodeClass({ blockDeviceMappings: [DEVICE_2, DEVICE_1] }),
    ];

    // Act
    const hashes = reordered.map(ec2NodeClassHash);

    // Assess
    expect(new Set(hashes)).toEqual(new Set([BASE_HASH]));
  });

  it('hashes the AMI family the class resolves to, not how it is written', () => {
    // Prepare
    const alias = nodeClass({
      amiSelectorTerms: [{ alias: 'al2023@latest' }],
      amiFamily: undefined,
    });
    const spelledOut = nodeClass({
      amiSelectorTerms: [{ alias: 'al2023@latest' }],
      amiFamily: 'AL2023',
    });
    const bottlerocket = nodeClass({
      amiSelectorTerms: [{ alias: 'bottlerocket@latest' }],
      amiFamily: undefined,
    });

    // Act
    const [fromAlias, fromField, other] = [alias, spelledOut, bottlerocket].map(ec2NodeClassHash);

    // Assess
    expect(fromField).toBe(fromAlias);
    expect(other).not.toBe(fromAlias);
    expect(fromAlias).not.toBe(BASE_HASH);
  });

  it('hashes a volume size by its amount, however it is written, and the kubelet settings', () => {
    // Prepare
    const binary = nodeClass(withEbs({ volumeSize: '2048Gi' }));
    const sameBinary = nodeClass(withEbs({ volumeSize: '2Ti' }));
    const decimal = nodeClass(withEbs({ volumeSize: '2000G' }));
    const sameDecimal = nodeClass(withEbs({ volumeSize: '2T' }));
    const kubelet = nodeClass({ kubelet: { maxPods: 20 } });
    const otherKubelet = nodeClass({
      kubelet: {
        maxPods: 20,
        evictionSoft: { 'memory.available': '5%' },
        evictionSoftGracePeriod: { 'memory.available': '1m30s' },
      },
    });

    // Act
    const hashes = [binary, sameBinary, decimal, sameDecimal, kubelet, otherKubelet].map(
      ec2NodeClassHash,
    );

    // Assess
    expect(hashes[1]).toBe(hashes[0]);
    expect(hashes[3]).toBe(hashes[2]);
    expect(new Set([hashes[0], hashes[2], hashes[4], hashes[5], BASE_HASH]).size).toBe(5);
  });

  it('gives the annotations Karpenter stamps: the hash and its version', () => {
    // Prepare
    const base = nodeClass({});

    // Act
    const annotations = ec2NodeClassHashAnnotations(base);

    // Assess
    expect(annotations).toEqual({
      [Annotations.ec2NodeClassHash]: BASE_HASH,
      [Annotations.ec2NodeClassHashVersion]: EC2NODECLASS_HASH_VERSION,
    });
  });
});
