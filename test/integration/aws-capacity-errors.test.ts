import {
  DeleteLaunchTemplateCommand,
  DescribeInstancesCommand,
  DescribeLaunchTemplatesCommand,
  EC2Client,
  StopInstancesCommand,
  type Instance,
  EC2ServiceException,
  type CreateFleetCommandInput,
  type CreateFleetError,
} from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AwsProviderCaches } from '../../lib/cloudprovider/aws/index.ts';
import { CloudProviderError, InsufficientCapacityError } from '../../lib/cloudprovider/errors.ts';
import { awsClientConfig, resetAws } from '../env/index.ts';
import { emulatedClientTokens, intercept, type Interceptor } from './aws-fault-injection.ts';
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
} from './aws-moto-fixtures.ts';

const CLUSTER = 'capacity-test';

/** Moto never reports capacity errors: this answers a CreateFleet as EC2 does when every override is out of capacity. */
function insufficientCapacity(request: object): { Instances: []; Errors: CreateFleetError[] } {
  const input = request as CreateFleetCommandInput;
  const lifecycle = input.SpotOptions ? 'spot' : 'on-demand';
  const errors = (input.LaunchTemplateConfigs ?? []).flatMap((config) =>
    (config.Overrides ?? []).map((override) => ({
      ErrorCode: 'InsufficientInstanceCapacity',
      ErrorMessage:
        'We currently do not have sufficient capacity in the Availability Zone you requested.',
      Lifecycle: lifecycle,
      LaunchTemplateAndOverrides: {
        LaunchTemplateSpecification: {
          LaunchTemplateName: config.LaunchTemplateSpecification?.LaunchTemplateName,
        },
        Overrides: {
          InstanceType: override.InstanceType,
          SubnetId: override.SubnetId,
          AvailabilityZone: override.AvailabilityZone,
        },
      },
    })),
  ) as CreateFleetError[];
  return { Instances: [], Errors: errors };
}

function throttlingError(): EC2ServiceException {
  return new EC2ServiceException({
    name: 'RequestLimitExceeded',
    $fault: 'client',
    $metadata: { httpStatusCode: 503 },
  });
}

describe('capacity errors, throttling and idempotency (fault injection over moto)', () => {
  let ec2: EC2Client;
  const caches = new AwsProviderCaches();
  let faults: Interceptor | undefined;
  const fleetRequests: CreateFleetCommandInput[] = [];
  const provider = (
    remainingMs?: () => number,
    containerCaches = caches,
  ): ReturnType<typeof testProvider> => {
    const faulty = new EC2Client(awsClientConfig());
    intercept(faulty, async (command, input, send) => {
      if (command === 'CreateFleet')
        fleetRequests.push(input as unknown as CreateFleetCommandInput);
      return faults ? faults(command, input, send) : send();
    });
    return testProvider({
      cluster: CLUSTER,
      nodeClass: () => nodeClassFor(CLUSTER),
      clients: motoClients(awsClientConfig(), { ec2: faulty }),
      caches: containerCaches,
      ...(remainingMs && { remainingMs }),
    });
  };

  beforeAll(async () => {
    await resetAws();
    ec2 = new EC2Client(awsClientConfig());
    await createNetwork(ec2, CLUSTER, ['us-east-1a', 'us-east-1b']);
    await createNodeRole(new IAMClient(awsClientConfig()));
    await createTaggedImage(ec2, 'x86_64', 'nodes-amd64', { [DISCOVERY_TAG]: CLUSTER });
    await provider().provider.getInstanceTypes(defaultNodePool); // warms the shared caches once
  });

  const instancesTagged = async (nodeClaim: string): Promise<Instance[]> =>
    (
      await ec2.send(
        new DescribeInstancesCommand({
          Filters: [{ Name: 'tag:karpenter.sh/nodeclaim', Values: [nodeClaim] }],
        }),
      )
    ).Reservations?.flatMap((reservation) => reservation.Instances ?? []) ?? [];

  beforeEach(() => {
    faults = undefined;
    fleetRequests.length = 0;
  });

  it('marks spot offerings out of capacity unavailable and falls back to on-demand', async () => {
    // Prepare
    faults = async (command, input, send) =>
      command === 'CreateFleet' && input.SpotOptions ? insufficientCapacity(input) : send();
    const { provider: cloud, logger } = provider();

    // Act
    const launched = await cloud.create(
      nodeClaimFor('ice-fallback', ['c5.large'], ['spot', 'on-demand']),
    );

    // Assess
    expect(launched.capacityType).toBe('on-demand');
    expect(
      fleetRequests.map(
        (request) => request.TargetCapacitySpecification?.DefaultTargetCapacityType,
      ),
    ).toEqual(['spot', 'on-demand']);
    const c5 = (await cloud.getInstanceTypes(defaultNodePool)).find(
      (type) => type.name === 'c5.large',
    );
    expect(
      c5?.offerings
        .filter((offering) => !offering.available)
        .map((offering) => offering.capacityType),
    ).toEqual(['spot', 'spot']);
    expect(logger.records).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: 'offerings out of capacity; trying the others',
      }),
    );
  });

  it('raises InsufficientCapacityError naming every offering once all are exhausted, launching nothing', async () => {
    // Prepare
    faults = async (command, input, send) =>
      command === 'CreateFleet' ? insufficientCapacity(input) : send();

    // Act
    const outcome = provider().provider.create(
      nodeClaimFor('ice-exhausted', ['c5.xlarge'], ['spot', 'on-demand']),
    );

    // Assess
    const error = await outcome.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InsufficientCapacityError);
    expect(
      (error as InsufficientCapacityError).exhausted
        .map((key) => `${key.capacityType}/${key.zone}`)
        .sort(),
    ).toEqual([
      'on-demand/us-east-1a',
      'on-demand/us-east-1b',
      'spot/us-east-1a',
      'spot/us-east-1b',
    ]);
    const owned = await ec2.send(
      new DescribeInstancesCommand({
        Filters: [{ Name: 'tag:karpenter.sh/nodeclaim', Values: ['ice-exhausted'] }],
      }),
    );
    expect(owned.Reservations ?? []).toHaveLength(0);
  });

  it('backs off RequestLimitExceeded and launches once EC2 stops throttling', async () => {
    // Prepare: moto never throttles.
    let throttled = 0;
    faults = async (command, _input, send) => {
      if (command === 'CreateFleet' && throttled < 3) {
        throttled++;
        throw throttlingError();
      }
      return send();
    };

    // Act
    const launched = await provider().provider.create(
      nodeClaimFor('throttled-ok', ['c5.2xlarge'], ['on-demand']),
    );

    // Assess
    expect(launched.instanceType).toBe('c5.2xlarge');
    expect(fleetRequests).toHaveLength(4);
  });

  it('fails with a CloudProviderError when the run has no time left to back off', async () => {
    // Prepare
    faults = async (command, _input, send) =>
      command === 'CreateFleet' ? Promise.reject(throttlingError()) : send();

    // Act
    const outcome = provider(() => 0).provider.create(
      nodeClaimFor('throttled-late', ['c5.2xlarge'], ['on-demand']),
    );

    // Assess
    await expect(outcome).rejects.toThrow(CloudProviderError);
    await expect(outcome).rejects.toThrow(
      /CreateFleet was throttled \(RequestLimitExceeded\) 1 time\(s\) and the run has no time left/,
    );
  });

  it('sends the NodeClaim’s own token again when a retry’s request differs, and finds the first instance by its tag', async () => {
    // Prepare: EC2's token semantics and its eventual consistency (the first lookup of the new
    // instance finds nothing); the retry runs in another container, which knows an offering the
    // first did not to be out of capacity, so its request differs.
    const ec2Tokens = emulatedClientTokens();
    let hiddenLookups = 1;
    faults = async (command, input, send) => {
      if (
        command === 'DescribeInstances' &&
        JSON.stringify(input).includes('karpenter.sh/nodeclaim') &&
        hiddenLookups > 0
      ) {
        hiddenLookups -= 1;
        return { Reservations: [] };
      }
      return ec2Tokens(command, input, send);
    };
    const uid = '7d3e2f10-1111-4222-8333-444455556666';
    const nodeClaim = nodeClaimFor('idempotent', ['c5.4xlarge'], ['on-demand'], uid);
    const first = await provider().provider.create(nodeClaim);
    const otherContainer = new AwsProviderCaches();
    otherContainer.unavailableOfferings.markUnavailable({
      instanceType: 'c5.4xlarge',
      zone: first.zone === 'us-east-1a' ? 'us-east-1b' : 'us-east-1a',
      capacityType: 'on-demand',
    });
    hiddenLookups = 1;

    // Act
    const retried = await provider(undefined, otherContainer).provider.create(nodeClaim);

    // Assess
    expect(retried.instanceID).toBe(first.instanceID);
    expect(fleetRequests.map((request) => request.ClientToken)).toEqual([`${uid}-0`, `${uid}-0`]);
    expect(JSON.stringify(fleetRequests[1]?.LaunchTemplateConfigs)).not.toBe(
      JSON.stringify(fleetRequests[0]?.LaunchTemplateConfigs),
    );
    expect(await instancesTagged('idempotent')).toHaveLength(1);
  });

  it('moves on to the next token when the one EC2 reports reused launched nothing', async () => {
    // Prepare: an earlier run's first call used the token and got only capacity errors
    const uid = '0c1d2e3f-1111-4222-8333-444455556666';
    const ec2Tokens = emulatedClientTokens({ [`${uid}-0`]: '{"an":"earlier request"}' });
    faults = ec2Tokens;

    // Act
    const launched = await provider().provider.create(
      nodeClaimFor('token-reused', ['r5.large'], ['on-demand'], uid),
    );

    // Assess
    expect(fleetRequests.map((request) => request.ClientToken)).toEqual([`${uid}-0`, `${uid}-1`]);
    expect((await instancesTagged('token-reused')).map((instance) => instance.InstanceId)).toEqual([
      launched.instanceID,
    ]);
  });

  it('finds a stopped instance of the NodeClaim instead of launching a second', async () => {
    // Prepare
    const nodeClaim = nodeClaimFor('stopped', ['m5.large'], ['on-demand']);
    const first = await provider().provider.create(nodeClaim);
    await ec2.send(new StopInstancesCommand({ InstanceIds: [first.instanceID] }));

    // Act
    const again = await provider().provider.create(nodeClaim);

    // Assess
    expect(again.instanceID).toBe(first.instanceID);
    expect(fleetRequests).toHaveLength(1);
    expect((await instancesTagged('stopped')).map((instance) => instance.State?.Name)).toEqual([
      'stopped',
    ]);
  });

  it('recreates a launch template that was deleted behind its back', async () => {
    // Prepare
    const { provider: cloud } = provider();
    await cloud.create(nodeClaimFor('template-first', ['m5.2xlarge'], ['on-demand']));
    const templateName =
      fleetRequests[0]?.LaunchTemplateConfigs?.[0]?.LaunchTemplateSpecification?.LaunchTemplateName;
    await ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateName: templateName }));

    // Act
    const launched = await cloud.create(
      nodeClaimFor('template-second', ['m5.2xlarge'], ['on-demand']),
    );

    // Assess
    expect(launched.instanceType).toBe('m5.2xlarge');
    const templates = await ec2.send(
      new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: [templateName ?? ''] }),
    );
    expect(templates.LaunchTemplates).toHaveLength(1);
  });
});
