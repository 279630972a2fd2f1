import type { Node, NodePool, Pod } from '../../../lib/apis/index.ts';
import { Labels } from '../../../lib/apis/labels.ts';
import type { EC2NodeClass } from '../../../lib/apis/index.ts';
import type { InstanceType } from '../../../lib/cloudprovider/types.ts';
import {
  methodContext,
  type Candidate,
  type MethodContext,
  type UnseenNodePools,
} from '../../../lib/disruption/index.ts';
import { BlockingBudgets, ClusterSnapshot, nodeStateNode } from '../../../lib/state/index.ts';
import { instanceType } from '../../fixtures/instance-type.ts';
import { ManualClock } from '../../fixtures/manual-clock.ts';
import { HOUR, NOW, nodeClaim, nodePool, pod } from './fixtures.ts';

/** 1, 2, 4 and 8 cores at $0.05 a core-hour on demand, half that as spot, in zone-a to zone-c. */
export const TYPES = {
  small: instanceType('c.small', 1, 4),
  medium: instanceType('c.medium', 2, 8),
  large: instanceType('c.large', 4, 16),
  xlarge: instanceType('c.xlarge', 8, 32),
};

export interface WorldNode {
  readonly name: string;
  readonly type: InstanceType;
  readonly capacityType?: 'on-demand' | 'spot';
  /** CPU requests in millicores of the pods it runs. */
  readonly pods: readonly number[];
  readonly pool?: string;
  readonly claimOptions?: Parameters<typeof nodeClaim>[1];
}

export function cpuPod(name: string, nodeName: string, millicores: number): Pod {
  const base = pod(name, nodeName);
  return {
    ...base,
    spec: {
      ...base.spec,
      containers: [{ name: 'app', resources: { requests: { cpu: `${millicores}m` } } }],
    },
  };
}

function worldNode({ name, type, capacityType = 'on-demand', pool = 'general' }: WorldNode): Node {
  const memory = type.capacity['memory'] ?? 0;
  return {
    metadata: {
      name,
      labels: {
        ...type.labels,
        [Labels.nodePool]: pool,
        [Labels.capacityType]: capacityType,
        [Labels.zone]: 'zone-a',
        [Labels.hostname]: name,
      },
    },
    spec: { providerID: `aws:///zone-a/i-${name}` },
    status: {
      conditions: [{ type: 'Ready', status: 'True' }],
      capacity: { cpu: `${type.capacity['cpu']}m`, memory: String(memory), pods: '110' },
      allocatable: {
        cpu: `${(type.capacity['cpu'] ?? 0) - 100}m`,
        memory: String(memory - 100 * 2 ** 20),
        pods: '110',
      },
    },
  };
}

const NODE_CLASS = { metadata: { name: 'default' } } as unknown as EC2NodeClass;

/** NodePool `name` consolidating underutilized nodes at once, every node in its budget unless `disruption` says otherwise. */
export function consolidatingPool(
  name = 'general',
  disruption: object = {},
  annotations: Record<string, string> = {},
): NodePool {
  const pool = nodePool(name, {
    consolidateAfter: '0s',
    budgets: [{ nodes: '100%' }],
    ...disruption,
  });
  return { ...pool, metadata: { ...pool.metadata, annotations } };
}

/** {@link consolidatingPool} launching on-demand nodes only. */
export function onDemandPool(annotations: Record<string, string> = {}): NodePool {
  const pool = consolidatingPool('general', {}, annotations);
  const onDemand = { key: Labels.capacityType, operator: 'In' as const, values: ['on-demand'] };
  return {
    ...pool,
    spec: {
      ...pool.spec,
      template: {
        ...pool.spec.template,
        spec: { ...pool.spec.template.spec, requirements: [onDemand] },
      },
    },
  };
}

/** A snapshot of initialized, consolidatable nodes running the given pods, every NodePool offering `types`. */
export function world(
  nodes: readonly WorldNode[],
  pools: readonly NodePool[] = [consolidatingPool()],
  types: readonly InstanceType[] = Object.values(TYPES),
): ClusterSnapshot {
  const pods: Pod[] = [];
  const stateNodes = nodes.map((spec) => {
    const node = worldNode(spec);
    const claim = nodeClaim(spec.name, {
      pool: spec.pool ?? 'general',
      initializedAt: NOW - HOUR,
      consolidatable: true,
      labels: node.metadata.labels,
      ...spec.claimOptions,
    });
    const own = spec.pods.map((cpu, index) => cpuPod(`${spec.name}-${index}`, spec.name, cpu));
    pods.push(...own);
    return nodeStateNode(node, claim, own);
  });
  return new ClusterSnapshot({
    nodes: stateNodes,
    pods,
    daemonSets: [],
    budgets: new BlockingBudgets([]),
    nodePools: pools.map((nodePool) => ({ nodePool, nodeClass: NODE_CLASS, instanceTypes: types })),
    unavailableNodePools: [],
  });
}

export interface Recorded {
  readonly context: MethodContext;
  readonly unconsolidatable: Map<string, string>;
  readonly clock: ManualClock;
}

/** A method context over the snapshot at NOW, recording why candidates were passed over. */
export function contextOf(
  snapshot: ClusterSnapshot,
  options: {
    spotToSpot?: boolean;
    clock?: ManualClock;
    deadline?: number;
    unseenNodePools?: UnseenNodePools;
  } = {},
): Recorded {
  const clock = options.clock ?? new ManualClock(NOW);
  const unconsolidatable = new Map<string, string>();
  const context = methodContext({
    snapshot,
    disruptionClass: 'graceful',
    clock,
    deadline: options.deadline ?? Infinity,
    spotToSpotConsolidation: options.spotToSpot ?? false,
    ...(options.unseenNodePools && { unseenNodePools: options.unseenNodePools }),
    blocked: () => undefined,
    unconsolidatable: (candidate: Candidate, reason: string) =>
      unconsolidatable.set(candidate.name, reason),
  });
  return { context, unconsolidatable, clock };
}

export function names(candidates: readonly Candidate[] | undefined): string[] {
  return (candidates ?? []).map(({ name }) => name);
}
