import {
  DescribeInstancesCommand,
  EC2Client,
  EC2ServiceException,
  type CreateFleetCommandInput,
  type CreateFleetCommandOutput,
} from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AwsProviderCaches } from '../../lib/cloudprovider/aws/index.ts';
import { awsClientConfig, resetAws } from '../env/index.ts';
import { emulatedClientTokens, intercept, type Interceptor } from './aws-fault-injection.ts';
import {
  createNetwork,
  createNodeRole,
  createTaggedImage,
  defaultNodePool,
  DISCOVERY_TAG,
  motoClients,
  nodeClaimFor,
  nodeClassFor,
  testProvider,
} from './aws-moto-fixtures.ts';

const CLUSTER = 'fleet-batching-test';

describe('CreateFleet batching (moto)', () => {
  let ec2: EC2Client;
  const caches = new AwsProviderCaches();
  let faults: Interceptor | undefined;
  const fleetRequests: CreateFleetCommandInput[] = [];
  const provider = (): ReturnType<typeof testProvider> => {
    const recorded = new EC2Client(awsClientConfig());
    intercept(recorded, async (command, input, send) => {
      if (command === 'CreateFleet')
        fleetRequests.push(structuredClone(input) as unknown as CreateFleetCommandInput);
      return faults ? faults(command, input, send) : send();
    });
    return testProvider({
      cluster: CLUSTER,
      nodeClass: () => nodeClassFor(CLUSTER),
      clients: motoClients(awsClientConfig(), { ec2: recorded }),
      caches,
    });
  };
  const capacities = (): (number | undefined)[] =>
    fleetRequests.map((request) => request.TargetCapacitySpecification?.TotalTargetCapacity);
  const nodeClaimTagOf = async (instanceId: string): Promise<string | undefined> => {
    const described = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    return described.Reservations?.[0]?.Instances?.[0]?.Tags?.find(
      ({ Key }) => Key === 'karpenter.sh/nodeclaim',
    )?.Value;
  };

  beforeAll(async () => {
    await resetAws();
    ec2 = new EC2Client(awsClientConfig());
    await createNetwork(ec2, CLUSTER, ['us-east-1a', 'us-east-1b']);
    await createNodeRole(new IAMClient(awsClientConfig()));
    await createTaggedImage(ec2, 'x86_64', 'nodes-amd64', { [DISCOVERY_TAG]: CLUSTER });
    await provider().provider.getInstanceTypes(defaultNodePool); // warms the shared caches once
  });

  beforeEach(() => {
    faults = undefined;
    fleetRequests.length = 0;
  });

  it('launches claims that ask for the same offerings at once with one call, one instance each, tagged with its claim', async () => {
    // Prepare
    const { provider: cloud } = provider();
    const names = ['same-1', 'same-2', 'same-3', 'same-4'];

    // Act
    const launched = await Promise.all(
      names.map((name) => cloud.create(nodeClaimFor(name, ['m5.large'], ['on-demand']))),
    );

    // Assess
    expect(capacities()).toEqual([4]);
    expect(new Set(launched.map(({ instanceID }) => instanceID)).size).toBe(4);
    expect(launched.map(({ nodeClaimName }) => nodeClaimName)).toEqual(names);
    expect(await Promise.all(launched.map(({ instanceID }) => nodeClaimTagOf(instanceID)))).toEqual(
      names,
    );
    const again = await cloud.create(nodeClaimFor('same-3', ['m5.large'], ['on-demand']));
    expect(again.instanceID).toBe(launched[2]?.instanceID);
    expect(capacities()).toEqual([4]);
  });

  it('never merges claims that ask for different offerings', async () => {
    // Prepare
    const { provider: cloud } = provider();

    // Act
    const launched = await Promise.all([
      cloud.create(nodeClaimFor('large-1', ['m5.large'], ['on-demand'])),
      cloud.create(nodeClaimFor('xlarge-1', ['m5.xlarge'], ['on-demand'])),
      cloud.create(nodeClaimFor('large-2', ['m5.large'], ['on-demand'])),
    ]);

    // Assess
    expect(capacities().sort()).toEqual([1, 2]);
    expect(launched.map(({ instanceType }) => instanceType)).toEqual([
      'm5.large',
      'm5.xlarge',
      'm5.large',
    ]);
  });

  it('on partial fulfilment, marks the offerings EC2 reports out of capacity and launches the claims left over on the others', async () => {
    // Prepare: EC2 launches one m5.large of the three asked for and reports the zone's m5.large out of capacity
    const { provider: cloud } = provider();
    let partial = true;
    faults = async (command, input, send) => {
      if (command !== 'CreateFleet' || !partial) return send();
      partial = false;
      const request = input as unknown as CreateFleetCommandInput;
      const overrides = request.LaunchTemplateConfigs?.[0]?.Overrides ?? [];
      const [launchIn, outOfCapacity] = overrides;
      request.LaunchTemplateConfigs = [
        { ...request.LaunchTemplateConfigs?.[0], Overrides: launchIn ? [launchIn] : [] },
      ];
      request.TargetCapacitySpecification = {
        ...request.TargetCapacitySpecification,
        TotalTargetCapacity: 1,
      };
      const answer = (await send()) as CreateFleetCommandOutput;
      return {
        ...answer,
        Errors: [
          {
            ErrorCode: 'InsufficientInstanceCapacity',
            ErrorMessage: 'We currently do not have sufficient m5.large capacity in the zone.',
            LaunchTemplateAndOverrides: { Overrides: outOfCapacity },
          },
        ],
      };
    };

    // Act
    const launched = await Promise.all(
      ['part-1', 'part-2', 'part-3'].map((name) =>
        cloud.create(nodeClaimFor(name, ['m5.large'], ['on-demand'])),
      ),
    );

    // Assess
    const exhaustedZone =
      fleetRequests[0]?.LaunchTemplateConfigs?.[0]?.Overrides?.[1]?.AvailabilityZone;
    expect(exhaustedZone).toBeDefined();
    expect(capacities()).toEqual([3, 2]);
    expect(new Set(launched.map(({ instanceID }) => instanceID)).size).toBe(3);
    expect(launched.filter(({ zone }) => zone === exhaustedZone)).toHaveLength(0);
    expect(
      caches.unavailableOfferings.entries().map(({ zone, instanceType }) => [instanceType, zone]),
    ).toContainEqual(['m5.large', exhaustedZone]);
    expect(await Promise.all(launched.map(({ instanceID }) => nodeClaimTagOf(instanceID)))).toEqual(
      ['part-1', 'part-2', 'part-3'],
    );
  });

  it('hands the error of a call that failed as a whole to every claim of it', async () => {
    // Prepare
    const { provider: cloud } = provider();
    faults = async (command, _input, send) => {
      if (command !== 'CreateFleet') return send();
      throw new EC2ServiceException({
        name: 'UnauthorizedOperation',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
      });
    };

    // Act
    const outcomes = await Promise.allSettled(
      ['denied-1', 'denied-2'].map((name) =>
        cloud.create(nodeClaimFor(name, ['c5.large'], ['on-demand'])),
      ),
    );

    // Assess
    expect(capacities()).toEqual([2]);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      expect((outcome as PromiseRejectedResult).reason).toMatchObject({
        name: 'UnauthorizedOperation',
      });
    }
  });

  it('hands each claim the same instance again when EC2 answers a retried merged call from its token', async () => {
    // Prepare: EC2's token semantics; the tags written after the first call are lost, so only the token can tell
    faults = emulatedClientTokens();
    const claims = ['retry-1', 'retry-2', 'retry-3'].map((name) =>
      nodeClaimFor(name, ['r5.large'], ['on-demand']),
    );
    const { provider: cloud } = provider();
    const instanceTypes = await cloud.getInstanceTypes(defaultNodePool);
    const inputs = { nodeClass: nodeClassFor(CLUSTER), instanceTypes, newlyCreated: true };
    const first = await Promise.all(claims.map((claim) => cloud.create(claim, inputs)));

    // Act
    const retrying = provider().provider;
    const retried = await Promise.all(
      [...claims].reverse().map((claim) => retrying.create(claim, inputs)),
    );

    // Assess
    expect(capacities()).toEqual([3, 3]);
    expect(fleetRequests[1]?.ClientToken).toBe(fleetRequests[0]?.ClientToken);
    expect(retried.reverse().map(({ instanceID }) => instanceID)).toEqual(
      first.map(({ instanceID }) => instanceID),
    );
  });
});
