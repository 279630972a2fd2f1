import {
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
} from '@aws-sdk/client-ec2';
import { GetInstanceProfileCommand, type InstanceProfile } from '@aws-sdk/client-iam';
import {
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { EC2NodeClass } from '../../lib/apis/index.ts';
import { NODE_CLASS_FINALIZER } from '../../lib/cloudprovider/index.ts';
import { runProvisioning } from '../../lib/provisioning/index.ts';
import { runNodeClassPass, runObjectPass } from '../../lib/tick/index.ts';
import { awsClientConfig, createTestNamespace, kubeConfigPath, resetAws } from '../env/index.ts';
import { recordingRunLogger } from '../fixtures/recording-run-logger.ts';
import { DISCOVERY_TAG, NODE_ROLE } from './aws-moto-fixtures.ts';
import {
  createPendingPods,
  createProvisioningWorld,
  deleteTestPods,
  waitUntilUnschedulable,
  type ProvisioningWorld,
} from './provisioning-fixtures.ts';

const POOL = 'nodeclass-ctl';
const CLASSES = { group: 'karpenter.k8s.aws', version: 'v1', plural: 'ec2nodeclasses' };
const MERGE_PATCH = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const TableSchema = z.object({
  columnDefinitions: z.array(z.object({ name: z.string(), priority: z.number().optional() })),
  rows: z.array(
    z.object({
      cells: z.array(z.unknown()),
      object: z.object({ metadata: z.object({ name: z.string() }) }),
    }),
  ),
});

describe('the EC2NodeClass controller against the real kube-apiserver and moto', () => {
  let world: ProvisioningWorld;
  let namespace: string;
  let custom: CustomObjectsApi;
  const logger = recordingRunLogger();

  const nodeClass = async (): Promise<EC2NodeClass | undefined> =>
    (await world.kube.kube.listEC2NodeClasses()).items.find(
      ({ metadata }) => metadata.name === POOL,
    );
  const condition = (found: EC2NodeClass | undefined, type: string) =>
    found?.status?.conditions?.find((entry) => entry.type === type);
  const profile = async (name: string): Promise<InstanceProfile | undefined> => {
    try {
      return (
        await world.clients.iam.send(new GetInstanceProfileCommand({ InstanceProfileName: name }))
      ).InstanceProfile;
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchEntityException') return undefined;
      throw error;
    }
  };
  const launchTemplatesOfClass = async (): Promise<string[]> => {
    const described = await world.ec2.send(
      new DescribeLaunchTemplatesCommand({
        Filters: [{ Name: 'tag:karpenter.k8s.aws/ec2nodeclass', Values: [POOL] }],
      }),
    );
    return (described.LaunchTemplates ?? []).map(
      ({ LaunchTemplateName }) => LaunchTemplateName ?? '',
    );
  };
  const patchSubnetTerms = (tags: Record<string, string>) =>
    custom.patchClusterCustomObject(
      { ...CLASSES, name: POOL, body: { spec: { subnetSelectorTerms: [{ tags }] } } },
      MERGE_PATCH,
    );

  beforeAll(async () => {
    await resetAws();
    namespace = await createTestNamespace('nodeclass');
    world = await createProvisioningWorld({
      kubeConfigPath: kubeConfigPath(),
      aws: awsClientConfig(),
      pool: POOL,
      logger,
    });
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(kubeConfigPath());
    custom = kubeConfig.makeApiClient(CustomObjectsApi);
  });

  it('makes the class Ready with its resolved status, its instance profile and its finalizer; kubectl’s READY column says True', async () => {
    // Act
    const result = await runNodeClassPass(world.deps('nodeclass-ready'));

    // Assess
    const found = await nodeClass();
    expect(result.ready).toContain(POOL);
    expect(found?.metadata.finalizers).toContain(NODE_CLASS_FINALIZER);
    expect(found?.status?.subnets?.map(({ zone }) => zone).sort()).toEqual([
      'us-east-1a',
      'us-east-1b',
      'us-east-1c',
    ]);
    expect(found?.status?.securityGroups).toHaveLength(1);
    expect(found?.status?.amis).toHaveLength(1);
    expect(condition(found, 'Ready')).toMatchObject({
      status: 'True',
      observedGeneration: found?.metadata.generation,
    });
    const profileName = found?.status?.instanceProfile ?? '';
    expect(profileName).toMatch(new RegExp(`^${POOL}_\\d+$`));
    const created = await profile(profileName);
    expect(created?.Path).toBe(`/karpenter/us-east-1/${POOL}/`);
    expect(created?.Roles?.map(({ RoleName }) => RoleName)).toEqual([NODE_ROLE]);
    const table = TableSchema.parse(
      await custom.listClusterCustomObject(
        CLASSES,
        setHeaderOptions('Accept', 'application/json;as=Table;v=v1;g=meta.k8s.io'),
      ),
    );
    const readyColumn = table.columnDefinitions.findIndex(({ name }) => name === 'Ready');
    const row = table.rows.find(({ object }) => object.metadata.name === POOL);
    expect(row?.cells[readyColumn]).toBe('True');
  });

  it('writes nothing on a second pass when nothing changed', async () => {
    // Prepare
    const before = await nodeClass();

    // Act
    const result = await runNodeClassPass(world.deps('nodeclass-again'));

    // Assess
    expect(result.statusWritten).not.toContain(POOL);
    expect((await nodeClass())?.metadata.resourceVersion).toBe(before?.metadata.resourceVersion);
  });

  it('launches a class with `role` into the instance profile it created', async () => {
    // Prepare
    const names = await createPendingPods(world, namespace, POOL, { prefix: 'profiled', count: 1 });
    await waitUntilUnschedulable(world, namespace, names);

    // Act
    const result = await runProvisioning(world.deps('nodeclass-launch'));

    // Assess
    expect(result.status === 'completed' && result.nodeClaimsLaunched).toHaveLength(1);
    const [template] = await launchTemplatesOfClass();
    const versions = await world.ec2.send(
      new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: template }),
    );
    expect(versions.LaunchTemplateVersions?.[0]?.LaunchTemplateData?.IamInstanceProfile?.Name).toBe(
      (await nodeClass())?.status?.instanceProfile,
    );
    await deleteTestPods(world, namespace);
  });

  it('reports a class whose subnets are gone NotReady with the reason, on the class and its NodePool, and launches nothing for it', async () => {
    // Prepare
    await patchSubnetTerms({ [DISCOVERY_TAG]: 'no-such-subnets' });
    const names = await createPendingPods(world, namespace, POOL, { prefix: 'blocked', count: 1 });
    await waitUntilUnschedulable(world, namespace, names);

    // Act
    const result = await runNodeClassPass(world.deps('nodeclass-broken'));
    await runObjectPass(world.deps('nodeclass-nodepool'));
    const provisioning = await runProvisioning(world.deps('nodeclass-blocked'));

    // Assess
    const found = await nodeClass();
    expect(result.notReady.map(({ name }) => name)).toContain(POOL);
    expect(condition(found, 'SubnetsReady')).toMatchObject({
      status: 'False',
      reason: 'SubnetsNotFound',
      observedGeneration: found?.metadata.generation,
    });
    expect(condition(found, 'SubnetsReady')?.message).toContain('no-such-subnets');
    expect(condition(found, 'Ready')).toMatchObject({
      status: 'False',
      reason: 'UnhealthyDependents',
    });
    const nodePool = (await world.kube.kube.listNodePools()).items.find(
      ({ metadata }) => metadata.name === POOL,
    );
    expect(
      nodePool?.status?.conditions?.find(({ type }) => type === 'NodeClassReady'),
    ).toMatchObject({ status: 'False', reason: 'UnhealthyDependents' });
    const events = await world.core.listNamespacedEvent({
      namespace: 'default',
      fieldSelector: `involvedObject.name=${POOL},reason=NodeClassNotReady`,
    });
    expect(events.items.length).toBeGreaterThan(0);
    expect(provisioning.status === 'completed' && provisioning.nodeClaimsCreated).toEqual([]);
    await deleteTestPods(world, namespace);
    await patchSubnetTerms({ [DISCOVERY_TAG]: POOL });
  });

  it('on deletion waits for the class’s NodeClaims, then deletes its launch templates and instance profile and lets it go', async () => {
    // Prepare
    await runNodeClassPass(world.deps('nodeclass-restored'));
    const profileName = (await nodeClass())?.status?.instanceProfile ?? '';
    expect(await launchTemplatesOfClass()).not.toEqual([]);
    await custom.deleteClusterCustomObject({ ...CLASSES, name: POOL });

    // Act
    const waiting = await runNodeClassPass(world.deps('nodeclass-waiting'));
    for (const claim of (await world.kube.kube.listNodeClaims()).items)
      if (claim.spec.nodeClassRef.name === POOL)
        await world.kube.kube.deleteNodeClaim(claim.metadata.name ?? '');
    for (let pass = 0; pass < 10; pass += 1) {
      const claims = (await world.kube.kube.listNodeClaims()).items;
      if (!claims.some(({ spec }) => spec.nodeClassRef.name === POOL)) break;
      await runObjectPass(world.deps(`nodeclass-terminate-${pass}`));
    }
    const done = await runNodeClassPass(world.deps('nodeclass-finalize'));

    // Assess
    expect(waiting.deletionWaiting.map(({ name }) => name)).toContain(POOL);
    expect(done.finalized).toContain(POOL);
    expect(await nodeClass()).toBeUndefined();
    expect(await launchTemplatesOfClass()).toEqual([]);
    expect(await profile(profileName)).toBeUndefined();
  });
});
