import { instanceCost, type SimulatedInstance } from '../cloudprovider/simulated/index.ts';
import type { Decision } from './decision-log.ts';
import type { Sample } from './metrics.ts';
import type { PodRecord } from './pod-ledger.ts';
import type { SimulationResult } from './simulation.ts';

export interface InstanceTypeLine {
  readonly instanceType: string;
  readonly capacityType: string;
  readonly launched: number;
  readonly terminated: number;
  readonly costUSD: number;
}

export interface NodePoolLine {
  readonly nodePool: string;
  readonly launched: number;
  readonly running: number;
  readonly costUSD: number;
  /** Pod-hours of workload pods (DaemonSets excluded) that ran on the pool's nodes. */
  readonly podHours: number;
  /** The NodePool's status conditions at the end, as `Type=Status (Reason)`. */
  readonly conditions: readonly string[];
}

export interface PendingTime {
  /**
   * Workload pods (DaemonSet pods are left out): those bound, from creation to binding, and
   * those never bound, from creation until they went or the run ended.
   */
  readonly pods: number;
  /** Of those, pods that were never bound. */
  readonly neverScheduled: number;
  readonly p50Seconds: number;
  readonly p95Seconds: number;
  readonly maxSeconds: number;
}

/** A spot instance EC2 reclaimed, from its two-minute warning. */
export interface InterruptionLine {
  readonly instanceId: string;
  readonly instanceType: string;
  readonly zone: string;
  readonly nodePool: string;
  /** Seconds since the start. */
  readonly warnedAtSeconds: number;
}

/** How many NodeClaims the disruption run took out of service for one reason. */
export interface DisruptionLine {
  readonly reason: string;
  readonly nodeClaims: number;
}

/** The run's cost against the lower bound of the pods it ran (see `fleetLowerBound`). */
export interface CostLine {
  readonly totalUSD: number;
  readonly perHourUSD: number;
  /** The lower bound of the workload pods running at each moment, integrated over the run. */
  readonly lowerBoundUSD: number;
  /** `totalUSD / lowerBoundUSD`; null when no pod ran. */
  readonly ratioToLowerBound: number | null;
  /** At the end of the run: the price per hour of the instances still running, and the bound. */
  readonly end: {
    readonly perHourUSD: number;
    readonly lowerBoundPerHourUSD: number;
    /** Null when no pod runs at the end. */
    readonly ratioToLowerBound: number | null;
  };
}

/** Everything `skyscale simulate` reports; `-o json` prints exactly this. */
export interface SimulationReport {
  readonly scenario: { readonly name: string; readonly description?: string | undefined };
  readonly start: string;
  readonly durationSeconds: number;
  readonly nodes: {
    readonly launched: number;
    readonly terminated: number;
    readonly byInstanceType: readonly InstanceTypeLine[];
  };
  readonly cost: CostLine;
  readonly pendingTime: PendingTime;
  readonly pods: {
    readonly created: number;
    readonly scheduled: number;
    readonly unschedulable: readonly { readonly pod: string; readonly reason: string }[];
  };
  readonly nodePools: readonly NodePoolLine[];
  readonly interruptions: readonly InterruptionLine[];
  /** Disruptions by reason, most frequent first. */
  readonly disruptions: readonly DisruptionLine[];
  readonly runs: Readonly<Record<string, number>>;
  readonly decisions: readonly Decision[];
  readonly samples: readonly Sample[];
}

/** The nearest-rank percentile of ascending `sorted` values; 0 when there are none. */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? 0
  );
}

function pendingTime(pods: readonly PodRecord[], duration: number): PendingTime {
  const workload = pods.filter((pod) => !pod.daemonSet);
  const waits = workload
    .map((pod) => ((pod.boundAt ?? pod.endedAt ?? duration) - pod.createdAt) / 1000)
    .sort((a, b) => a - b);
  return {
    pods: waits.length,
    neverScheduled: workload.filter((pod) => pod.boundAt === undefined).length,
    p50Seconds: percentile(waits, 0.5),
    p95Seconds: percentile(waits, 0.95),
    maxSeconds: waits.at(-1) ?? 0,
  };
}

function byInstanceType(instances: readonly SimulatedInstance[], end: number): InstanceTypeLine[] {
  const lines = new Map<string, InstanceTypeLine>();
  for (const instance of instances) {
    const key = `${instance.instanceType.name}/${instance.capacityType}`;
    const line = lines.get(key) ?? {
      instanceType: instance.instanceType.name,
      capacityType: instance.capacityType,
      launched: 0,
      terminated: 0,
      costUSD: 0,
    };
    lines.set(key, {
      ...line,
      launched: line.launched + 1,
      terminated: line.terminated + (instance.terminatedAt === undefined ? 0 : 1),
      costUSD: line.costUSD + instanceCost(instance, end),
    });
  }
  return [...lines.values()].sort(
    (a, b) => b.costUSD - a.costUSD || a.instanceType.localeCompare(b.instanceType),
  );
}

function byNodePool(result: SimulationResult, end: number): NodePoolLine[] {
  const poolOfNode = new Map(
    result.instances.map((instance) => [instance.nodeName, instance.nodePool]),
  );
  const lines = new Map<
    string,
    { launched: number; running: number; costUSD: number; podHours: number }
  >();
  const line = (nodePool: string) => {
    let found = lines.get(nodePool);
    if (!found) lines.set(nodePool, (found = { launched: 0, running: 0, costUSD: 0, podHours: 0 }));
    return found;
  };
  for (const nodePool of result.scenario.nodePools) line(nodePool.metadata.name ?? '');
  for (const instance of result.instances) {
    const entry = line(instance.nodePool);
    entry.launched += 1;
    entry.running += instance.terminatedAt === undefined ? 1 : 0;
    entry.costUSD += instanceCost(instance, end);
  }
  for (const pod of result.pods) {
    const nodePool = pod.node === undefined ? undefined : poolOfNode.get(pod.node);
    if (nodePool === undefined || pod.daemonSet || pod.boundAt === undefined) continue;
    line(nodePool).podHours += ((pod.endedAt ?? result.duration) - pod.boundAt) / 3_600_000;
  }
  const conditions = new Map(
    result.nodePoolConditions.map(({ nodePool, conditions: list }) => [
      nodePool,
      list.map(({ type, status, reason }) => `${type}=${status} (${reason})`),
    ]),
  );
  return [...lines].map(([nodePool, entry]) => ({
    nodePool,
    ...entry,
    conditions: conditions.get(nodePool) ?? [],
  }));
}

function disruptionsByReason(result: SimulationResult): DisruptionLine[] {
  const counts = new Map<string, number>();
  for (const { reason } of result.disruptions) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  return [...counts]
    .map(([reason, nodeClaims]) => ({ reason, nodeClaims }))
    .sort((a, b) => b.nodeClaims - a.nodeClaims || a.reason.localeCompare(b.reason));
}

function ratio(cost: number, bound: number): number | null {
  return bound > 0 ? cost / bound : null;
}

function costLine(result: SimulationResult, end: number): CostLine {
  const totalUSD = result.instances.reduce((sum, instance) => sum + instanceCost(instance, end), 0);
  const endPerHourUSD = result.instances
    .filter(({ launchedAt, terminatedAt }) => launchedAt <= end && terminatedAt === undefined)
    .reduce((sum, { priceUSDPerHour }) => sum + priceUSDPerHour, 0);
  const { totalUSD: lowerBoundUSD, endPerHourUSD: lowerBoundPerHourUSD } = result.lowerBound;
  return {
    totalUSD,
    perHourUSD: result.duration > 0 ? totalUSD / (result.duration / 3_600_000) : 0,
    lowerBoundUSD,
    ratioToLowerBound: ratio(totalUSD, lowerBoundUSD),
    end: {
      perHourUSD: endPerHourUSD,
      lowerBoundPerHourUSD,
      ratioToLowerBound: ratio(endPerHourUSD, lowerBoundPerHourUSD),
    },
  };
}

/** Turns a finished simulation into its report. */
export function buildReport(result: SimulationResult): SimulationReport {
  const end = result.startTime + result.duration;
  const workloadPods = result.pods.filter((pod) => !pod.daemonSet);
  const stillPending = workloadPods.filter(
    (pod) => pod.boundAt === undefined && pod.endedAt === undefined,
  );
  return {
    scenario: { name: result.scenario.name, description: result.scenario.description },
    start: new Date(result.startTime).toISOString(),
    durationSeconds: result.duration / 1000,
    nodes: {
      launched: result.instances.length,
      terminated: result.instances.filter((instance) => instance.terminatedAt !== undefined).length,
      byInstanceType: byInstanceType(result.instances, end),
    },
    cost: costLine(result, end),
    pendingTime: pendingTime(result.pods, result.duration),
    pods: {
      created: workloadPods.length,
      scheduled: workloadPods.filter((pod) => pod.boundAt !== undefined).length,
      unschedulable: stillPending.map((pod) => ({
        pod: pod.key,
        reason:
          pod.provisioningReason ??
          pod.schedulerMessage ??
          'waiting for a node that has not registered',
      })),
    },
    nodePools: byNodePool(result, end),
    interruptions: result.instances.flatMap(
      ({ id, instanceType, zone, nodePool, interruptedAt }) =>
        interruptedAt === undefined
          ? []
          : [
              {
                instanceId: id,
                instanceType: instanceType.name,
                zone,
                nodePool,
                warnedAtSeconds: (interruptedAt - result.startTime) / 1000,
              },
            ],
    ),
    disruptions: disruptionsByReason(result),
    runs: result.runs,
    decisions: result.decisions,
    samples: result.samples,
  };
}
