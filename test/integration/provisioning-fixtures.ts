/**
 * A provisioning world on the real test environment: a VPC, subnets, a security group and an AMI
 * in moto; an EC2NodeClass and a NodePool in the real kube-apiserver; the real KubeClient and
 * AwsCloudProvider; and pending pods that kube-scheduler marks Unschedulable. The NodePool
 * carries a taint and a label unique to `pool` that only this world's pods tolerate and select,
 * so pods and NodePools of other test files sharing the apiserver never mix with it.
 * Free of vitest, so the benchmark uses it too.
 */
import { readFileSync } from 'node:fs';
import { EC2Client, type EC2ClientConfig } from '@aws-sdk/client-ec2';
import { CoreV1Api, CustomObjectsApi, KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { Labels } from '../../lib/apis/labels.ts';
import {
  AwsCloudProvider,
  AwsProviderCaches,
  systemRetryTiming,
  type AwsClients,
} from '../../lib/cloudprovider/aws/index.ts';
import { ClientNodeTransport, kubeConfigFromFile } from '../../lib/kube/client-node/index.ts';
import {
  buildKubeClients,
  type KubeClients,
  type RateLimits,
  type ResourceTransport,
} from '../../lib/kube/index.ts';
import { systemClock } from '../../lib/util/clock.ts';
import {
  EventRecorder,
  type ProvisioningDeps,
  type RunLogger,
} from '../../lib/provisioning/index.ts';
import { overriding } from '../contract/kube/harness.ts';
import { httpsTransportFor } from '../env/kubeconfig.ts';
import {
  createNetwork,
  createNodeRole,
  createTaggedImage,
  DISCOVERY_TAG,
  motoClients,
  testProviderSettings,
} from './aws-moto-fixtures.ts';

export const POOL_LABEL = 'skyscale.test/pool';
const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];

export interface WorldOptions {
  readonly kubeConfigPath: string;
  readonly aws: EC2ClientConfig;
  /** Unique per test file: names the NodePool, EC2NodeClass, Lease and the moto tags. */
  readonly pool: string;
  readonly logger: RunLogger;
  readonly bulkLimits?: RateLimits;
  /** The NodePool's `spec.template.spec.terminationGracePeriod`; none by default. */
  readonly terminationGracePeriod?: string;
  /**
   * How the KubeClients reach the apiserver: client-node (the CLI's transport, the default) or
   * the Lambdas' HTTPS transport, which benchmarks use to measure what is deployed.
   */
  readonly transport?: 'client-node' | 'https';
}

/** Requests sent since the last reset, by service: `ec2` by command, `apiserver` by verb and resource. */
export interface RequestCounts {
  readonly ec2: Record<string, number>;
  readonly apiserver: Record<string, number>;
}

export interface ProvisioningWorld {
  readonly kube: KubeClients;
  /** What the world's provider and KubeClients have sent; `reset` starts counting afresh. */
  readonly requests: { counts(): RequestCounts; reset(): void };
  readonly core: CoreV1Api;
  /** An EC2 client straight to moto, for assertions. */
  readonly ec2: EC2Client;
  readonly clients: AwsClients;
  /** A provider over `clients` (or other clients, e.g. with faults injected). */
  cloud(clients?: AwsClients): AwsCloudProvider;
  deps(runId: string, overrides?: Partial<ProvisioningDeps>): ProvisioningDeps;
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/** `transport`, counting each request as `verb resource`. */
function counting(
  transport: ResourceTransport,
  countsNow: () => Record<string, number>,
): ResourceTransport {
  const count = (key: string): void => bump(countsNow(), key);
  return overriding(transport, {
    list: (type, request) => (count(`list ${type.plural}`), transport.list(type, request)),
    get: (type, key) => (count(`get ${type.plural}`), transport.get(type, key)),
    create: (type, object) => (count(`create ${type.plural}`), transport.create(type, object)),
    patch: (type, key, patch, subresource) => (
      count(`patch ${type.plural}${subresource ? `/${subresource}` : ''}`),
      transport.patch(type, key, patch, subresource)
    ),
    delete: (type, key, options) => (
      count(`delete ${type.plural}`),
      transport.delete(type, key, options)
    ),
    evict: (key) => (count('create pods/eviction'), transport.evict(key)),
  });
}

async function createKarpenterObjects(
  kubeConfig: KubeConfig,
  pool: string,
  terminationGracePeriod: string | undefined,
): Promise<void> {
  const custom = kubeConfig.makeApiClient(CustomObjectsApi);
  await custom.createClusterCustomObject({
    group: 'karpenter.k8s.aws',
    version: 'v1',
    plural: 'ec2nodeclasses',
    body: {
      apiVersion: 'karpenter.k8s.aws/v1',
      kind: 'EC2NodeClass',
      metadata: { name: pool },
      spec: {
        role: 'KarpenterNodeRole-test',
        amiFamily: 'AL2023',
        subnetSelectorTerms: [{ tags: { [DISCOVERY_TAG]: pool } }],
        securityGroupSelectorTerms: [{ tags: { [DISCOVERY_TAG]: pool } }],
        amiSelectorTerms: [{ tags: { [DISCOVERY_TAG]: pool } }],
      },
    },
  });
  await custom.createClusterCustomObject({
    group: 'karpenter.sh',
    version: 'v1',
    plural: 'nodepools',
    body: {
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodePool',
      metadata: { name: pool },
      spec: {
        template: {
          metadata: { labels: { [POOL_LABEL]: pool } },
          spec: {
            requirements: [
              { key: Labels.instanceCategory, operator: 'In', values: ['c', 'm'] },
              { key: Labels.instanceGeneration, operator: 'Gt', values: ['4'] },
              { key: Labels.arch, operator: 'In', values: ['amd64'] },
            ],
            taints: [{ key: POOL_LABEL, value: pool, effect: 'NoSchedule' }],
            nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: pool },
            ...(terminationGracePeriod !== undefined && { terminationGracePeriod }),
          },
        },
      },
    },
  });
}

export async function createProvisioningWorld(options: WorldOptions): Promise<ProvisioningWorld> {
  const { pool, logger } = options;
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(options.kubeConfigPath);
  const clients = motoClients(options.aws);
  let counts: RequestCounts = { ec2: {}, apiserver: {} };
  clients.ec2.middlewareStack.add(
    (next, context) => (args) => (bump(counts.ec2, context.commandName ?? '?'), next(args)),
    { step: 'initialize', name: 'countRequests' },
  );
  await createNetwork(clients.ec2, pool, ZONES);
  await createNodeRole(clients.iam);
  await createTaggedImage(clients.ec2, 'x86_64', `${pool}-amd64`, { [DISCOVERY_TAG]: pool });
  await createKarpenterObjects(kubeConfig, pool, options.terminationGracePeriod);

  const kube = buildKubeClients(
    () =>
      counting(
        options.transport === 'https'
          ? httpsTransportFor(readFileSync(options.kubeConfigPath, 'utf8'))
          : new ClientNodeTransport(kubeConfigFromFile(options.kubeConfigPath)),
        () => counts.apiserver,
      ),
    { clusterName: pool, logger, bulkLimits: options.bulkLimits },
  );
  const caches = new AwsProviderCaches();
  const settings = testProviderSettings(pool, '1.34');
  const cloud = (over: AwsClients = clients): AwsCloudProvider =>
    new AwsCloudProvider({
      clients: over,
      settings,
      caches,
      // As in the Lambda: the node class comes from the apiserver.
      nodeClasses: async (name) =>
        (await kube.kube.listEC2NodeClasses()).items.find(({ metadata }) => metadata.name === name),
      timing: systemRetryTiming(() => 60_000),
      clock: systemClock,
      logger,
    });
  const provider = cloud();
  // One per world, as a Lambda container keeps one across its runs.
  const recorder = new EventRecorder(systemClock);
  return {
    kube,
    requests: {
      counts: () => counts,
      reset: () => {
        counts = { ec2: {}, apiserver: {} };
      },
    },
    core: kubeConfig.makeApiClient(CoreV1Api),
    ec2: new EC2Client(options.aws),
    clients,
    cloud,
    deps: (runId, overrides = {}) => ({
      kube,
      cloud: provider,
      clock: systemClock,
      logger,
      runId,
      deadline: Date.now() + 120_000,
      recorder,
      ...overrides,
    }),
  };
}

export interface PendingPodsOptions {
  readonly prefix: string;
  readonly count: number;
  /** Default 1 (with 1 GiB of memory). */
  readonly cpu?: string;
  /** Each pod refuses to share a node with another of the same prefix. */
  readonly onePerNode?: boolean;
}

/** Pods that only this world's NodePool can take, labelled `app: <prefix>`. */
export async function createPendingPods(
  world: ProvisioningWorld,
  namespace: string,
  pool: string,
  options: PendingPodsOptions,
): Promise<string[]> {
  const { prefix, count, cpu = '1', onePerNode = false } = options;
  const names = Array.from({ length: count }, (_, index) => `${prefix}-${index}`);
  const antiAffinity = {
    podAntiAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [
        { labelSelector: { matchLabels: { app: prefix } }, topologyKey: Labels.hostname },
      ],
    },
  };
  await Promise.all(
    names.map((name) =>
      world.core.createNamespacedPod({
        namespace,
        body: {
          metadata: { name, labels: { app: prefix } },
          spec: {
            nodeSelector: { [POOL_LABEL]: pool },
            tolerations: [
              { key: POOL_LABEL, operator: 'Equal', value: pool, effect: 'NoSchedule' },
            ],
            ...(onePerNode ? { affinity: antiAffinity } : {}),
            containers: [
              {
                name: 'app',
                image: 'registry.k8s.io/pause:3.10',
                resources: { requests: { cpu, memory: '1Gi' } },
              },
            ],
          },
        },
      }),
    ),
  );
  return names;
}

function isUnschedulable(pod: V1Pod): boolean {
  return (pod.status?.conditions ?? []).some(
    ({ type, status, reason }) =>
      type === 'PodScheduled' && status === 'False' && reason === 'Unschedulable',
  );
}

/** Waits until kube-scheduler has marked every named pod Unschedulable. */
export async function waitUntilUnschedulable(
  world: ProvisioningWorld,
  namespace: string,
  names: readonly string[],
  timeoutMs = 60_000,
): Promise<void> {
  const wanted = new Set(names);
  const giveUpAt = Date.now() + timeoutMs;
  for (;;) {
    const { items } = await world.core.listNamespacedPod({ namespace });
    const waiting = items.filter(
      (pod) => wanted.has(pod.metadata?.name ?? '') && !isUnschedulable(pod),
    ).length;
    if (
      waiting === 0 &&
      items.filter((pod) => wanted.has(pod.metadata?.name ?? '')).length === wanted.size
    )
      return;
    if (Date.now() > giveUpAt)
      throw new Error(
        `${waiting} of ${wanted.size} pods are still not Unschedulable after ${timeoutMs} ms`,
      );
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Deletes the pods of a test file's namespace at its end: provisioning passes are cluster-wide,
 * so pods left pending would be counted by the next file's passes.
 */
export async function deleteTestPods(world: ProvisioningWorld, namespace: string): Promise<void> {
  await world.core.deleteCollectionNamespacedPod({ namespace, gracePeriodSeconds: 0 });
}
