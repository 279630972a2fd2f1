import {
  collectGarbage,
  loadLifecycleView,
  runLifecycle,
  runNodeClasses,
  runTermination,
  type GarbageCollectionResult,
  type LifecycleDeps,
  type LifecycleResult,
  type NodeClassesResult,
  type TerminationResult,
} from '../lifecycle/index.ts';
import {
  runProvisioning,
  type ProvisioningDeps,
  type ProvisioningOptions,
  type ProvisioningResult,
} from '../provisioning/index.ts';
import { isProvisionable } from '../state/index.ts';
import { FOLLOW_UP_INTERVAL_MS, TICK_PERIOD_SECONDS } from './constants.ts';
import { recordPodStartups } from './pod-startup.ts';
import {
  runDisruption,
  type DisruptionOptions,
  type DisruptionResult,
} from './disruption/run-disruption.ts';

export interface TickOptions {
  /** Default: Karpenter's 15 minutes. */
  readonly registrationTtlMs?: number;
  /**
   * When the schedule meant this tick to run (EventBridge Scheduler's scheduled time), in epoch
   * milliseconds: the pods that turned Ready in the period before it are this tick's to count.
   * Default: when the tick starts.
   */
  readonly scheduledAt?: number;
  /** The schedule's period. Default {@link TICK_PERIOD_SECONDS}. */
  readonly periodMs?: number;
  /** Default {@link FOLLOW_UP_INTERVAL_MS}. */
  readonly followUpIntervalMs?: number;
  readonly provisioning?: ProvisioningOptions;
  readonly disruption?: DisruptionOptions;
}

/** One pass of the per-object runs. */
export interface ObjectPass {
  readonly lifecycle: LifecycleResult;
  readonly termination: TerminationResult;
}

export interface TickResult {
  readonly nodeClasses: NodeClassesResult;
  /** Pods whose startup duration this tick recorded. */
  readonly podsStarted: number;
  /** The first pass, then one per follow-up until the deadline. */
  readonly passes: readonly ObjectPass[];
  readonly garbageCollection: GarbageCollectionResult;
  /** Undefined when no pod was waiting for a node. */
  readonly provisioning: ProvisioningResult | undefined;
  readonly disruption: DisruptionResult;
}

function lifecycleDeps(deps: ProvisioningDeps): LifecycleDeps {
  const { cloud, clock, logger, metrics } = deps;
  return { kube: deps.kube.kube, cloud, clock, logger, metrics };
}

/**
 * The lifecycle run, then the termination run, over one read of the cluster. No Lease: they act
 * per object. `nodePoolGauges` is for the tick's first pass only: the follow-up passes would
 * repeat the gauges every few seconds.
 */
export async function runObjectPass(
  deps: ProvisioningDeps,
  options: TickOptions = {},
  nodePoolGauges = true,
): Promise<ObjectPass> {
  const perObject = lifecycleDeps(deps);
  const view = await loadLifecycleView(perObject.kube);
  const lifecycle = await runLifecycle(perObject, view, {
    registrationTtlMs: options.registrationTtlMs,
    nodePoolGauges,
  });
  const termination = await runTermination(perObject, view);
  return { lifecycle, termination };
}

/** The EC2NodeClass controller: statuses, finalizers and clean-up on deletion. */
export function runNodeClassPass(deps: ProvisioningDeps): Promise<NodeClassesResult> {
  return runNodeClasses(lifecycleDeps(deps));
}

export function runGarbageCollection(deps: ProvisioningDeps): Promise<GarbageCollectionResult> {
  return collectGarbage(lifecycleDeps(deps));
}

/**
 * The safety-net provisioning pass: only when a pod waits for a node (a lost webhook signal, a
 * claim the lifecycle run just deleted, a pass that ran out of time). It takes the Lease like
 * every provisioning pass.
 */
export async function runSafetyNet(
  deps: ProvisioningDeps,
  options: TickOptions = {},
): Promise<ProvisioningResult | undefined> {
  const pods = await deps.kube.kube.listPods({ unbound: true });
  if (!pods.items.some(isProvisionable)) return undefined;
  return runProvisioning(deps, options.provisioning);
}

/**
 * One invocation of the one-minute tick, within `deps.deadline`: the EC2NodeClass controller, the
 * lifecycle run and the termination run beside garbage collection and the pods' startup
 * durations, then the safety-net
 * provisioning pass and the disruption run, while the per-object runs go on every
 * {@link FOLLOW_UP_INTERVAL_MS} until the deadline, so that a deletion is drained within seconds
 * rather than at the next tick.
 */
export async function runTick(
  deps: ProvisioningDeps,
  options: TickOptions = {},
): Promise<TickResult> {
  const interval = options.followUpIntervalMs ?? FOLLOW_UP_INTERVAL_MS;
  const scheduledAt = options.scheduledAt ?? deps.clock.now();
  const period = options.periodMs ?? TICK_PERIOD_SECONDS * 1000;
  const nodeClasses = await runNodeClassPass(deps);
  // Garbage collection and the pods' startup read on their own; the first pass need not wait for them.
  const [firstPass, garbageCollection, podsStarted] = await Promise.all([
    runObjectPass(deps, options),
    runGarbageCollection(deps),
    recordPodStartups(deps, { from: scheduledAt - period, to: scheduledAt }),
  ]);
  const passes = [firstPass];
  const followUps = async (): Promise<void> => {
    while (deps.clock.now() + 2 * interval <= deps.deadline) {
      await deps.clock.sleep(interval);
      passes.push(await runObjectPass(deps, options, false));
    }
  };
  // Both take the Lease, one after the other; the disruption run comes last.
  const leased = async () => {
    const provisioning = await runSafetyNet(deps, options);
    return { provisioning, disruption: await runDisruption(deps, options.disruption) };
  };
  const [{ provisioning, disruption }] = await Promise.all([leased(), followUps()]);
  return { nodeClasses, podsStarted, passes, garbageCollection, provisioning, disruption };
}
