import type { Pod } from '../apis/index.ts';
import type { BoundPods } from './bound-pods.ts';
import { ExistingCandidate } from './existing-node.ts';
import type { PodInfo } from './pod-info.ts';
import { constraintsKey, PodConstraints } from './preferences.ts';
import type { ResourceSpace } from './resources.ts';
import { SimulationCache, type ParsedRequests } from './simulation-cache.ts';
import { NodeClaimTemplate } from './template.ts';
import { Topology } from './topology.ts';
import type { SchedulingInput } from './types.ts';
import { VolumeTopology } from './volume-topology.ts';

/** Everything the packing loop works on, built once from the input. */
export interface SchedulingWorld {
  readonly space: ResourceSpace;
  /** In NodePool weight order. */
  readonly templates: readonly NodeClaimTemplate[];
  readonly existing: readonly ExistingCandidate[];
  readonly topology: Topology;
  readonly pending: readonly PodInfo[];
  readonly constraints: ReadonlyMap<PodInfo, PodConstraints>;
  /** Pods whose own spec rules out every node. */
  readonly invalid: ReadonlyMap<PodInfo, string>;
}

/** An existing node or in-flight NodeClaim, with the pods already on it. */
interface BoundCandidate {
  readonly candidate: ExistingCandidate;
  readonly bound: BoundPods;
}

/** One dimension per resource any pod, bound or pending (`pending`, parsed), or any DaemonSet requests. */
function resourceSpace(
  input: SchedulingInput,
  pending: readonly ParsedRequests[],
  cache: SimulationCache,
): ResourceSpace {
  const names = new Set<string>();
  const add = (list: readonly string[]): void => list.forEach((name) => names.add(name));
  for (const { pods } of [...input.existingNodes, ...input.inFlightNodeClaims])
    add(cache.resourceNamesOfPods(pods));
  for (const parsed of pending) add(parsed.names);
  for (const daemonSet of input.daemonSets) add(cache.resourceNames(daemonSet.spec.template.spec));
  return cache.space(names);
}

/** A template per NodePool in Karpenter's order: heaviest first, and among equal weights the name later in the alphabet. */
function nodeClaimTemplates(
  input: SchedulingInput,
  space: ResourceSpace,
  cache: SimulationCache,
): NodeClaimTemplate[] {
  // NodePools that share an EC2NodeClass share its instance-type list, and so one table.
  return [...input.nodePools]
    .sort(
      (a, b) =>
        (b.weight ?? 0) - (a.weight ?? 0) || (a.name > b.name ? -1 : a.name < b.name ? 1 : 0),
    )
    .map(
      (nodePool) =>
        new NodeClaimTemplate(
          nodePool,
          input.daemonSets,
          space,
          cache.table(nodePool.instanceTypes, space),
        ),
    );
}

const DEADLINE_CHECK_NODES = 100;

/** Nodes not being deleted, with their running pods, and in-flight NodeClaims with the pods nominated to them, in the order they are tried. */
function boundCandidates(
  input: SchedulingInput,
  space: ResourceSpace,
  cache: SimulationCache,
  expired: () => boolean,
): BoundCandidate[] | undefined {
  const nodes: BoundCandidate[] = [];
  for (const existing of input.existingNodes) {
    if (existing.node.metadata.deletionTimestamp) continue;
    // Large clusters take a while: look at the deadline every so many nodes.
    if (nodes.length > 0 && nodes.length % DEADLINE_CHECK_NODES === 0 && expired())
      return undefined;
    const bound = cache.boundPods(existing.pods, space);
    nodes.push({
      candidate: ExistingCandidate.fromNode(
        existing,
        cache.requirementsOfNode(existing.node),
        bound,
        input.daemonSets,
        space,
      ),
      bound,
    });
  }
  const claims = input.inFlightNodeClaims.map((claim): BoundCandidate => {
    const bound = cache.boundPods(claim.pods, space);
    return {
      candidate: ExistingCandidate.fromInFlight(claim, bound, input.daemonSets, space),
      bound,
    };
  });
  // Karpenter tries initialized nodes first, then by name.
  return [...nodes, ...claims].sort(
    ({ candidate: a }, { candidate: b }) =>
      Number(b.initialized) - Number(a.initialized) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}

/** Each pending pod's constraints, or why its own spec or its volumes rule out every node. */
function podConstraints(
  input: SchedulingInput,
  pending: readonly PodInfo[],
  topology: Topology,
): Pick<SchedulingWorld, 'constraints' | 'invalid'> {
  const constraints = new Map<PodInfo, PodConstraints>();
  const invalid = new Map<PodInfo, string>();
  const preferNoScheduleRelaxable = input.nodePools.some(({ taints }) =>
    (taints ?? []).some(({ effect }) => effect === 'PreferNoSchedule'),
  );
  const volumes = new VolumeTopology(input.volumes);
  const options = { policy: input.preferencePolicy ?? 'Respect', preferNoScheduleRelaxable };
  // Pods whose volumes add nothing share the constraints of the first pod with the same key.
  const shared = new Map<string, PodConstraints | string>();
  for (const pod of pending) {
    const volumeRequirements = volumes.requirementsOf(pod.pod);
    let built: PodConstraints | string | undefined;
    if (typeof volumeRequirements === 'string') built = volumeRequirements;
    else if (volumeRequirements.length > 0)
      built = PodConstraints.of(pod, topology, { ...options, volumeRequirements });
    else {
      const key = constraintsKey(pod);
      built = shared.get(key);
      if (built === undefined)
        shared.set(
          key,
          (built = PodConstraints.of(pod, topology, { ...options, volumeRequirements })),
        );
    }
    if (typeof built === 'string') invalid.set(pod, built);
    else {
      constraints.set(pod, built);
      pod.requiredAntiAffinity.push(...built.requiredAntiAffinity);
    }
  }
  return { constraints, invalid };
}

/**
 * Records the pods already placed, so spreads and affinities count them, and their required
 * anti-affinity keeps matching pending pods away. Without any such constraint there is nothing
 * to record, and the bound pods are not even parsed.
 */
function recordBoundPods(
  topology: Topology,
  pending: readonly PodInfo[],
  placed: readonly BoundCandidate[],
  parse: (pod: Pod) => PodInfo,
): void {
  if (!topology.hasGroups && !placed.some(({ bound }) => bound.antiAffinity)) return;
  const parsed = placed.map(({ candidate, bound }) => ({
    candidate,
    pods: bound.pods.map(parse),
  }));
  for (const { pods } of parsed) {
    for (const pod of pods) {
      for (const term of pod.pod.spec.affinity?.podAntiAffinity
        ?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
        const group = topology.affinityGroup(pod, term, true);
        if (typeof group !== 'string') pod.requiredAntiAffinity.push(group);
      }
    }
  }
  topology.index([...pending, ...parsed.flatMap(({ pods }) => pods)]);
  for (const { candidate, pods } of parsed)
    for (const pod of pods) topology.record(pod, candidate.requirements, candidate.taints);
}

/**
 * The world for `input`, reusing what `cache` already parsed for other simulations of the same
 * cluster; undefined when `expired` says so between two of its steps.
 */
export function buildWorld(
  input: SchedulingInput,
  cache = new SimulationCache(),
  expired: () => boolean = () => false,
): SchedulingWorld | undefined {
  const requests = input.pendingPods.map(({ spec }) => cache.parsedRequests(spec));
  const space = resourceSpace(input, requests, cache);
  const templates = nodeClaimTemplates(input, space, cache);
  if (expired()) return undefined;
  const placed = boundCandidates(input, space, cache, expired);
  if (!placed) return undefined;
  const existing = placed.map(({ candidate }) => candidate);
  const topology = new Topology([...templates, ...existing]);
  if (expired()) return undefined;
  const pending = input.pendingPods.map((pod, index) => cache.podInfo(pod, space, requests[index]));
  const { constraints, invalid } = podConstraints(input, pending, topology);
  if (expired()) return undefined;
  recordBoundPods(topology, pending, placed, (pod) => cache.podInfo(pod, space));
  return { space, templates, existing, topology, pending, constraints, invalid };
}
