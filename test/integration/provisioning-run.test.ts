import { DescribeInstancesCommand, EC2Client, type Instance } from '@aws-sdk/client-ec2';
import { beforeAll, describe, expect, it } from 'vitest';
import { Labels, type NodeClaim } from '../../lib/apis/index.ts';
import {
  runProvisioning,
  type CompletedProvisioning,
  type ProvisioningResult,
} from '../../lib/provisioning/index.ts';
import { awsClientConfig, createTestNamespace, kubeConfigPath, resetAws } from '../env/index.ts';
import { CrashAfterLaunchCloud } from '../fixtures/crashing-cloud.ts';
import { recordingRunLogger } from '../fixtures/recording-run-logger.ts';
import { intercept } from './aws-fault-injection.ts';
import {
  createPendingPods,
  createProvisioningWorld,
  POOL_LABEL,
  waitUntilUnschedulable,
  type ProvisioningWorld,
} from './provisioning-fixtures.ts';

const POOL = 'provisioning-run';

function completed(result: ProvisioningResult): CompletedProvisioning {
  if (result.status !== 'completed')
    throw new Error(`the run was ${result.status}: ${result.reason}`);
  return result;
}

describe('provisioning against the real kube-apiserver, kube-scheduler and moto', () => {
  let world: ProvisioningWorld;
  let namespace: string;
  const logger = recordingRunLogger();

  async function poolClaims(): Promise<NodeClaim[]> {
    return (await world.kube.kube.listNodeClaims()).items.filter(
      ({ metadata }) => metadata.labels?.[Labels.nodePool] === POOL,
    );
  }

  async function poolInstances(): Promise<Instance[]> {
    const described = await world.ec2.send(
      new DescribeInstancesCommand({
        Filters: [
          { Name: `tag:${Labels.nodePool}`, Values: [POOL] },
          { Name: 'instance-state-name', Values: ['pending', 'running'] },
        ],
      }),
    );
    return (described.Reservations ?? []).flatMap(({ Instances }) => Instances ?? []);
  }

  async function nominatedPods(): Promise<string[]> {
    const events = await world.core.listNamespacedEvent({ namespace });
    return events.items
      .filter(({ reason }) => reason === 'Nominated')
      .flatMap(({ involvedObject }) => involvedObject.name ?? []);
  }

  async function pendingPods(prefix: string, count: number, cpu?: string): Promise<string[]> {
    const names = await createPendingPods(world, namespace, POOL, { prefix, count, cpu });
    await waitUntilUnschedulable(world, namespace, names);
    return names;
  }

  beforeAll(async () => {
    await resetAws();
    namespace = await createTestNamespace('provisioning');
    world = await createProvisioningWorld({
      kubeConfigPath: kubeConfigPath(),
      aws: awsClientConfig(),
      pool: POOL,
      logger,
    });
  });

  it('creates and launches NodeClaims for 50 Unschedulable pods, with their instances tagged in EC2', async () => {
    // Prepare
    const pods = await pendingPods('web', 50);

    // Act
    const startedAt = Date.now();
    const result = completed(await runProvisioning(world.deps('first-run')));
    const runSeconds = (Date.now() - startedAt) / 1000;

    // Assess
    const claims = await poolClaims();
    expect(result.podsNominated).toBe(pods.length);
    expect(result.unschedulablePods).toEqual([]);
    expect(claims.map(({ metadata }) => metadata.name).toSorted()).toEqual(
      result.nodeClaimsCreated.toSorted(),
    );
    expect(result.nodeClaimsLaunched.toSorted()).toEqual(result.nodeClaimsCreated.toSorted());
    for (const claim of claims) {
      expect(claim.metadata.labels).toMatchObject({ [POOL_LABEL]: POOL, [Labels.nodePool]: POOL });
      expect(claim.spec.requirements).toEqual(
        expect.arrayContaining([
          { key: Labels.instanceCategory, operator: 'In', values: ['c', 'm'] },
          { key: Labels.arch, operator: 'In', values: ['amd64'] },
          expect.objectContaining({ key: Labels.instanceType, operator: 'In' }),
        ]),
      );
      expect(claim.spec.taints).toEqual([{ key: POOL_LABEL, value: POOL, effect: 'NoSchedule' }]);
      expect(claim.status?.conditions).toContainEqual(
        expect.objectContaining({ type: 'Launched', status: 'True' }),
      );
      expect(claim.status?.providerID).toMatch(/^aws:\/\/\/us-east-1[abc]\/i-[0-9a-f]+$/);
    }
    const instances = await poolInstances();
    expect(instances.map(({ InstanceId }) => InstanceId).toSorted()).toEqual(
      claims.map(({ status }) => status?.providerID?.split('/').at(-1)).toSorted(),
    );
    for (const instance of instances) {
      const tags = Object.fromEntries((instance.Tags ?? []).map(({ Key, Value }) => [Key, Value]));
      expect(tags).toMatchObject({
        [Labels.nodePool]: POOL,
        [Labels.ec2NodeClass]: POOL,
        [`kubernetes.io/cluster/${POOL}`]: 'owned',
      });
      expect(claims.map(({ metadata }) => metadata.name)).toContain(tags['karpenter.sh/nodeclaim']);
    }
    // Nominated events are rate-limited as Karpenter's are: a burst of 10, then 5 a second.
    const nominated = await nominatedPods();
    expect(nominated.length).toBeGreaterThanOrEqual(10);
    expect(nominated.length).toBeLessThanOrEqual(Math.min(pods.length, 10 + 5 * runSeconds));
    expect(new Set(nominated).size).toBe(nominated.length);
    expect(pods).toEqual(expect.arrayContaining(nominated));
  });

  it('creates nothing on a second invocation: the in-flight NodeClaims hold the pods', async () => {
    // Prepare
    const claimsBefore = await poolClaims();

    const nominatedBefore = await nominatedPods();

    // Act
    const result = completed(await runProvisioning(world.deps('second-run')));

    // Assess: the pods nominated again within two minutes get no second event.
    expect(result.nodeClaimsCreated).toEqual([]);
    expect(result.podsNominated).toBe(50);
    expect((await nominatedPods()).toSorted()).toEqual(nominatedBefore.toSorted());
    expect(await poolClaims()).toHaveLength(claimsBefore.length);
    expect(await poolInstances()).toHaveLength(claimsBefore.length);
  });

  it('never lets two concurrent invocations both create NodeClaims', async () => {
    // Prepare: pods too large for the room left on the NodeClaims already in flight.
    await pendingPods('burst', 20, '6');
    const claimsBefore = await poolClaims();

    // Act
    const results = await Promise.all([
      runProvisioning(world.deps('concurrent-a')),
      runProvisioning(world.deps('concurrent-b')),
    ]);

    // Assess
    const created = results.map((result) =>
      result.status === 'completed' ? result.nodeClaimsCreated.length : 0,
    );
    expect(created.filter((count) => count > 0)).toHaveLength(1);
    const claimsAfter = await poolClaims();
    expect(claimsAfter).toHaveLength(
      claimsBefore.length + created.reduce((sum, count) => sum + count, 0),
    );
    const followUp = completed(await runProvisioning(world.deps('after-concurrent')));
    expect(followUp.nodeClaimsCreated).toEqual([]);
  });

  it('completes a run killed after launching but before recording, with no duplicate instances', async () => {
    // Prepare: moto ignores ClientToken and lists new instances at once, so the EC2 client here
    // emulates EC2's idempotency (a repeated token returns the first answer) and its eventual
    // consistency (a just-launched instance is not listed yet): only the ClientToken can then
    // keep the retried launch from creating a second instance.
    await pendingPods('batch', 12, '6');
    const answers = new Map<string, unknown>();
    const ec2 = new EC2Client(awsClientConfig());
    intercept(ec2, async (command, input, send) => {
      if (
        command === 'DescribeInstances' &&
        JSON.stringify(input).includes('karpenter.sh/nodeclaim')
      )
        return { Reservations: [] };
      if (command !== 'CreateFleet') return send();
      const token = String(input['ClientToken']);
      if (!answers.has(token)) answers.set(token, await send());
      return answers.get(token);
    });
    const cloud = world.cloud({ ...world.clients, ec2 });
    const dying = new CrashAfterLaunchCloud(cloud);
    const killed = completed(await runProvisioning(world.deps('killed-run', { cloud: dying })));
    const instancesAfterKill = await poolInstances();

    // Act
    const resumed = completed(await runProvisioning(world.deps('resuming-run', { cloud })));

    // Assess
    expect(killed.nodeClaimsCreated.length).toBeGreaterThan(0);
    expect(killed.launchFailures.map(({ name }) => name).toSorted()).toEqual(
      killed.nodeClaimsCreated.toSorted(),
    );
    expect(resumed.nodeClaimsCreated).toEqual([]);
    expect(resumed.nodeClaimsLaunched.toSorted()).toEqual(killed.nodeClaimsCreated.toSorted());
    expect(await poolInstances()).toHaveLength(instancesAfterKill.length);
    const resumedClaims = (await poolClaims()).filter(({ metadata }) =>
      killed.nodeClaimsCreated.includes(metadata.name ?? ''),
    );
    expect(resumedClaims.map(({ status }) => status?.providerID).toSorted()).toEqual(
      dying.launched.map(({ providerID }) => providerID).toSorted(),
    );
  });
});
