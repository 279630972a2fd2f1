import { resourceValue, type Pod } from '../../../lib/apis/index.ts';
import { compatibleOfferings } from '../../../lib/cloudprovider/ec2-model/offering-selection.ts';
import { allocatable } from '../../../lib/cloudprovider/types.ts';
import { embeddedCatalog } from '../../../lib/cloudprovider/ec2-model/catalog/index.ts';
import { SimulatedCloud } from '../../../lib/cloudprovider/simulated/index.ts';
import type { SimulationResult } from '../../../lib/sim/index.ts';
import { clockReading } from '../../fixtures/manual-clock.ts';

type Requests = Record<string, number>;

function requestsOf(spec: Pod['spec']): Requests {
  const total: Requests = {};
  for (const container of spec.containers) {
    for (const [name, quantity] of Object.entries(container.resources?.requests ?? {}))
      total[name] = (total[name] ?? 0) + resourceValue(name, quantity);
  }
  return total;
}

/** The offerings any of the scenario's NodePools may launch, with each type's allocatable. */
async function allowedOfferings(result: SimulationResult) {
  const { scenario } = result;
  const cloud = new SimulatedCloud({
    catalog: embeddedCatalog(scenario.settings.region),
    clock: clockReading(() => 0),
    nodeClass: async (name) => scenario.nodeClasses.find(({ metadata }) => metadata.name === name),
  });
  const offerings = [];
  for (const nodePool of scenario.nodePools) {
    const types = await cloud.getInstanceTypes(nodePool);
    for (const { instanceType, offering } of compatibleOfferings(
      types,
      nodePool.spec.template.spec.requirements,
    )) {
      offerings.push({ price: offering.price, allocatable: allocatable(instanceType) });
    }
  }
  return offerings;
}

/** Each workload pod's requests, from the workload that made it. */
function podRequests(result: SimulationResult): Map<string, Requests> {
  const byOwner = new Map<string, Requests>();
  for (const step of result.scenario.timeline) {
    for (const workload of step.apply ?? []) {
      byOwner.set(
        `${workload.kind}/${workload.metadata.namespace ?? 'default'}/${workload.metadata.name}`,
        requestsOf(workload.spec.template.spec),
      );
    }
  }
  return byOwner;
}

/** The pod's dominant share of a node: its largest request as a fraction of the node's allocatable. */
function dominantShare(requests: Requests, room: Requests): number {
  return Math.max(...Object.entries(requests).map(([name, value]) => value / (room[name] ?? 0)));
}

/**
 * The range the scenario's cost should fall in, from the catalog prices alone:
 * - at least: every pod's vCPU-hours at the cheapest price per allocatable vCPU any NodePool can
 *   buy (perfect packing on the cheapest capacity);
 * - at most: every pod pays its dominant share of the priciest node it could land on, from its
 *   creation to the end of the run (nothing consolidates nodes yet, so they outlive their pods).
 */
export async function costBounds(
  result: SimulationResult,
): Promise<{ lower: number; upper: number }> {
  const offerings = await allowedOfferings(result);
  const cheapestPerVcpu = Math.min(
    ...offerings.map(({ price, allocatable: room }) => price / ((room['cpu'] ?? 0) / 1000)),
  );
  const requests = podRequests(result);
  let lower = 0;
  let upper = 0;
  for (const pod of result.pods.filter(({ daemonSet }) => !daemonSet)) {
    const wanted = requests.get(pod.owner) ?? {};
    const hours = (from: number, to: number) => (to - from) / 3_600_000;
    if (pod.boundAt !== undefined)
      lower +=
        ((wanted['cpu'] ?? 0) / 1000) *
        hours(pod.boundAt, pod.endedAt ?? result.duration) *
        cheapestPerVcpu;
    const fitting = offerings.filter(({ allocatable: room }) => dominantShare(wanted, room) <= 1);
    upper +=
      Math.max(
        ...fitting.map(({ price, allocatable: room }) => price * dominantShare(wanted, room)),
      ) * hours(pod.createdAt, result.duration);
  }
  return { lower, upper };
}
