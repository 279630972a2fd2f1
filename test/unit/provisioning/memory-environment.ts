/**
 * A provisioning environment entirely in memory: the in-memory kube-apiserver (MemoryCluster)
 * behind the real KubeClient and Lease lock, and the simulated EC2 over the embedded catalog.
 * Tests arrange objects through the raw transport, as an apiserver client would.
 */
import { Labels } from '../../../lib/apis/labels.ts';
import type { NodePool, Pod } from '../../../lib/apis/index.ts';
import { embeddedCatalog } from '../../../lib/cloudprovider/ec2-model/catalog/index.ts';
import {
  SimulatedCloud,
  type SimulatedReservation,
} from '../../../lib/cloudprovider/simulated/index.ts';
import {
  buildKubeClients,
  ResourceTypes,
  type JsonObject,
  type KubeClients,
} from '../../../lib/kube/index.ts';
import { MemoryCluster } from '../../../lib/kube/memory/index.ts';
import type { ProvisioningDeps } from '../../../lib/provisioning/index.ts';
import { recordingRunLogger } from '../../fixtures/recording-run-logger.ts';
import { ManualClock } from '../../fixtures/manual-clock.ts';

export const CLUSTER_NAME = 'unit';
export const NODE_CLASS_NAME = 'default';
const UNLIMITED = { qps: 1_000_000, burst: 1_000_000 };

export class MemoryEnvironment {
  readonly clock = new ManualClock();
  readonly cluster = new MemoryCluster({ clock: this.clock });
  readonly logger = recordingRunLogger();
  readonly kube: KubeClients = buildKubeClients(() => this.cluster, {
    clusterName: CLUSTER_NAME,
    logger: this.logger,
    clock: this.clock,
    bulkLimits: UNLIMITED,
    // Several runs in a row on a clock that only tests advance: no waiting for lease tokens.
    leaseLimits: UNLIMITED,
  });
  readonly cloud: SimulatedCloud;
  private runs = 0;

  /** `capacityReservations` exist in the simulated EC2, and the node class selects them all. */
  constructor(private readonly capacityReservations: readonly SimulatedReservation[] = []) {
    this.cloud = new SimulatedCloud({
      catalog: embeddedCatalog('us-east-1'),
      clock: this.clock,
      nodeClass: async (name) =>
        (await this.kube.kube.listEC2NodeClasses()).items.find(
          ({ metadata }) => metadata.name === name,
        ),
      capacityReservations,
    });
  }

  /** Dependencies of one run, with a fresh run ID and five minutes to go. */
  deps(overrides: Partial<ProvisioningDeps> = {}): ProvisioningDeps {
    this.runs += 1;
    return {
      kube: this.kube,
      cloud: this.cloud,
      clock: this.clock,
      logger: this.logger,
      runId: `run-${this.runs}`,
      deadline: this.clock.now() + 300_000,
      ...overrides,
    };
  }

  async create(
    type: (typeof ResourceTypes)[keyof typeof ResourceTypes],
    object: object,
  ): Promise<JsonObject> {
    return this.cluster.create(type, object as JsonObject);
  }

  async createNodeClass(): Promise<void> {
    await this.create(ResourceTypes.ec2NodeClass, {
      metadata: { name: NODE_CLASS_NAME },
      spec: {
        role: 'KarpenterNodeRole-unit',
        amiSelectorTerms: [{ alias: 'al2023@latest' }],
        subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': CLUSTER_NAME } }],
        securityGroupSelectorTerms: [{ tags: { 'karpenter.sh/discovery': CLUSTER_NAME } }],
        ...(this.capacityReservations.length > 0 && {
          capacityReservationSelectorTerms: this.capacityReservations.map(({ id }) => ({ id })),
        }),
      },
    });
  }

  /** A NodePool of on-demand amd64 m5 instances (cheap to plan over), with `spec` merged in. */
  async createNodePool(name: string, spec: Record<string, unknown> = {}): Promise<NodePool> {
    return (await this.create(ResourceTypes.nodePool, {
      metadata: { name },
      spec: {
        template: {
          metadata: { labels: { team: 'platform' } },
          spec: {
            requirements: [
              { key: Labels.capacityType, operator: 'In', values: ['on-demand'] },
              { key: Labels.instanceFamily, operator: 'In', values: ['m5'] },
              { key: Labels.arch, operator: 'In', values: ['amd64'] },
            ],
            nodeClassRef: {
              group: 'karpenter.k8s.aws',
              kind: 'EC2NodeClass',
              name: NODE_CLASS_NAME,
            },
            expireAfter: '720h',
          },
        },
        ...spec,
      },
    })) as unknown as NodePool;
  }

  /** A pod kube-scheduler has marked Unschedulable. */
  async createPendingPod(
    name: string,
    overrides: {
      cpu?: string;
      memory?: string;
      metadata?: Record<string, unknown>;
      spec?: Record<string, unknown>;
    } = {},
  ): Promise<Pod> {
    const pod = await this.create(ResourceTypes.pod, podObject(name, overrides));
    const key = { name, namespace: 'default' };
    const condition = {
      type: 'PodScheduled',
      status: 'False',
      reason: 'Unschedulable',
      message: '0/0 nodes are available',
    };
    return (await this.cluster.patch(
      ResourceTypes.pod,
      key,
      { status: { ...(pod['status'] as object), conditions: [condition] } },
      'status',
    )) as unknown as Pod;
  }

  async events(): Promise<
    {
      reason: string;
      message: string;
      type: string;
      involvedObject: { kind: string; name: string };
    }[]
  > {
    const page = await this.cluster.list(ResourceTypes.event, { limit: 100_000 });
    return page.items as never;
  }
}

export function podObject(
  name: string,
  {
    cpu = '1',
    memory = '1Gi',
    metadata = {},
    spec = {},
  }: {
    cpu?: string;
    memory?: string;
    metadata?: Record<string, unknown>;
    spec?: Record<string, unknown>;
  } = {},
): JsonObject {
  return {
    metadata: { name, namespace: 'default', ...metadata },
    spec: {
      containers: [{ name: 'app', image: 'app', resources: { requests: { cpu, memory } } }],
      ...spec,
    },
  };
}
