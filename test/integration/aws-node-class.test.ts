import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { PricingClient } from '@aws-sdk/client-pricing';
import { SSMClient } from '@aws-sdk/client-ssm';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveNodeClass } from '../../lib/cloudprovider/aws/node-class-resolution.ts';
import { nextNodeClassStatus } from '../../lib/cloudprovider/node-class-status.ts';
import { throttledFor, systemRetryTiming } from '../../lib/cloudprovider/aws/throttle-retry.ts';
import { NodeClassNotReadyError } from '../../lib/cloudprovider/errors.ts';
import { awsClientConfig, resetAws } from '../env/index.ts';
import { intercept } from './aws-fault-injection.ts';
import {
  createNetwork,
  createNodeRole,
  createTaggedImage,
  DISCOVERY_TAG,
  nodeClaimFor,
  nodeClassFor,
  testProvider,
  type TestNetwork,
} from './aws-moto-fixtures.ts';

const CLUSTER = 'resolution-test';
const NOW = new Date('2026-11-27T12:00:00Z');
const throttled = throttledFor(systemRetryTiming(() => 30_000));

describe('EC2NodeClass resolution against moto', () => {
  let ec2: EC2Client;
  let ssm: SSMClient;
  let network: TestNetwork;
  let amd64Image: string;
  let arm64Image: string;

  beforeAll(async () => {
    await resetAws();
    ec2 = new EC2Client(awsClientConfig());
    ssm = new SSMClient(awsClientConfig());
    network = await createNetwork(ec2, CLUSTER, ['us-east-1a', 'us-east-1b']);
    await createNodeRole(new IAMClient(awsClientConfig()));
    amd64Image = await createTaggedImage(ec2, 'x86_64', 'nodes-amd64', {
      [DISCOVERY_TAG]: CLUSTER,
    });
    arm64Image = await createTaggedImage(ec2, 'arm64', 'nodes-arm64', { [DISCOVERY_TAG]: CLUSTER });
    await createTaggedImage(ec2, 'x86_64', 'someone-elses', { [DISCOVERY_TAG]: 'other-cluster' });
  });

  it('finds the tagged subnets, security group and AMIs, makes the instance profile and reports the class Ready', async () => {
    // Prepare
    const nodeClass = nodeClassFor(CLUSTER);
    const { provider } = testProvider({
      cluster: CLUSTER,
      nodeClass: () => nodeClass,
      clients: {
        ec2,
        ssm,
        pricing: new PricingClient(awsClientConfig()),
        iam: new IAMClient(awsClientConfig()),
      },
    });

    // Act
    const reconciliation = await provider.reconcileNodeClass(nodeClass);
    const status = nextNodeClassStatus(nodeClass, reconciliation, NOW.getTime());

    // Assess
    expect(status.subnets?.map((subnet) => [subnet.id, subnet.zone]).sort()).toEqual(
      network.subnets.map((subnet) => [subnet.id, subnet.zone]).sort(),
    );
    expect(status.subnets?.map((subnet) => subnet.id)).not.toContain(network.untaggedSubnetId);
    expect(status.securityGroups).toEqual([
      { id: network.securityGroupId, name: network.securityGroupName },
    ]);
    expect(status.amis?.map((ami) => [ami.id, ami.requirements])).toEqual(
      expect.arrayContaining([
        [amd64Image, [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }]],
        [arm64Image, [{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }]],
      ]),
    );
    expect(status.amis).toHaveLength(2);
    expect(status.instanceProfile).toMatch(new RegExp(`^${CLUSTER}_\\d+$`));
    expect(status.conditions?.map((condition) => [condition.type, condition.status])).toEqual([
      ['SubnetsReady', 'True'],
      ['SecurityGroupsReady', 'True'],
      ['AMIsReady', 'True'],
      ['InstanceProfileReady', 'True'],
      ['CapacityReservationsReady', 'True'],
      ['ValidationSucceeded', 'True'],
      ['Ready', 'True'],
    ]);
  });

  it('selects a security group by name and a subnet by id', async () => {
    // Prepare
    const nodeClass = nodeClassFor(CLUSTER, {
      subnetSelectorTerms: [{ id: network.untaggedSubnetId }],
      securityGroupSelectorTerms: [{ name: network.securityGroupName }],
    });

    // Act
    const resolution = await resolveNodeClass({ ec2, ssm }, nodeClass, '1.31', NOW, throttled);

    // Assess
    expect(resolution.subnets.map((subnet) => subnet.id)).toEqual([network.untaggedSubnetId]);
    expect(resolution.securityGroups.map((group) => group.id)).toEqual([network.securityGroupId]);
  });

  it('reports a class whose selectors match nothing as not Ready, saying what is missing, and launches nothing with it', async () => {
    // Prepare
    const nodeClass = nodeClassFor(CLUSTER, {
      subnetSelectorTerms: [{ tags: { [DISCOVERY_TAG]: 'nobody' } }],
      amiSelectorTerms: [{ tags: { [DISCOVERY_TAG]: 'nobody' } }],
    });

    const commands: string[] = [];
    const watchedEc2 = new EC2Client(awsClientConfig());
    intercept(watchedEc2, async (command, _input, send) => {
      commands.push(command);
      return send();
    });
    const { provider } = testProvider({
      cluster: CLUSTER,
      nodeClass: () => nodeClass,
      clients: {
        ec2: watchedEc2,
        ssm,
        pricing: new PricingClient(awsClientConfig()),
        iam: new IAMClient(awsClientConfig()),
      },
    });

    // Act
    const status = nextNodeClassStatus(
      nodeClass,
      await provider.reconcileNodeClass(nodeClass),
      NOW.getTime(),
    );
    const launch = provider.create(nodeClaimFor('blocked-k8j7h', ['m5.large'], ['on-demand']));

    // Assess
    await expect(launch).rejects.toBeInstanceOf(NodeClassNotReadyError);
    await expect(launch).rejects.toThrow(/node class "default" is not ready: no subnet matches/);
    expect(commands).not.toContain('CreateFleet');
    expect(commands).not.toContain('CreateLaunchTemplate');
    const byType = new Map(status.conditions?.map((condition) => [condition.type, condition]));
    expect(byType.get('SubnetsReady')).toMatchObject({
      status: 'False',
      reason: 'SubnetsNotFound',
    });
    expect(byType.get('SubnetsReady')?.message).toContain(
      'no subnet matches spec.subnetSelectorTerms',
    );
    expect(byType.get('SecurityGroupsReady')?.status).toBe('True');
    expect(byType.get('AMIsReady')).toMatchObject({ status: 'False', reason: 'AMINotFound' });
    expect(byType.get('ValidationSucceeded')).toMatchObject({
      status: 'False',
      reason: 'DependenciesNotReady',
    });
    expect(byType.get('Ready')).toMatchObject({
      status: 'False',
      reason: 'UnhealthyDependents',
      message: 'SubnetsReady=False, AMIsReady=False, ValidationSucceeded=False',
    });
  });

  it('resolves the al2023@latest alias through the EKS public SSM parameters, per architecture and variant', async () => {
    // Prepare: moto has none of the /aws/service/eks/... public parameters and refuses to create
    // names under /aws/, so the SSM client answers GetParameter for them itself.
    const parameters: Record<string, string> = {
      '/aws/service/eks/optimized-ami/1.31/amazon-linux-2023/x86_64/standard/recommended/image_id':
        amd64Image,
      '/aws/service/eks/optimized-ami/1.31/amazon-linux-2023/arm64/standard/recommended/image_id':
        arm64Image,
    };
    const aliasSsm = new SSMClient(awsClientConfig());
    intercept(aliasSsm, async (command, input, send) => {
      const value = command === 'GetParameter' ? parameters[String(input.Name)] : undefined;
      return value ? { Parameter: { Name: input.Name, Value: value } } : send();
    });
    const nodeClass = nodeClassFor(CLUSTER, {
      amiFamily: undefined,
      amiSelectorTerms: [{ alias: 'al2023@latest' }],
    });

    // Act
    const resolution = await resolveNodeClass(
      { ec2, ssm: aliasSsm },
      nodeClass,
      '1.31',
      NOW,
      throttled,
    );

    // Assess
    expect(resolution.amiFamily).toBe('AL2023');
    expect(
      resolution.amis.map((ami) => [ami.id, ami.requirements.map((r) => `${r.key} ${r.operator}`)]),
    ).toEqual([
      [
        amd64Image,
        [
          'kubernetes.io/arch In',
          'karpenter.k8s.aws/instance-gpu-count DoesNotExist',
          'karpenter.k8s.aws/instance-accelerator-count DoesNotExist',
        ],
      ],
      [
        arm64Image,
        [
          'kubernetes.io/arch In',
          'karpenter.k8s.aws/instance-gpu-count DoesNotExist',
          'karpenter.k8s.aws/instance-accelerator-count DoesNotExist',
        ],
      ],
    ]);
    expect(resolution.problems).toEqual({});
  });
});
