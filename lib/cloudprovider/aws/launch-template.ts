/**
 * Launch templates: one per distinct launch configuration, under a name derived from its
 * content, so every run (and every container) finds the same template for the same settings.
 */
import { createHash } from 'node:crypto';
import {
  CreateLaunchTemplateCommand,
  type CreateLaunchTemplateCommandInput,
  type EC2Client,
  type LaunchTemplateBlockDeviceMappingRequest,
  type RequestLaunchTemplateData,
} from '@aws-sdk/client-ec2';
import type { EC2NodeClassSpec } from '../../apis/ec2nodeclass.ts';
import type { CapacityType } from '../../apis/labels.ts';
import { parseQuantity } from '../../apis/quantity.ts';
import type { AmiFamily } from '../ec2-model/capacity.ts';
import { awsErrorCode } from './ec2-errors.ts';
import type { TtlCache } from '../../util/ttl-cache.ts';

type BlockDeviceMapping = NonNullable<EC2NodeClassSpec['blockDeviceMappings']>[number];
type MetadataOptions = EC2NodeClassSpec['metadataOptions'];

const GiB = 2 ** 30;
const DEFAULT_VOLUME = { volumeType: 'gp3', encrypted: true } as const;

/** The volumes a family gets when the node class names none; the flagged one holds pods' ephemeral storage. */
export function defaultBlockDeviceMappings(family: AmiFamily): BlockDeviceMapping[] {
  if (family === 'Bottlerocket') {
    return [
      { deviceName: '/dev/xvda', ebs: { ...DEFAULT_VOLUME, volumeSize: '4Gi' } },
      { deviceName: '/dev/xvdb', ebs: { ...DEFAULT_VOLUME, volumeSize: '20Gi' }, rootVolume: true },
    ];
  }
  if (family === 'Custom') return [];
  return [
    { deviceName: '/dev/xvda', ebs: { ...DEFAULT_VOLUME, volumeSize: '20Gi' }, rootVolume: true },
  ];
}

function volumeGiB(size: string): number {
  return Math.ceil(parseQuantity(size) / GiB);
}

export interface LaunchTemplateSpec {
  readonly clusterName: string;
  readonly imageId: string;
  readonly userData: string;
  readonly blockDeviceMappings: readonly BlockDeviceMapping[];
  readonly metadataOptions: MetadataOptions;
  readonly securityGroupIds: readonly string[];
  readonly instanceProfile: string;
  /** On the template and on what EC2 creates from it without a tag of the fleet's: ENIs, spot requests. */
  readonly tags: Readonly<Record<string, string>>;
  /** Spot templates also tag the spot request, which EC2 refuses when the launch creates none. */
  readonly capacityType: CapacityType;
  readonly detailedMonitoring?: boolean;
  readonly associatePublicIPAddress?: boolean;
  /** Launches go into this capacity reservation (reserved capacity only). */
  readonly capacityReservationId?: string;
}

/** `skyscale/<cluster>/<hash of everything that shapes the template>`. */
export function launchTemplateName(spec: LaunchTemplateSpec): string {
  const canonical = JSON.stringify({
    ...spec,
    securityGroupIds: [...spec.securityGroupIds].sort(),
    tags: Object.entries(spec.tags).sort(([a], [b]) => a.localeCompare(b)),
  });
  const hash = createHash('sha256').update(canonical).digest('hex').slice(0, 40);
  return `skyscale/${spec.clusterName}/${hash}`;
}

function blockDevice(mapping: BlockDeviceMapping): LaunchTemplateBlockDeviceMappingRequest {
  const ebs = mapping.ebs;
  return {
    DeviceName: mapping.deviceName,
    ...(ebs && {
      Ebs: {
        DeleteOnTermination: ebs.deleteOnTermination ?? true,
        Encrypted: ebs.encrypted,
        Iops: ebs.iops,
        KmsKeyId: ebs.kmsKeyID,
        SnapshotId: ebs.snapshotID,
        Throughput: ebs.throughput,
        VolumeSize: ebs.volumeSize ? volumeGiB(ebs.volumeSize) : undefined,
        VolumeType: ebs.volumeType,
      },
    }),
  };
}

function tagList(tags: Readonly<Record<string, string>>): { Key: string; Value: string }[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

export function launchTemplateData(spec: LaunchTemplateSpec): RequestLaunchTemplateData {
  const network =
    spec.associatePublicIPAddress === undefined
      ? { SecurityGroupIds: [...spec.securityGroupIds] }
      : {
          NetworkInterfaces: [
            {
              DeviceIndex: 0,
              AssociatePublicIpAddress: spec.associatePublicIPAddress,
              Groups: [...spec.securityGroupIds],
            },
          ],
        };
  return {
    ImageId: spec.imageId,
    UserData: Buffer.from(spec.userData).toString('base64'),
    IamInstanceProfile: { Name: spec.instanceProfile },
    BlockDeviceMappings: spec.blockDeviceMappings.map(blockDevice),
    MetadataOptions: {
      HttpEndpoint: spec.metadataOptions.httpEndpoint,
      HttpProtocolIpv6: spec.metadataOptions.httpProtocolIPv6,
      HttpPutResponseHopLimit: spec.metadataOptions.httpPutResponseHopLimit,
      HttpTokens: spec.metadataOptions.httpTokens,
    },
    ...(spec.detailedMonitoring !== undefined && {
      Monitoring: { Enabled: spec.detailedMonitoring },
    }),
    ...network,
    ...(spec.capacityReservationId && {
      CapacityReservationSpecification: {
        CapacityReservationTarget: { CapacityReservationId: spec.capacityReservationId },
      },
    }),
    // The fleet's own tags reach only instances, volumes and the fleet; the IAM policy requires
    // the cluster tag on every resource the launch creates.
    TagSpecifications: (spec.capacityType === 'spot'
      ? (['network-interface', 'spot-instances-request'] as const)
      : (['network-interface'] as const)
    ).map((ResourceType) => ({ ResourceType, Tags: tagList(spec.tags) })),
  };
}

export function createLaunchTemplateInput(
  spec: LaunchTemplateSpec,
): CreateLaunchTemplateCommandInput {
  return {
    LaunchTemplateName: launchTemplateName(spec),
    LaunchTemplateData: launchTemplateData(spec),
    TagSpecifications: [{ ResourceType: 'launch-template', Tags: tagList(spec.tags) }],
  };
}

/**
 * Creates the template unless a template of that name exists. `known` remembers names created or
 * found by this container; the launcher invalidates a name when EC2 says it is gone.
 */
export function ensureLaunchTemplate(
  ec2: EC2Client,
  spec: LaunchTemplateSpec,
  known: TtlCache<string>,
): Promise<string> {
  const input = createLaunchTemplateInput(spec);
  const name = input.LaunchTemplateName ?? '';
  return known.getOrLoad(name, async () => {
    try {
      await ec2.send(new CreateLaunchTemplateCommand(input));
    } catch (error) {
      if (awsErrorCode(error) !== 'InvalidLaunchTemplateName.AlreadyExistsException') throw error;
    }
    return name;
  });
}
