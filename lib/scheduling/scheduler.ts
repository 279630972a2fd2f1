import type { Candidate } from './candidate.ts';
import { ClaimsByPodCount } from './claim-order.ts';
import { PlannedClaim } from './planned-claim.ts';
import type { PodInfo } from './pod-info.ts';
import type { PodConstraints } from './preferences.ts';
import { byQueueOrder } from './queue.ts';
import { buildWorld, type SchedulingWorld } from './setup.ts';
import type { SimulationCache } from './simulation-cache.ts';
import type { Topology } from './topology.ts';
import {
  MAX_SCHEDULING_DEADLINE_MS,
  type SchedulingInput,
  type SchedulingResult,
} from './types.ts';

/**
 * Plans where pending pods go (with `cache`, sharing parses with other simulations of the same
 * cluster): existing and in-flight nodes first, then NodeClaims already
 * planned in this run (fewest pods first), then a new NodeClaim from each NodePool in weight
 * order. Pure and deterministic; stops at the deadline and returns what it planned.
 */
export function schedule(input: SchedulingInput, cache?: SimulationCache): SchedulingResult {
  return prepareSchedule(input, cache).solve();
}

/**
 * `schedule` in two steps: building the world from the input (parsing pods, instance-type
 * tables, topology) now, packing on `solve()`, so benchmarks can time them apart. The deadline
 * counts from now, and comes no later than `deadlineAt`; it is checked between the steps of
 * building the world too, and a world not built in time leaves every pod not attempted.
 */
export function prepareSchedule(
  input: SchedulingInput,
  cache?: SimulationCache,
): { solve(): SchedulingResult } {
  const startedAt = input.clock.now();
  const deadline = Math.min(
    startedAt +
      Math.min(input.deadlineMs ?? MAX_SCHEDULING_DEADLINE_MS, MAX_SCHEDULING_DEADLINE_MS),
    input.deadlineAt ?? Infinity,
  );
  const expired = (): boolean => input.clock.now() >= deadline;
  const world = buildWorld(input, cache, expired);
  if (!world) return { solve: () => untried(input) };
  const scheduler = new Scheduler(world);
  return { solve: () => scheduler.solve(expired) };
}

/** The result of a run whose deadline passed while its world was being built. */
function untried(input: SchedulingInput): SchedulingResult {
  return {
    newNodeClaims: [],
    existingNodes: [],
    unschedulable: [],
    notAttempted: input.pendingPods,
    timedOut: true,
  };
}

class Scheduler {
  private readonly claims = new ClaimsByPodCount();
  private plannedCount = 0;

  constructor(private readonly world: SchedulingWorld) {}

  solve(expired: () => boolean): SchedulingResult {
    const failures = new Map<PodInfo, string>(this.world.invalid);
    const notAttempted: PodInfo[] = [];
    let timedOut = false;
    let queue = this.world.pending.filter((pod) => !failures.has(pod)).sort(byQueueOrder);
    // Retry the pods that failed for as long as a pass places something.
    while (queue.length > 0 && !timedOut) {
      const retry: PodInfo[] = [];
      let progress = false;
      for (let position = 0; position < queue.length; position++) {
        const pod = queue[position];
        if (!pod) continue;
        if (expired()) {
          timedOut = true;
          notAttempted.push(...queue.slice(position).filter((untried) => !failures.has(untried)));
          break;
        }
        const reason = this.place(pod, this.constraintsOf(pod));
        if (reason === undefined) {
          progress = true;
          failures.delete(pod);
        } else {
          failures.set(pod, reason);
          retry.push(pod);
        }
      }
      if (!progress) break;
      queue = retry;
    }
    return {
      newNodeClaims: this.claims.all().map((claim) => claim.toPlannedNodeClaim()),
      existingNodes: this.world.existing
        .filter(({ placed }) => placed.length > 0)
        .map(({ name, placed }) => ({ name, pods: placed.map(({ pod }) => pod) })),
      unschedulable: [...failures].map(([{ pod }, reason]) => ({ pod, reason })),
      notAttempted: notAttempted.map(({ pod }) => pod),
      timedOut,
    };
  }

  private constraintsOf(pod: PodInfo): PodConstraints {
    const constraints = this.world.constraints.get(pod);
    if (!constraints) throw new Error(`no scheduling constraints for pod ${pod.key}`);
    return constraints;
  }

  /**
   * Tries the pod, relaxing a copy of its preferences one at a time until it fits or nothing is
   * left to relax; a pod that fails is tried again with all of them in the next pass.
   */
  private place(pod: PodInfo, original: PodConstraints): string | undefined {
    const first = this.tryPlace(pod, original);
    if (first === undefined) return undefined;
    const constraints = original.copy();
    if (constraints.relax() === undefined) return first;
    for (;;) {
      const reason = this.tryPlace(pod, constraints);
      if (reason === undefined || constraints.relax() === undefined) return reason;
    }
  }

  private tryPlace(pod: PodInfo, constraints: PodConstraints): string | undefined {
    const { topology, existing, templates } = this.world;
    const hostnames = existing.length + this.claims.all().length;
    const blocked =
      constraints.groups.some((group) => group.occupiesEveryHostname(hostnames, false)) ||
      pod.inverseAntiAffinity.some((group) => group.occupiesEveryHostname(hostnames, true));
    if (!blocked) {
      for (const candidate of existing)
        if (accepts(candidate, pod, constraints, topology)) return undefined;
      if (this.claims.firstAccepting((claim) => accepts(claim, pod, constraints, topology)))
        return undefined;
    }
    const reasons: string[] = [];
    for (const template of templates) {
      const options = template.optionsWithinLimits();
      if (typeof options === 'string') {
        reasons.push(options);
        continue;
      }
      const claim = new PlannedClaim(template, `planned-node-${this.plannedCount + 1}`, options);
      const reason = claim.tryAdd(pod, constraints, topology);
      if (reason === undefined) {
        this.plannedCount++;
        claim.reserveCapacity();
        this.claims.add(claim);
        return undefined;
      }
      reasons.push(`NodePool "${template.name}": ${reason}`);
    }
    if (reasons.length === 0)
      return 'no existing node fits the pod and there is no NodePool to launch one from';
    return `no existing node fits the pod and no NodePool can launch one: ${reasons.join('; ')}`;
  }
}

function accepts(
  candidate: Candidate,
  pod: PodInfo,
  constraints: PodConstraints,
  topology: Topology,
): boolean {
  return (
    !candidate.quicklyRejects(pod, constraints, topology) &&
    candidate.tryAdd(pod, constraints, topology) === undefined
  );
}
