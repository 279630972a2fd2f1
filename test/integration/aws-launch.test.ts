import {
  DescribeInstancesCommand,
  DescribeLaunchTemplateVersionsCommand,
  EC2Client,
  ModifyInstanceAttributeCommand,
  type CreateFleetCommandInput,
} from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { ec2NodeClassHash } from '../../lib/apis/index.ts';
import { embeddedCatalog } from '../../lib/cloudprovider/ec2-model/catalog/index.ts';
import { InstanceNotFoundError } from '../../lib/cloudprovider/errors.ts';
import { parseMimeMultipart } from '../../lib/cloudprovider/aws/user-data/mime-multipart.ts';
import { awsClientConfig, resetAws } from '../env/index.ts';
import { intercept } from './aws-fault-injection.ts';
import {
  createNetwork,
  createNodeRole,
  createTaggedImage,
  defaultNodePool,
  DISCOVERY_TAG,
  nodeClaimFor,
  nodeClassFor,
  motoClients,
  testProvider,
  type TestNetwork,
} from './aws-moto-fixtures.ts';

const CLUSTER = 'launch-test';

describe('AwsCloudProvider against moto', () => {
  let ec2: EC2Client;
  let network: TestNetwork;
  let amd64Image: string;
  let arm64Image: string;
  let nodeClass = nodeClassFor(CLUSTER);
  const fleetRequests: CreateFleetCommandInput[] = [];
  let describeInstanceTypesCalls = 0;
  let secondPage: { InstanceType?: string }[] = [];
  let setup: ReturnType<typeof testProvider>;

  beforeAll(async () => {
    await resetAws();
    ec2 = new EC2Client(awsClientConfig());
    network = await createNetwork(ec2, CLUSTER, ['us-east-1a', 'us-east-1b']);
    await createNodeRole(new IAMClient(awsClientConfig()));
    amd64Image = await createTaggedImage(ec2, 'x86_64', 'nodes-amd64', {
      [DISCOVERY_TAG]: CLUSTER,
    });
    arm64Image = await createTaggedImage(ec2, 'arm64', 'nodes-arm64', { [DISCOVERY_TAG]: CLUSTER });
    // A pass-through recorder: every call still goes to moto.
    const recordedEc2 = new EC2Client(awsClientConfig());
    intercept(recordedEc2, async (command, input, send) => {
      if (command === 'CreateFleet')
        fleetRequests.push(input as unknown as CreateFleetCommandInput);
      if (command !== 'DescribeInstanceTypes') return send();
      // Moto answers DescribeInstanceTypes in one page without a NextToken; EC2 pages by 100.
      // Splitting moto's answer in two checks that every page is read.
      describeInstanceTypesCalls++;
      if (input.NextToken === 'second-page') return { InstanceTypes: secondPage };
      const types =
        ((await send()) as { InstanceTypes?: { InstanceType?: string }[] }).InstanceTypes ?? [];
      secondPage = types.slice(types.length / 2);
      return { InstanceTypes: types.slice(0, types.length / 2), NextToken: 'second-page' };
    });
    setup = testProvider({
      cluster: CLUSTER,
      nodeClass: () => nodeClass,
      clients: motoClients(awsClientConfig(), { ec2: recordedEc2 }),
    });
  });

  it('lists instance types from every page of moto’s catalog with offerings in the subnets’ zones, priced from the embedded catalog', async () => {
    // Act
    const instanceTypes = await setup.provider.getInstanceTypes(defaultNodePool);

    // Assess
    const m5 = instanceTypes.find((type) => type.name === 'm5.large');
    const secondPageNames = new Set(secondPage.map((type) => type.InstanceType));
    expect(describeInstanceTypesCalls).toBe(2);
    expect(instanceTypes.filter((type) => secondPageNames.has(type.name)).length).toBeGreaterThan(
      100,
    );
    expect(instanceTypes.length).toBeGreaterThan(500);
    expect(m5?.capacity).toMatchObject({ cpu: 2000, pods: 29 });
    expect(new Set(m5?.offerings.map((offering) => offering.zone))).toEqual(
      new Set(['us-east-1a', 'us-east-1b']),
    );
    const onDemand = m5?.offerings.find((offering) => offering.capacityType === 'on-demand');
    const catalogPrice = embeddedCatalog('us-east-1').instanceTypes.find(
      (entry) => entry.name === 'm5.large',
    );
    expect(onDemand?.price).toBe(catalogPrice?.onDemandUSDPerHour);
    expect(m5?.offerings.find((offering) => offering.capacityType === 'spot')?.price).toBe(0.00001);
    expect(setup.logger.records).toContainEqual(
      expect.objectContaining({
        level: 'info',
        message: 'prices loaded',
        attributes: expect.objectContaining({
          onDemandSource: 'embedded-catalog',
          spotSource: 'ec2-spot-price-history',
        }),
      }),
    );
    expect(setup.logger.records).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: expect.stringContaining('Pricing GetProducts failed'),
      }),
    );
  });

  it('launches through CreateFleet with instance type × zonal subnet overrides and the ownership tags', async () => {
    // Prepare
    const nodeClaim = nodeClaimFor('web-a1b2c', ['m5.large', 'm5.xlarge'], ['spot', 'on-demand']);
    fleetRequests.length = 0;

    // Act
    const launched = await setup.provider.create(nodeClaim);

    // Assess
    expect(launched).toMatchObject({
      capacityType: 'spot',
      imageID: amd64Image,
      nodeClaimName: 'web-a1b2c',
    });
    expect(launched.providerID).toBe(`aws:///${launched.zone}/${launched.instanceID}`);
    expect(launched.labels['karpenter.sh/capacity-type']).toBe('spot');
    expect(launched.annotations).toEqual({
      'karpenter.k8s.aws/ec2nodeclass-hash': ec2NodeClassHash(nodeClass),
      'karpenter.k8s.aws/ec2nodeclass-hash-version': 'v4',
    });
    expect(launched.allocatable.cpu).toBeLessThan(launched.capacity.cpu ?? 0);
    const [request] = fleetRequests;
    expect(request).toMatchObject({
      Type: 'instant',
      TargetCapacitySpecification: { TotalTargetCapacity: 1, DefaultTargetCapacityType: 'spot' },
      SpotOptions: { AllocationStrategy: 'price-capacity-optimized' },
    });
    // m5.large (29 pods) and m5.xlarge (58 pods) need different max pods, so different templates.
    expect(
      request?.LaunchTemplateConfigs?.map((config) => [
        ...new Set(config.Overrides?.map((override) => override.InstanceType)),
      ]),
    ).toEqual([['m5.large'], ['m5.xlarge']]);
    const overrides = request?.LaunchTemplateConfigs?.flatMap((config) => config.Overrides ?? []);
    expect(
      overrides?.map((override) => `${override.InstanceType}@${override.SubnetId}`).sort(),
    ).toEqual(
      ['m5.large', 'm5.xlarge']
        .flatMap((type) => network.subnets.map((subnet) => `${type}@${subnet.id}`))
        .sort(),
    );
    const described = await ec2.send(
      new DescribeInstancesCommand({ InstanceIds: [launched.instanceID] }),
    );
    const instance = described.Reservations?.[0]?.Instances?.[0];
    const tags = Object.fromEntries((instance?.Tags ?? []).map((tag) => [tag.Key, tag.Value]));
    expect(tags).toMatchObject({
      'karpenter.sh/nodepool': 'default',
      'karpenter.sh/nodeclaim': 'web-a1b2c',
      'karpenter.k8s.aws/ec2nodeclass': 'default',
      [`kubernetes.io/cluster/${CLUSTER}`]: 'owned',
      'eks:eks-cluster-name': CLUSTER,
      team: 'platform',
    });
    expect(instance?.InstanceLifecycle).toBe('spot');
    expect(network.subnets.map((subnet) => subnet.id)).toContain(instance?.SubnetId);
  });

  it('writes the NodeClaim’s labels and taints into the launch template’s AL2023 user data', async () => {
    // Prepare
    const [request] = fleetRequests;
    const templateName =
      request?.LaunchTemplateConfigs?.[0]?.LaunchTemplateSpecification?.LaunchTemplateName;

    // Act
    const versions = await ec2.send(
      new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: templateName }),
    );

    // Assess
    expect(templateName).toMatch(new RegExp(`^skyscale/${CLUSTER}/[0-9a-f]{40}$`));
    const data = versions.LaunchTemplateVersions?.[0]?.LaunchTemplateData;
    expect(data?.ImageId).toBe(amd64Image);
    // The class names a role: the instance profile is the one Skyscale manages for it.
    expect(data?.IamInstanceProfile?.Name).toMatch(new RegExp(`^${CLUSTER}_\\d+$`));
    const userData = Buffer.from(data?.UserData ?? '', 'base64').toString();
    const nodeConfig = parseMimeMultipart(userData).find(
      (part) => part.contentType === 'application/node.eks.aws',
    );
    expect(nodeConfig?.body).toContain('karpenter.sh/nodepool=default');
    expect(nodeConfig?.body).toContain('team=web');
    expect(nodeConfig?.body).toContain('dedicated=web:NoSchedule');
    expect(nodeConfig?.body).toContain('karpenter.sh/unregistered:NoExecute');
    expect(nodeConfig?.body).toContain('maxPods: 29');
  });

  it('asks for on-demand with the lowest-price strategy when spot is not allowed', async () => {
    // Prepare
    fleetRequests.length = 0;

    // Act
    const launched = await setup.provider.create(
      nodeClaimFor('batch-x9y8z', ['m5.large'], ['on-demand']),
    );

    // Assess
    expect(launched.capacityType).toBe('on-demand');
    expect(fleetRequests[0]).toMatchObject({
      TargetCapacitySpecification: {
        TotalTargetCapacity: 1,
        DefaultTargetCapacityType: 'on-demand',
      },
      OnDemandOptions: { AllocationStrategy: 'lowest-price' },
    });
    expect(fleetRequests[0]?.SpotOptions).toBeUndefined();
  });

  it('returns the instance already launched for a NodeClaim instead of launching another', async () => {
    // Prepare
    const nodeClaim = nodeClaimFor('retry-q1w2e', ['m5.large'], ['on-demand']);
    const first = await setup.provider.create(nodeClaim);

    // Act
    const second = await setup.provider.create(nodeClaim);

    // Assess
    expect(second.instanceID).toBe(first.instanceID);
    const owned = await setup.provider.list();
    expect(owned.filter((instance) => instance.nodeClaimName === 'retry-q1w2e')).toHaveLength(1);
  });

  it('terminates an instance, and terminating it again still succeeds', async () => {
    // Prepare
    const nodeClaim = nodeClaimFor('gone-z5x6c', ['m5.large'], ['on-demand']);
    const launched = await setup.provider.create(nodeClaim);
    const withStatus = { ...nodeClaim, status: { providerID: launched.providerID } };

    // Act
    await setup.provider.delete(withStatus);
    await setup.provider.delete(withStatus);

    // Assess
    await expect(setup.provider.get(launched.providerID)).rejects.toBeInstanceOf(
      InstanceNotFoundError,
    );
    expect((await setup.provider.list()).map((instance) => instance.instanceID)).not.toContain(
      launched.instanceID,
    );
  });

  it('reports AMI drift once the node class selects another AMI, and subnet drift once it selects other subnets', async () => {
    // Prepare
    const nodeClaim = nodeClaimFor('drift-p0o9i', ['m5.large'], ['on-demand']);
    const launched = await setup.provider.create(nodeClaim);
    // Moto's CreateFleet ignores the launch template's SecurityGroupIds; EC2 would have applied them.
    await ec2.send(
      new ModifyInstanceAttributeCommand({
        InstanceId: launched.instanceID,
        Groups: [network.securityGroupId],
      }),
    );
    const withStatus = { ...nodeClaim, status: { providerID: launched.providerID } };
    const original = nodeClass;
    const otherSubnet = network.subnets.find((subnet) => subnet.zone !== launched.zone)?.id ?? '';
    const edited = (generation: number, spec: Parameters<typeof nodeClassFor>[1]) => ({
      ...nodeClassFor(CLUSTER, spec),
      metadata: { ...original.metadata, generation },
    });

    // Act
    const before = await setup.provider.isDrifted(withStatus);
    nodeClass = edited(2, { amiSelectorTerms: [{ id: arm64Image }] });
    const afterAmiChange = await setup.provider.isDrifted(withStatus);
    nodeClass = edited(3, { subnetSelectorTerms: [{ id: otherSubnet }] });
    const afterSubnetChange = await setup.provider.isDrifted(withStatus);
    nodeClass = original;

    // Assess
    expect(before).toBeUndefined();
    expect(afterAmiChange).toBe('AMIDrift');
    expect(afterSubnetChange).toBe('SubnetDrift');
  });
});
