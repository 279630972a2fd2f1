import { Labels } from '../apis/labels.ts';
import { toResources, type Resources } from '../apis/quantity.ts';
import type { InstanceType } from '../cloudprovider/types.ts';
import { ExistingCandidate } from './existing-node.ts';
import { InstanceTypeTable } from './instance-types.ts';
import { podInfo, type PodInfo } from './pod-info.ts';
import { PodConstraints } from './preferences.ts';
import {
  QuantityParser,
  requestedResourceNames,
  ResourceSpace,
  sumResources,
} from './resources.ts';
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

/** Resources each NodePool already uses: its nodes' capacity and in-flight NodeClaims', plus one `nodes` each. */
function nodePoolUsage(input: SchedulingInput): Map<string, Resources> {
  const usage = new Map<string, Resources>();
  const add = (nodePool: string | undefined, capacity: Resources): void => {
    if (nodePool !== undefined)
      usage.set(nodePool, sumResources(usage.get(nodePool) ?? {}, capacity, { nodes: 1 }));
  };
  for (const { node } of input.existingNodes)
    add(node.metadata.labels?.[Labels.nodePool], toResources(node.status?.capacity));
  for (const claim of input.inFlightNodeClaims) add(claim.nodePool, claim.capacity);
  return usage;
}

export function buildWorld(input: SchedulingInput): SchedulingWorld {
  const boundPods = [
    ...input.existingNodes.flatMap(({ pods }) => pods),
    ...input.inFlightNodeClaims.flatMap(({ pods }) => pods),
  ];
  const specs = [...input.pendingPods, ...boundPods]
    .map(({ spec }) => spec)
    .concat(input.daemonSets.map((daemonSet) => daemonSet.spec.template.spec));
  const space = new ResourceSpace(specs.flatMap(requestedResourceNames));
  const parser = new QuantityParser();

  const tables = new Map<readonly InstanceType[], InstanceTypeTable>();
  const tableFor = (types: readonly InstanceType[]): InstanceTypeTable => {
    let table = tables.get(types);
    if (!table) tables.set(types, (table = new InstanceTypeTable(types, space)));
    return table;
  };
  const usage = nodePoolUsage(input);
  // Karpenter's order: heaviest first, and among equal weights the name later in the alphabet.
  const templates = [...input.nodePools]
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
          usage.get(nodePool.name) ?? {},
          tableFor(nodePool.instanceTypes),
        ),
    );

  const existingBound: [ExistingCandidate, PodInfo[]][] = [
    ...input.existingNodes
      .filter(({ node }) => !node.metadata.deletionTimestamp)
      .map((existing): [ExistingCandidate, PodInfo[]] => {
        const bound = existing.pods
          .filter(({ status }) => status?.phase !== 'Succeeded' && status?.phase !== 'Failed')
          .map((pod) => podInfo(pod, space, parser));
        return [ExistingCandidate.fromNode(existing, bound, input.daemonSets, space), bound];
      }),
    ...input.inFlightNodeClaims.map((claim): [ExistingCandidate, PodInfo[]] => {
      const nominated = claim.pods.map((pod) => podInfo(pod, space, parser));
      return [ExistingCandidate.fromInFlight(claim, nominated, input.daemonSets, space), nominated];
    }),
  ];
  // Karpenter tries initialized nodes first, then by name.
  existingBound.sort(
    ([a], [b]) =>
      Number(b.initialized) - Number(a.initialized) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  const existing = existingBound.map(([candidate]) => candidate);
  const topology = new Topology([...templates, ...existing]);

  const pending = input.pendingPods.map((pod) => podInfo(pod, space, parser));
  const constraints = new Map<PodInfo, PodConstraints>();
  const invalid = new Map<PodInfo, string>();
  const preferNoScheduleRelaxable = input.nodePools.some(({ taints }) =>
    (taints ?? []).some(({ effect }) => effect === 'PreferNoSchedule'),
  );
  const volumes = new VolumeTopology(input.volumes);
  for (const pod of pending) {
    const volumeRequirements = volumes.requirementsOf(pod.pod);
    const built =
      typeof volumeRequirements === 'string'
        ? volumeRequirements
        : PodConstraints.of(pod, topology, {
            policy: input.preferencePolicy ?? 'Respect',
            preferNoScheduleRelaxable,
            volumeRequirements,
          });
    if (typeof built === 'string') invalid.set(pod, built);
    else constraints.set(pod, built);
  }
  // Existing pods' required anti-affinity keeps matching pending pods away too.
  for (const [, bound] of existingBound) {
    for (const pod of bound) {
      for (const term of pod.pod.spec.affinity?.podAntiAffinity
        ?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
        const group = topology.affinityGroup(pod, term, true);
        if (typeof group !== 'string') pod.requiredAntiAffinity.push(group);
      }
    }
  }
  topology.index([...pending, ...existingBound.flatMap(([, bound]) => bound)]);
  for (const [candidate, bound] of existingBound)
    for (const pod of bound) topology.record(pod, candidate.requirements, candidate.taints);
  return { space, templates, existing, topology, pending, constraints, invalid };
}
