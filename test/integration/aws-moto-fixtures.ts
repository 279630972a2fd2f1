/** Cloud resources the AWS integration tests create in moto, and the EC2NodeClass that selects them. */
import {
  CreateImageCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeImagesCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
  type EC2Client,
  type Tag,
} from '@aws-sdk/client-ec2';
import { CreateRoleCommand, type IAMClient } from '@aws-sdk/client-iam';
import { EC2NodeClassSchema, type EC2NodeClass } from '../../lib/apis/ec2nodeclass.ts';
import { NodeClaimSchema, type NodeClaim } from '../../lib/apis/nodeclaim.ts';
import { NodePoolSchema } from '../../lib/apis/nodepool.ts';
import {
  AwsCloudProvider,
  AwsProviderCaches,
  parseAwsProviderSettings,
  systemRetryTiming,
  type AwsClients,
  type ProviderLogger,
} from '../../lib/cloudprovider/aws/index.ts';
import { systemClock } from '../../lib/util/clock.ts';

export const DISCOVERY_TAG = 'karpenter.sh/discovery';

function tagList(tags: Record<string, string>): Tag[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

export interface TestNetwork {
  readonly subnets: readonly { id: string; zone: string }[];
  readonly untaggedSubnetId: string;
  readonly securityGroupId: string;
  readonly securityGroupName: string;
}

/** A VPC with one tagged subnet in each of `zones`, one untagged subnet, and a tagged security group. */
export async function createNetwork(
  ec2: EC2Client,
  cluster: string,
  zones: readonly string[],
): Promise<TestNetwork> {
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc?.VpcId;
  const subnet = async (
    index: number,
    zone: string,
    tags: Record<string, string>,
  ): Promise<string> => {
    const created = await ec2.send(
      new CreateSubnetCommand({
        VpcId: vpcId,
        CidrBlock: `10.0.${index}.0/24`,
        AvailabilityZone: zone,
        TagSpecifications: [{ ResourceType: 'subnet', Tags: tagList(tags) }],
      }),
    );
    return created.Subnet?.SubnetId ?? '';
  };
  const subnets = await Promise.all(
    zones.map(async (zone, index) => ({
      id: await subnet(index + 1, zone, { [DISCOVERY_TAG]: cluster }),
      zone,
    })),
  );
  const untaggedSubnetId = await subnet(100, zones[0] ?? 'us-east-1a', { purpose: 'other' });
  const securityGroupName = `${cluster}-nodes`;
  const group = await ec2.send(
    new CreateSecurityGroupCommand({
      GroupName: securityGroupName,
      Description: 'nodes',
      VpcId: vpcId,
      TagSpecifications: [
        { ResourceType: 'security-group', Tags: tagList({ [DISCOVERY_TAG]: cluster }) },
      ],
    }),
  );
  return { subnets, untaggedSubnetId, securityGroupId: group.GroupId ?? '', securityGroupName };
}

/**
 * An AMI of `architecture` carrying `tags`. Moto's RegisterImage drops both the architecture and
 * the tags, so the image is made with CreateImage from an instance of one of moto's public AMIs.
 */
export async function createTaggedImage(
  ec2: EC2Client,
  architecture: 'x86_64' | 'arm64',
  name: string,
  tags: Record<string, string>,
): Promise<string> {
  const publicImages = await ec2.send(
    new DescribeImagesCommand({
      Owners: ['amazon'],
      Filters: [{ Name: 'architecture', Values: [architecture] }],
    }),
  );
  const source = publicImages.Images?.[0]?.ImageId;
  const instanceType = architecture === 'arm64' ? 'm6g.large' : 'm5.large';
  const run = await ec2.send(
    new RunInstancesCommand({
      ImageId: source,
      MinCount: 1,
      MaxCount: 1,
      InstanceType: instanceType,
    }),
  );
  const instanceId = run.Instances?.[0]?.InstanceId;
  const image = await ec2.send(
    new CreateImageCommand({
      InstanceId: instanceId,
      Name: name,
      TagSpecifications: [{ ResourceType: 'image', Tags: tagList(tags) }],
    }),
  );
  await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId ?? ''] }));
  return image.ImageId ?? '';
}

/** The node role {@link nodeClassFor} names, which Skyscale puts in the class's instance profile. */
export const NODE_ROLE = 'KarpenterNodeRole-test';

/** Creates the IAM role nodes run as (if it does not exist yet). */
export async function createNodeRole(iam: IAMClient, name: string = NODE_ROLE): Promise<void> {
  const trust = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ],
  };
  try {
    await iam.send(
      new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: JSON.stringify(trust) }),
    );
  } catch (error) {
    if ((error as { name?: string }).name !== 'EntityAlreadyExistsException') throw error;
  }
}

/** An EC2NodeClass selecting the network's subnets and security group and the AMIs tagged for `cluster`. */
export function nodeClassFor(
  cluster: string,
  overrides: Partial<EC2NodeClass['spec']> = {},
): EC2NodeClass {
  return EC2NodeClassSchema.parse({
    apiVersion: 'karpenter.k8s.aws/v1',
    kind: 'EC2NodeClass',
    metadata: { name: 'default', uid: '5a1b2c3d-0000-4000-8000-000000000001', generation: 1 },
    spec: {
      amiFamily: 'AL2023',
      role: NODE_ROLE,
      subnetSelectorTerms: [{ tags: { [DISCOVERY_TAG]: cluster } }],
      securityGroupSelectorTerms: [{ tags: { [DISCOVERY_TAG]: cluster } }],
      amiSelectorTerms: [{ tags: { [DISCOVERY_TAG]: cluster } }],
      tags: { team: 'platform' },
      ...overrides,
    },
  });
}

/** The NodePool `default` on the EC2NodeClass `default`, with no requirements of its own. */
export const defaultNodePool = NodePoolSchema.parse({
  apiVersion: 'karpenter.sh/v1',
  kind: 'NodePool',
  metadata: { name: 'default' },
  spec: {
    template: {
      spec: {
        nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
        requirements: [],
      },
    },
  },
});

export const CLUSTER_ENDPOINT = 'https://ABCDEF.gr7.us-east-1.eks.amazonaws.com';

/** A NodeClaim as provisioning creates it: NodePool label, instance-type and capacity-type requirements. */
export function nodeClaimFor(
  name: string,
  instanceTypes: readonly string[],
  capacityTypes: readonly string[],
  uid = `00000000-0000-4000-8000-${name.padStart(12, '0').slice(-12)}`,
): NodeClaim {
  return NodeClaimSchema.parse({
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodeClaim',
    metadata: { name, uid, labels: { 'karpenter.sh/nodepool': 'default', team: 'web' } },
    spec: {
      nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
      requirements: [
        { key: 'karpenter.sh/nodepool', operator: 'In', values: ['default'] },
        { key: 'node.kubernetes.io/instance-type', operator: 'In', values: [...instanceTypes] },
        { key: 'karpenter.sh/capacity-type', operator: 'In', values: [...capacityTypes] },
      ],
      taints: [{ key: 'dedicated', value: 'web', effect: 'NoSchedule' }],
    },
  });
}

export interface RecordedLog {
  readonly level: 'info' | 'warn';
  readonly message: string;
  readonly attributes?: Record<string, unknown>;
}

/** A ProviderLogger that keeps what it is told, so tests can read which price source was used. */
export function recordingLogger(): ProviderLogger & { readonly records: RecordedLog[] } {
  const records: RecordedLog[] = [];
  return {
    records,
    info: (message, attributes) =>
      records.push({ level: 'info', message, ...(attributes && { attributes }) }),
    warn: (message, attributes) =>
      records.push({ level: 'warn', message, ...(attributes && { attributes }) }),
  };
}

export interface TestProviderOptions {
  readonly clients: AwsClients;
  readonly nodeClass: () => EC2NodeClass;
  readonly cluster: string;
  readonly caches?: AwsProviderCaches;
  readonly remainingMs?: () => number;
}

export function testProvider(options: TestProviderOptions): {
  provider: AwsCloudProvider;
  caches: AwsProviderCaches;
  logger: ReturnType<typeof recordingLogger>;
} {
  const caches = options.caches ?? new AwsProviderCaches();
  const logger = recordingLogger();
  const provider = new AwsCloudProvider({
    clients: options.clients,
    settings: parseAwsProviderSettings({
      clusterName: options.cluster,
      clusterEndpoint: CLUSTER_ENDPOINT,
      clusterCertificateAuthority: 'Q0EtREFUQQ==',
      kubernetesVersion: '1.31',
      region: 'us-east-1',
    }),
    caches,
    nodeClasses: (name) => Promise.resolve(name === 'default' ? options.nodeClass() : undefined),
    timing: systemRetryTiming(options.remainingMs ?? (() => 30_000)),
    clock: systemClock,
    logger,
  });
  return { provider, caches, logger };
}
