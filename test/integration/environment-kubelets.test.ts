/**
 * The environment's stand-ins for real nodes: an instance launched through Skyscale's
 * AwsCloudProvider in moto is registered as a Node by the test registrar, KWOK makes it Ready and
 * runs its pods, and kube-controller-manager keeps Deployments and Jobs going on it.
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  KubeConfig,
  type V1Node,
  type V1PodSpec,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { Labels, Taints } from '../../lib/apis/labels.ts';
import {
  awsClientConfig,
  createTestNamespace,
  kubeConfigYaml,
  resetAws,
  startNodeRegistrar,
  type NodeRegistrar,
} from '../env/index.ts';
import {
  createNetwork,
  createNodeRole,
  createTaggedImage,
  DISCOVERY_TAG,
  nodeClaimFor,
  nodeClassFor,
  motoClients,
  testProvider,
} from './aws-moto-fixtures.ts';
import { deploymentOf, pauseContainer, upPods } from './workload-fixtures.ts';

const CLUSTER = 'kubelets-test';
const BOOT_DELAY_MS = 2_000;
const WAIT = { timeout: 30_000, interval: 250 };

function condition(node: V1Node, type: string): string | undefined {
  return node.status?.conditions?.find((candidate) => candidate.type === type)?.status;
}

describe('nodes registered for launched instances, run by KWOK and kube-controller-manager', () => {
  let core: CoreV1Api;
  let apps: AppsV1Api;
  let batch: BatchV1Api;
  let namespace: string;
  let registrar: NodeRegistrar;
  let instanceId: string;
  let launchedAt: number;
  let nodeNameRightAfterLaunch: string | undefined;
  let nodeName: string;
  /** Pods pinned to the registered node, tolerating its taints (no lifecycle run lifts them here). */
  let podSpec: (containerName: string) => V1PodSpec;

  beforeAll(async () => {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(kubeConfigYaml());
    core = kubeConfig.makeApiClient(CoreV1Api);
    apps = kubeConfig.makeApiClient(AppsV1Api);
    batch = kubeConfig.makeApiClient(BatchV1Api);
    namespace = await createTestNamespace('kubelets');
    await resetAws();
    const ec2 = new EC2Client(awsClientConfig());
    await createNetwork(ec2, CLUSTER, ['us-east-1a']);
    await createNodeRole(new IAMClient(awsClientConfig()));
    await createTaggedImage(ec2, 'x86_64', 'nodes-amd64', { [DISCOVERY_TAG]: CLUSTER });
    const { provider } = testProvider({
      cluster: CLUSTER,
      nodeClass: () => nodeClassFor(CLUSTER),
      clients: motoClients(awsClientConfig(), { ec2 }),
    });
    registrar = startNodeRegistrar({ clusterName: CLUSTER, delayMs: BOOT_DELAY_MS });
    launchedAt = Date.now();
    const launched = await provider.create(nodeClaimFor('kubelets-a', ['m5.large'], ['on-demand']));
    instanceId = launched.instanceID;
    nodeNameRightAfterLaunch = registrar.nodeNameOf(instanceId);
  });

  afterAll(async () => {
    await registrar.stop();
  });

  it('registers the instance as a Node after the boot delay, and KWOK makes it Ready', async () => {
    // Act
    const node = await vi.waitFor(async () => {
      const name = registrar.nodeNameOf(instanceId);
      if (name === undefined) throw new Error('the instance has not registered yet');
      const found = await core.readNode({ name });
      if (condition(found, 'Ready') !== 'True') throw new Error('the Node is not Ready yet');
      return found;
    }, WAIT);
    nodeName = node.metadata?.name ?? '';

    // Assess: creationTimestamp has whole seconds
    expect(nodeNameRightAfterLaunch).toBeUndefined();
    expect(node.metadata?.creationTimestamp?.getTime()).toBeGreaterThanOrEqual(
      Math.floor((launchedAt + BOOT_DELAY_MS) / 1000) * 1000,
    );
    expect(node.spec?.providerID).toMatch(new RegExp(`^aws:///us-east-1a/${instanceId}$`));
    expect(node.metadata?.labels).toMatchObject({
      [Labels.nodePool]: 'default',
      [Labels.instanceType]: 'm5.large',
      team: 'web',
    });
    expect(node.spec?.taints).toEqual(
      expect.arrayContaining([
        { key: 'dedicated', value: 'web', effect: 'NoSchedule' },
        Taints.unregistered,
      ]),
    );
    // kube-controller-manager's node lifecycle lifts the not-ready taint admission put on it
    await vi.waitFor(async () => {
      const taints = (await core.readNode({ name: nodeName })).spec?.taints ?? [];
      expect(taints.map(({ key }) => key)).not.toContain('node.kubernetes.io/not-ready');
    }, WAIT);

    podSpec = (containerName) => ({
      nodeSelector: { [Labels.hostname]: nodeName },
      tolerations: [
        { key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' },
        { key: Taints.unregistered.key, operator: 'Exists', effect: 'NoExecute' },
      ],
      containers: [pauseContainer(containerName, { cpu: '100m', memory: '64Mi' })],
    });
  });

  it('runs a Deployment’s pods on the Node, and the ReplicaSet replaces an evicted one', async () => {
    // Prepare
    await apps.createNamespacedDeployment({
      namespace,
      body: deploymentOf('web', 3, podSpec('web')),
    });
    const before = await vi.waitFor(async () => {
      const pods = await upPods(core, namespace, 'web');
      expect(pods).toHaveLength(3);
      return pods;
    }, WAIT);
    expect(new Set(before.map((pod) => pod.spec?.nodeName))).toEqual(new Set([nodeName]));
    const evicted = before[0]?.metadata?.name ?? '';

    // Act
    await core.createNamespacedPodEviction({
      name: evicted,
      namespace,
      body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: evicted, namespace } },
    });

    // Assess
    const after = await vi.waitFor(async () => {
      const pods = await upPods(core, namespace, 'web');
      expect(pods.map((pod) => pod.metadata?.name)).not.toContain(evicted);
      expect(pods).toHaveLength(3);
      return pods;
    }, WAIT);
    expect(new Set(after.map((pod) => pod.spec?.nodeName))).toEqual(new Set([nodeName]));
  });

  it('completes a Job on the Node', async () => {
    // Act
    await batch.createNamespacedJob({
      namespace,
      body: {
        metadata: { name: 'once' },
        spec: {
          completions: 2,
          template: { spec: { ...podSpec('once'), restartPolicy: 'Never' } },
        },
      },
    });

    // Assess
    const job = await vi.waitFor(async () => {
      const read = await batch.readNamespacedJob({ name: 'once', namespace });
      const complete = read.status?.conditions?.find(({ type }) => type === 'Complete');
      if (complete?.status !== 'True') throw new Error('the Job has not completed yet');
      return read;
    }, WAIT);
    expect(job.status?.succeeded).toBe(2);
    const { items: pods } = await core.listNamespacedPod({
      namespace,
      labelSelector: 'job-name=once',
    });
    expect(pods.map((pod) => [pod.spec?.nodeName, pod.status?.phase])).toEqual([
      [nodeName, 'Succeeded'],
      [nodeName, 'Succeeded'],
    ]);
  });
});
