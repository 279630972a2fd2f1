/**
 * The in-memory cluster of the consolidation benchmark: `nodes` initialized, consolidatable
 * nodes of one NodePool, each running `podsPerNode` pods, built straight into a ClusterSnapshot
 * (no API server) with the embedded catalog's us-east-1 instance types.
 */
import {
  NodeClaimSchema,
  NodePoolSchema,
  type EC2NodeClass,
  type Node,
  type NodePool,
  type Pod,
} from '../lib/apis/index.ts';
import { Labels } from '../lib/apis/labels.ts';
import {
  embeddedCatalog,
  instanceTypesFromCatalog,
} from '../lib/cloudprovider/ec2-model/catalog/index.ts';
import { BlockingBudgets, ClusterSnapshot, nodeStateNode } from '../lib/state/index.ts';

export interface BenchCluster {
  readonly snapshot: ClusterSnapshot;
  readonly now: number;
}

export interface BenchClusterShape {
  readonly nodes: number;
  readonly podsPerNode: number;
  /** The node's instance type. */
  readonly instanceType: string;
  /** Each pod's cpu request in millicores and memory in MiB. */
  readonly podCpuMillis: number;
  readonly podMemoryMiB: number;
  /** The NodePool's allowed instance types; undefined lets every catalog type in. */
  readonly allowedTypes?: readonly string[];
}

const NOW = Date.parse('2026-11-30T12:00:00Z');
const HOUR = 3_600_000;

function nodePool(allowedTypes: readonly string[] | undefined): NodePool {
  return NodePoolSchema.parse({
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name: 'general', uid: 'general-uid' },
    spec: {
      disruption: { budgets: [{ nodes: '100%' }] },
      template: {
        spec: {
          requirements: [
            { key: Labels.capacityType, operator: 'In', values: ['on-demand'] },
            ...(allowedTypes
              ? [{ key: Labels.instanceType, operator: 'In', values: [...allowedTypes] }]
              : []),
          ],
          nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
        },
      },
    },
  });
}

const NODE_CLASS = {
  apiVersion: 'karpenter.k8s.aws/v1',
  kind: 'EC2NodeClass',
  metadata: { name: 'default' },
  spec: { amiSelectorTerms: [{ alias: 'al2023@latest' }] },
} as unknown as EC2NodeClass;

function condition(type: string) {
  return {
    type,
    status: 'True',
    reason: type,
    lastTransitionTime: new Date(NOW - HOUR).toISOString(),
  };
}

export function benchCluster(shape: BenchClusterShape): BenchCluster {
  const instanceTypes = instanceTypesFromCatalog(embeddedCatalog('us-east-1'));
  const type = instanceTypes.find(({ name }) => name === shape.instanceType);
  if (!type) throw new Error(`no instance type ${shape.instanceType}`);
  const pool = nodePool(shape.allowedTypes);
  const pods: Pod[] = [];
  const nodes = Array.from({ length: shape.nodes }, (_, index) => {
    const name = `node-${String(index).padStart(4, '0')}`;
    const zone = `us-east-1${'abc'[index % 3]}`;
    const labels = {
      [Labels.nodePool]: 'general',
      [Labels.instanceType]: type.name,
      [Labels.capacityType]: 'on-demand',
      [Labels.zone]: zone,
      [Labels.hostname]: name,
      ...type.labels,
    };
    const claim = NodeClaimSchema.parse({
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodeClaim',
      metadata: {
        name,
        labels,
        creationTimestamp: new Date(NOW - 2 * HOUR).toISOString(),
      },
      spec: {
        requirements: [],
        nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
      },
      status: {
        providerID: `aws:///${zone}/i-${name}`,
        conditions: [condition('Launched'), condition('Initialized'), condition('Consolidatable')],
      },
    });
    const node: Node = {
      metadata: { name, labels },
      spec: { providerID: `aws:///${zone}/i-${name}` },
      status: {
        conditions: [{ type: 'Ready', status: 'True' }],
        capacity: {
          cpu: String(type.capacity['cpu']! / 1000),
          memory: String(type.capacity['memory']),
          pods: '110',
        },
        allocatable: {
          cpu: `${type.capacity['cpu']! - 100}m`,
          memory: String(type.capacity['memory']! - 1024 * 2 ** 20),
          pods: '110',
        },
      },
    };
    const nodePods = Array.from({ length: shape.podsPerNode }, (_, slot): Pod => ({
      metadata: {
        name: `${name}-pod-${slot}`,
        namespace: 'default',
        uid: `${name}-pod-${slot}-uid`,
        labels: { app: `app-${slot}` },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            name: `app-${slot}`,
            uid: `rs-${slot}`,
            controller: true,
          },
        ],
        creationTimestamp: new Date(NOW - HOUR).toISOString(),
      },
      spec: {
        nodeName: name,
        containers: [
          {
            name: 'app',
            resources: {
              requests: { cpu: `${shape.podCpuMillis}m`, memory: `${shape.podMemoryMiB}Mi` },
            },
          },
        ],
      },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
    }));
    pods.push(...nodePods);
    return nodeStateNode(node, claim, nodePods);
  });
  const snapshot = new ClusterSnapshot({
    nodes,
    pods,
    daemonSets: [],
    budgets: new BlockingBudgets([]),
    nodePools: [{ nodePool: pool, nodeClass: NODE_CLASS, instanceTypes }],
    unavailableNodePools: [],
  });
  return { snapshot, now: NOW };
}
