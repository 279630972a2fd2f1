import {
  readyNodeChange,
  registeredNode,
  type SimulatedCloud,
  type SimulatedInstance,
} from '../cloudprovider/simulated/index.ts';
import type { DecisionLog } from './decision-log.ts';
import type { PodLedger } from './pod-ledger.ts';
import type { SimCluster } from './sim-cluster.ts';
import type { ScheduleAt } from './event-queue.ts';

function describe(instance: SimulatedInstance): string {
  return `${instance.id} (${instance.instanceType.name}, ${instance.capacityType}, ${instance.zone}, NodePool ${instance.nodePool})`;
}

/** `c6a.4xlarge spot in us-east-1a (NodePool web)`: what instances alike share. */
function offeringOf(instance: SimulatedInstance): string {
  return `${instance.instanceType.name} ${instance.capacityType} in ${instance.zone} (NodePool ${instance.nodePool})`;
}

/**
 * What happens to instances outside Skyscale: the kubelet registers each one as a Node, not Ready
 * and carrying its boot taints, and turns it Ready shortly after (or never registers, when a fault
 * says so), and when EC2 terminates an instance its Node
 * leaves the cluster and its pods are garbage-collected, so their controllers replace them.
 */
export class NodeLifecycle {
  private readonly seen = new Set<string>();
  private readonly registered = new Map<string, SimulatedInstance>();

  constructor(
    private readonly cloud: SimulatedCloud,
    private readonly cluster: SimCluster,
    private readonly ledger: PodLedger,
    private readonly log: DecisionLog,
    private readonly at: ScheduleAt,
    private readonly elapsed: () => number,
  ) {}

  /** Schedules the registration of every instance launched since the last call. */
  watchLaunches(): void {
    for (const instance of this.cloud.instances()) {
      if (this.seen.has(instance.id)) continue;
      this.seen.add(instance.id);
      for (const { instanceType, capacityType, zone } of instance.exhaustedOnLaunch) {
        const capacityError = `InsufficientInstanceCapacity for ${instanceType} ${capacityType} in ${zone}`;
        this.log.record(
          'cloud',
          `${capacityError}; trying the next offering`,
          `${capacityError} on {n} launches; each tried the next offering`,
        );
      }
      const price = `$${instance.priceUSDPerHour.toFixed(4)}/h`;
      this.log.record(
        'cloud',
        `launched ${describe(instance)} at ${price} for NodeClaim ${instance.nodeClaimName}`,
        `launched {n} × ${offeringOf(instance)} at ${price}`,
      );
      const { registersAt } = instance;
      if (registersAt === undefined)
        this.log.record('cloud', `${instance.id} will never register (injected fault)`);
      else this.at(registersAt, () => this.register(instance));
    }
  }

  /** Removes the Nodes of terminated instances and their pods. */
  async removeTerminated(): Promise<void> {
    for (const [providerID, instance] of this.registered) {
      if (instance.terminatedAt === undefined) continue;
      this.registered.delete(providerID);
      const pods = (await this.cluster.kube.listPods({ nodeName: instance.nodeName })).items;
      for (const pod of pods) {
        await this.cluster.collectOrphan(pod);
        const record = pod.metadata.uid ? this.ledger.get(pod.metadata.uid) : undefined;
        if (record && record.endedAt === undefined) record.endedAt = this.elapsed();
      }
      await this.cluster.deleteNode(instance.nodeName);
      this.log.record(
        'cluster',
        `node ${instance.nodeName} left the cluster with its instance ${instance.id}; ${pods.length} pod(s) deleted`,
        `{n} nodes left the cluster with their instances; ${pods.length} pod(s) deleted from each`,
      );
    }
  }

  private async register(instance: SimulatedInstance): Promise<void> {
    if (instance.terminatedAt !== undefined) return;
    await this.cluster.registerNode(registeredNode(instance, this.cluster.now));
    this.registered.set(instance.providerID, instance);
    this.log.record(
      'cluster',
      `node ${instance.nodeName} registered (${describe(instance)})`,
      `{n} nodes registered: ${offeringOf(instance)}`,
    );
    const { readyAt } = instance;
    if (readyAt !== undefined) this.at(readyAt, () => this.becomeReady(instance));
  }

  private async becomeReady(instance: SimulatedInstance): Promise<void> {
    if (instance.terminatedAt !== undefined) return;
    await this.cluster.markNodeReady(
      instance.nodeName,
      readyNodeChange(instance, this.cluster.now),
    );
    this.log.record(
      'cluster',
      `node ${instance.nodeName} is Ready; its boot taints are lifted`,
      '{n} nodes are Ready; their boot taints are lifted',
    );
  }
}
