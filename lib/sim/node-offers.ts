import { Labels, type DaemonSet, type EC2NodeClass, type NodePool } from '../apis/index.ts';
import { compatibleOfferings } from '../cloudprovider/ec2-model/offering-selection.ts';
import { embeddedCatalog } from '../cloudprovider/ec2-model/catalog/index.ts';
import { SimulatedCloud } from '../cloudprovider/simulated/index.ts';
import { allocatable } from '../cloudprovider/types.ts';
import { daemonSetOverhead, Requirements } from '../scheduling/index.ts';
import type { Clock } from '../util/clock.ts';
import type { NodeOffer } from './cost-lower-bound.ts';
import type { UnavailableOffering } from './scenario-schema.ts';

/** The NodePools and EC2NodeClasses as they stood from one moment of a run (its start, or a patch). */
export interface NodePoolVersion {
  readonly nodePools: readonly NodePool[];
  readonly nodeClasses: readonly EC2NodeClass[];
}

function subtract(
  from: Readonly<Record<string, number>>,
  amount: Readonly<Record<string, number>>,
) {
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(from))
    out[name] = Math.max(0, value - (amount[name] ?? 0));
  return out;
}

/**
 * Every node the NodePools of every version may launch, as the catalog offers them: the
 * instance types and zones their EC2NodeClass allows (its kubelet settings shape allocatable),
 * the offerings their requirements allow (capacity types, families, zones…) that the catalog
 * offers and that are not `neverAvailable` (out of capacity from the start to the end), less the
 * DaemonSets sure to run there: those that run on a node carrying just the labels every such node
 * has and the NodePool's taints. Offerings out of capacity for a while are kept: a node of one
 * may have launched before or after.
 */
export async function nodeOffers(
  region: string,
  versions: readonly NodePoolVersion[],
  context: {
    readonly daemonSets: readonly DaemonSet[];
    readonly neverAvailable: readonly UnavailableOffering[];
    readonly clock: Clock;
  },
): Promise<NodeOffer[]> {
  const { daemonSets, neverAvailable, clock } = context;
  const offers: NodeOffer[] = [];
  const catalog = embeddedCatalog(region);
  for (const version of versions) {
    const cloud = new SimulatedCloud({
      catalog,
      clock,
      nodeClass: (name) =>
        Promise.resolve(version.nodeClasses.find(({ metadata }) => metadata.name === name)),
    });
    for (const nodePool of version.nodePools) {
      const { requirements, taints = [] } = nodePool.spec.template.spec;
      const nodePoolRequirements = Requirements.fromNodeRequirements(requirements);
      const types = await cloud.getInstanceTypes(nodePool);
      for (const { instanceType, offering } of compatibleOfferings(types, requirements)) {
        const unavailable = neverAvailable.some(
          (fault) =>
            fault.instanceType === instanceType.name &&
            (fault.zone ?? offering.zone) === offering.zone &&
            (fault.capacityType ?? offering.capacityType) === offering.capacityType,
        );
        if (unavailable) continue;
        const labels = {
          ...nodePool.spec.template.metadata?.labels,
          [Labels.nodePool]: nodePool.metadata.name ?? '',
          ...instanceType.labels,
          [Labels.zone]: offering.zone,
          [Labels.capacityType]: offering.capacityType,
        };
        const sure = Requirements.fromLabels(labels);
        const daemons = daemonSetOverhead(daemonSets, sure, taints, false).requests;
        offers.push({
          nodePool: nodePool.metadata.name ?? '',
          instanceType: instanceType.name,
          zone: offering.zone,
          capacityType: offering.capacityType,
          price: offering.price,
          room: subtract(allocatable(instanceType), daemons),
          requirements: nodePoolRequirements.intersection(sure),
          taints,
        });
      }
    }
  }
  return offers;
}
