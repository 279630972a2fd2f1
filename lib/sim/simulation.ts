import { durationMilliseconds } from '../apis/index.ts';
import { embeddedCatalog } from '../cloudprovider/ec2-model/catalog/index.ts';
import { SimulatedCloud, type SimulatedInstance } from '../cloudprovider/simulated/index.ts';
import { buildKubeClients, type KubeClients } from '../kube/index.ts';
import { MemoryCluster } from '../kube/memory/index.ts';
import { createKubeClient } from '../kube/kube-client-over-transport.ts';
import { BatchWindow } from './batch-window.ts';
import { costLowerBound, type CostLowerBound, type NodeOffer } from './cost-lower-bound.ts';
import { ClusterControllers } from './cluster-controllers.ts';
import { type Decision, DecisionLog } from './decision-log.ts';
import { type DisruptionRecord, DisruptionRecords } from './disruption-summary.ts';
import { EventQueue, type ScheduleAt } from './event-queue.ts';
import { followUps } from './follow-ups.ts';
import { Metrics, type Sample } from './metrics.ts';
import { NodeLifecycle } from './node-lifecycle.ts';
import { nodeOffers, type NodePoolVersion } from './node-offers.ts';
import { type PodRecord, PodLedger } from './pod-ledger.ts';
import type { Scenario } from './scenario-schema.ts';
import { SimCluster } from './sim-cluster.ts';
import type { CloudEvent, RunContext, SimulatedRun, SimulationRuns } from './simulation-runs.ts';
import { Timeline } from './timeline.ts';
import { VirtualClock } from './virtual-clock.ts';
import { WorkloadController } from './workload-controller.ts';

/** A Monday morning, so schedules in NodePool budgets read naturally; any fixed time would do. */
export const DEFAULT_START_TIME = Date.parse('2026-01-05T08:00:00Z');
export const TICK_MS = 60_000;
/** A scenario without a fixed `duration` runs on until its work is done, but at most this much longer. */
export const MAX_EXTENSION_MS = 3_600_000;
/** The budget a run gets, as a Lambda's remaining time less its safety margin would give it. */
export const RUN_BUDGET_MS = 60_000;

/** Everything the runs are composed from. */
export interface SimulationWorld {
  readonly clock: VirtualClock;
  readonly kube: KubeClients;
  readonly cloud: SimulatedCloud;
  readonly log: DecisionLog;
  readonly ledger: PodLedger;
  readonly disruptions: DisruptionRecords;
}

/** A NodePool's status conditions when the simulation ended. */
export interface NodePoolConditions {
  readonly nodePool: string;
  readonly conditions: readonly { type: string; status: string; reason: string }[];
}

export interface SimulationOptions {
  readonly scenario: Scenario;
  readonly runs: (world: SimulationWorld) => SimulationRuns;
  /** Called as simulated time passes, with the share of the scenario done (0 to 1). */
  readonly onProgress?: (done: number) => void;
  readonly startTime?: number;
}

export interface SimulationResult {
  readonly scenario: Scenario;
  readonly startTime: number;
  /** Simulated milliseconds. */
  readonly duration: number;
  readonly instances: readonly SimulatedInstance[];
  readonly pods: readonly PodRecord[];
  readonly decisions: readonly Decision[];
  readonly samples: readonly Sample[];
  readonly disruptions: readonly DisruptionRecord[];
  readonly runs: Readonly<Record<string, number>>;
  readonly nodePoolConditions: readonly NodePoolConditions[];
  /** Every node the NodePools could launch during the run (each version of them), for the bound. */
  readonly offers: readonly NodeOffer[];
  /** The cost lower bound of the workload pods running at each moment. */
  readonly lowerBound: CostLowerBound;
}

/**
 * The least the scenario runs: its `duration`, else its last step (and what that step lets pass)
 * plus `settle`. Without a `duration` it then goes on while pods are pending or Jobs unfinished,
 * for at most {@link MAX_EXTENSION_MS}.
 */
export function scenarioDuration(scenario: Scenario): number {
  const { duration, settle } = scenario.settings;
  if (duration !== undefined) return durationMilliseconds(duration);
  const last = Math.max(
    ...scenario.timeline.map(
      (step) =>
        durationMilliseconds(step.at) + (step.advance ? durationMilliseconds(step.advance) : 0),
    ),
  );
  return last + durationMilliseconds(settle);
}

/** Runs Skyscale's runs as Lambda invocations would: each counted, with its own budget, and failing alone. */
function invoker(clock: VirtualClock, log: DecisionLog) {
  const counts: Record<string, number> = {};
  const invoke = async (name: string, run: SimulatedRun): Promise<void> => {
    counts[name] = (counts[name] ?? 0) + 1;
    const context: RunContext = {
      runId: `${name}-${counts[name]}`,
      deadline: clock.now() + RUN_BUDGET_MS,
    };
    try {
      await clock.drive(run(context));
    } catch (error) {
      // A Lambda invocation that throws fails alone; the next trigger runs again.
      log.record(
        'cluster',
        `${context.runId} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  };
  return { counts, invoke };
}

/** The simulated world and its event queue, wired together and seeded; nothing has happened yet. */
interface WiredSimulation {
  readonly clock: VirtualClock;
  readonly cluster: SimCluster;
  readonly cloud: SimulatedCloud;
  readonly queue: EventQueue;
  readonly log: DecisionLog;
  readonly ledger: PodLedger;
  readonly disruptions: DisruptionRecords;
  readonly workloads: WorkloadController;
  readonly controllers: ClusterControllers;
  readonly nodes: NodeLifecycle;
  readonly counts: Readonly<Record<string, number>>;
  /** Pods kube-scheduler left Unschedulable when the cluster last came to rest. */
  readonly unschedulable: { count: number };
  /** The NodePools and EC2NodeClasses at the start and after each patch. */
  readonly nodePoolVersions: readonly NodePoolVersion[];
}

/**
 * Builds the cluster, the cloud and Skyscale's runs, and queues the scenario's steps, the
 * provisioning trigger's batch window and the one-minute tick.
 */
async function wire(options: SimulationOptions, startTime: number): Promise<WiredSimulation> {
  const { scenario } = options;
  const clock = new VirtualClock(startTime);
  const elapsed = (): number => clock.now() - startTime;
  const log = new DecisionLog(elapsed);
  const memory = new MemoryCluster({ clock });
  const logger = {
    warn: (message: string, attributes: Record<string, unknown>) =>
      log.record('cluster', `${message} ${JSON.stringify(attributes)}`),
  };
  // Skyscale's runs get rate-limited clients, as in Lambda; the simulated controllers read unthrottled.
  const kube = buildKubeClients(() => memory, { clusterName: 'simulated', clock, logger });
  const cluster = new SimCluster(memory, createKubeClient(memory, { clock, logger }), clock);
  const cloud = new SimulatedCloud({
    catalog: embeddedCatalog(scenario.settings.region),
    clock,
    bootDelayMs: durationMilliseconds(scenario.settings.bootDelay),
    nodeClass: async (name) =>
      (await cluster.kube.listEC2NodeClasses()).items.find(
        ({ metadata }) => metadata.name === name,
      ),
  });
  await cluster.seed(scenario);
  const ledger = new PodLedger();
  const unschedulable = { count: 0 };
  const disruptions = new DisruptionRecords(elapsed);
  const runs = options.runs({ clock, kube, cloud, log, ledger, disruptions });

  const queue = new EventQueue();
  const at: ScheduleAt = (time, run) => queue.add({ at: time, run });
  const { counts, invoke } = invoker(clock, log);
  const followUp = followUps(runs, () => clock.now(), at, invoke);

  const window = new BatchWindow();
  const closeWindow = async (): Promise<void> => {
    if (window.close(clock.now())) {
      await invoke('provisioning', runs.provisioning);
      followUp();
    } else at(window.closesAt() ?? clock.now(), closeWindow);
  };
  const podCreated = (): void => {
    if (window.trigger(clock.now())) at(window.closesAt() ?? clock.now(), closeWindow);
  };

  const workloads = new WorkloadController();
  const controllers = new ClusterControllers(
    cluster,
    clock,
    workloads,
    scenario.daemonSets,
    ledger,
    log,
    { podCreated, at },
    startTime,
  );
  const nodes = new NodeLifecycle(cloud, cluster, ledger, log, at, elapsed);
  const deliver = async (events: readonly CloudEvent[]): Promise<void> => {
    const { interruption } = runs;
    if (!interruption) return;
    await invoke('interruption', (context) => interruption(events, context));
    followUp();
  };
  const nodePoolVersions: NodePoolVersion[] = [scenario];
  const timeline = new Timeline(workloads, cloud, log, {
    clock,
    at,
    deliver,
    deleteNodeClaims: async (request) => {
      const deleted = await cluster.deleteNodeClaims(request);
      followUp();
      return deleted;
    },
    patchObject: async (kind, request) => {
      await cluster.patchObject(kind, request);
      const [nodePools, nodeClasses] = await Promise.all([
        cluster.kube.listNodePools(),
        cluster.kube.listEC2NodeClasses(),
      ]);
      nodePoolVersions.push({ nodePools: nodePools.items, nodeClasses: nodeClasses.items });
    },
    annotatePods: (request) => cluster.annotatePods(request),
  });
  for (const step of scenario.timeline)
    at(startTime + durationMilliseconds(step.at), () => timeline.perform(step));
  const tick = async (): Promise<void> => {
    at(clock.now() + TICK_MS, tick);
    for (const run of runs.tick) await invoke('tick', run);
    followUp();
  };
  at(startTime + TICK_MS, tick);
  return {
    clock,
    cluster,
    cloud,
    queue,
    log,
    ledger,
    disruptions,
    workloads,
    controllers,
    nodes,
    counts,
    unschedulable,
    nodePoolVersions,
  };
}

/**
 * Runs queued events in time order until the scenario's end (extended while work remains when
 * it has no fixed duration); after each instant, lets the cluster come to rest and samples it.
 * Returns the time the simulation ended.
 */
async function runEvents(
  sim: WiredSimulation,
  options: SimulationOptions,
  startTime: number,
  metrics: Metrics,
): Promise<number> {
  const { clock, cloud, queue, workloads, nodes, controllers, unschedulable } = sim;
  const { scenario } = options;
  let end = startTime + scenarioDuration(scenario);
  const latestEnd = end + MAX_EXTENSION_MS;
  const extendable = scenario.settings.duration === undefined;
  const workRemains = (): boolean =>
    unschedulable.count > 0 ||
    workloads.hasUnfinishedJobs() ||
    cloud
      .running()
      .some(({ registersAt }) => registersAt !== undefined && registersAt > clock.now());

  for (let next = queue.peekTime(); next !== undefined; next = queue.peekTime()) {
    if (next > end) {
      if (!extendable || !workRemains() || next > latestEnd) break;
      end = next;
    }
    clock.advanceTo(next);
    for (
      let due = queue.peekTime();
      due !== undefined && due <= clock.now();
      due = queue.peekTime()
    )
      await queue.pop()?.run();
    nodes.watchLaunches();
    await nodes.removeTerminated();
    unschedulable.count = (await controllers.settle()).unschedulable;
    metrics.sample(clock.now(), cloud.instances(), unschedulable.count);
    options.onProgress?.(Math.min(1, (clock.now() - startTime) / (end - startTime)));
  }
  return end;
}

/** Runs a scenario in virtual time against the in-memory cluster and the simulated cloud. */
export async function simulate(options: SimulationOptions): Promise<SimulationResult> {
  const startTime = options.startTime ?? DEFAULT_START_TIME;
  const sim = await wire(options, startTime);
  const metrics = new Metrics(startTime);
  const end = await runEvents(sim, options, startTime, metrics);
  sim.clock.advanceTo(end);
  metrics.sample(end, sim.cloud.instances(), metrics.samples().at(-1)?.pendingPods ?? 0);
  const nodePools = await sim.cluster.kube.listNodePools();
  const { scenario } = options;
  const offers = await nodeOffers(scenario.settings.region, sim.nodePoolVersions, {
    daemonSets: scenario.daemonSets,
    neverAvailable: scenario.timeline.flatMap(({ at, unavailableOffering }) =>
      unavailableOffering && unavailableOffering.for === undefined && durationMilliseconds(at) === 0
        ? [unavailableOffering]
        : [],
    ),
    clock: sim.clock,
  });
  const pods = sim.ledger.all();
  const lowerBound = costLowerBound(
    pods.filter(({ daemonSet }) => !daemonSet),
    offers,
    end - startTime,
  );
  return {
    scenario: options.scenario,
    startTime,
    duration: end - startTime,
    instances: sim.cloud.instances(),
    pods,
    decisions: sim.log.entries(),
    samples: metrics.samples(pods, lowerBound),
    disruptions: sim.disruptions.entries(),
    runs: sim.counts,
    nodePoolConditions: nodePools.items.map(({ metadata, status }) => ({
      nodePool: metadata.name ?? '',
      conditions: (status?.conditions ?? []).map(({ type, status: value, reason }) => ({
        type,
        status: value,
        reason,
      })),
    })),
    offers,
    lowerBound,
  };
}
