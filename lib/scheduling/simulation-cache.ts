import type { Node, Pod, PodSpec } from '../apis/index.ts';
import { Labels } from '../apis/labels.ts';
import type { Resources } from '../apis/quantity.ts';
import type { InstanceType } from '../cloudprovider/types.ts';
import { boundPods, isRunning, type BoundPods } from './bound-pods.ts';
import { InstanceTypeTable } from './instance-types.ts';
import { podInfo, unlinked, type PodInfo } from './pod-info.ts';
import { Requirements } from './requirements.ts';
import { podRequests, podRequestsKey, QuantityParser, ResourceSpace } from './resources.ts';

/**
 * What scheduling simulations over the same cluster share, so that consolidation, which
 * simulates the cluster once per candidate, parses each pod, node and instance-type list once
 * per run rather than once per simulation: resource spaces by their names, instance-type tables
 * by list and space, each pod's requests and ports, each node's label requirements. Only
 * immutable results are kept; what a simulation changes is built afresh each time. A cache made
 * for one input behaves exactly as none.
 */
export class SimulationCache {
  readonly parser = new QuantityParser();
  private readonly spaces = new Map<string, ResourceSpace>();
  private readonly tables = new Map<
    ResourceSpace,
    Map<readonly InstanceType[], InstanceTypeTable>
  >();
  /** Requests by `podRequestsKey`: the pods of one workload share them. */
  private readonly requestsByKey = new Map<string, ParsedRequests>();
  private readonly pods = new WeakMap<Pod, { space: ResourceSpace; info: PodInfo }>();
  private readonly nodeRequirements = new WeakMap<Node, Requirements>();
  private readonly bound = new WeakMap<readonly Pod[], BoundPods>();
  private readonly namesOfPods = new WeakMap<readonly Pod[], readonly string[]>();

  /** The space over cpu, memory, pods and `names`, one object for the same set of names. */
  space(names: Iterable<string>): ResourceSpace {
    const extra = [...new Set(names)].filter((name) => !['cpu', 'memory', 'pods'].includes(name));
    const key = extra.sort().join('\n');
    let space = this.spaces.get(key);
    if (!space) this.spaces.set(key, (space = new ResourceSpace(extra)));
    return space;
  }

  /** What the pod spec requests (see `podRequests`), parsed once for specs that request the same. */
  parsedRequests(spec: PodSpec): ParsedRequests {
    const key = podRequestsKey(spec);
    let parsed = this.requestsByKey.get(key);
    if (!parsed) {
      const requests = podRequests(spec, this.parser);
      parsed = { requests, names: Object.keys(requests), vector: undefined };
      this.requestsByKey.set(key, parsed);
    }
    return parsed;
  }

  /** Every resource name the pod spec asks for (requests, limits, overhead) and `pods`. */
  resourceNames(spec: PodSpec): readonly string[] {
    return this.parsedRequests(spec).names;
  }

  /** Every resource name the pods of one node ask for, kept per list of pods. */
  resourceNamesOfPods(pods: readonly Pod[]): readonly string[] {
    let names = this.namesOfPods.get(pods);
    if (!names)
      this.namesOfPods.set(pods, (names = pods.flatMap(({ spec }) => this.resourceNames(spec))));
    return names;
  }

  /** What the running pods among `pods` (one node's) take from it, kept per list of pods. */
  boundPods(pods: readonly Pod[], space: ResourceSpace): BoundPods {
    let summary = this.bound.get(pods);
    if (summary?.requests.length !== space.size || this.spaceOf(summary) !== space) {
      summary = boundPods(
        pods.filter(isRunning).map((pod) => this.podInfo(pod, space)),
        space,
      );
      this.bound.set(pods, summary);
      this.summarySpaces.set(summary, space);
    }
    return summary;
  }

  table(types: readonly InstanceType[], space: ResourceSpace): InstanceTypeTable {
    let bySpace = this.tables.get(space);
    if (!bySpace)
      this.tables.set(space, (bySpace = new Map<readonly InstanceType[], InstanceTypeTable>()));
    let table = bySpace.get(types);
    if (!table) bySpace.set(types, (table = new InstanceTypeTable(types, space)));
    return table;
  }

  /**
   * A fresh PodInfo (its topology links are filled per simulation) over the cached parse;
   * `requests`, when given, are the pod's `parsedRequests`.
   */
  podInfo(pod: Pod, space: ResourceSpace, requests?: ParsedRequests): PodInfo {
    let parsed = this.pods.get(pod);
    if (parsed?.space !== space) {
      requests ??= this.parsedRequests(pod.spec);
      if (requests.vector?.space !== space)
        requests.vector = { space, vector: space.vector(requests.requests) };
      const info = podInfo(pod, requests.requests, requests.vector.vector);
      this.pods.set(pod, (parsed = { space, info }));
    }
    return unlinked(parsed.info);
  }

  private readonly summarySpaces = new WeakMap<BoundPods, ResourceSpace>();

  private spaceOf(summary: BoundPods | undefined): ResourceSpace | undefined {
    return summary && this.summarySpaces.get(summary);
  }

  /** The node's labels (and its name as hostname) as requirements; shared, never changed. */
  requirementsOfNode(node: Node): Requirements {
    let requirements = this.nodeRequirements.get(node);
    if (!requirements)
      this.nodeRequirements.set(
        node,
        (requirements = Requirements.fromLabels({
          [Labels.hostname]: node.metadata.name,
          ...node.metadata.labels,
        })),
      );
    return requirements;
  }
}

export interface ParsedRequests {
  readonly requests: Resources;
  readonly names: readonly string[];
  /** The requests in the space of the last simulation that asked. */
  vector: { readonly space: ResourceSpace; readonly vector: Float64Array } | undefined;
}
