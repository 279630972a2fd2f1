import type { Clock } from '../../util/clock.ts';
import { settled } from '../../util/settled.ts';
import {
  ec2NodeClassHashAnnotations,
  type EC2NodeClass,
  type NodeClaim,
  type NodePool,
} from '../../apis/index.ts';
import { Labels } from '../../apis/labels.ts';
import {
  compatibleOfferings,
  planLaunch,
  type LaunchCandidate,
} from '../ec2-model/offering-selection.ts';
import { allocatable } from '../types.ts';
import type {
  CloudInstance,
  CloudProvider,
  DriftReason,
  LaunchedInstance,
  LaunchInputs,
} from '../cloud-provider.ts';
import type { Catalog } from '../ec2-model/catalog/index.ts';
import {
  InstanceNotFoundError,
  InsufficientCapacityError,
  NodeClassNotReadyError,
  type OfferingKey,
  type UnavailableOffering,
} from '../errors.ts';
import { freshNotReadyReason, type NodeClassReconciliation } from '../node-class-status.ts';
import type { InstanceType } from '../types.ts';
import { UnavailableOfferings } from '../ec2-model/unavailable-offerings.ts';
import { CapacityFaults } from './capacity-faults.ts';
import { SimulatedReservations, type SimulatedReservation } from './capacity-reservations.ts';
import { InstanceCatalog } from './instance-catalog.ts';
import {
  cloudInstance,
  isRunning,
  launchedInstance,
  type SimulatedInstance,
} from './simulated-instance.ts';

export const DEFAULT_BOOT_DELAY_MS = 45_000;
/** How long before it is Ready a node registers: the kubelet joins, then networking comes up. */
export const REGISTERED_BEFORE_READY_MS = 10_000;
/** EC2 gives a spot instance two minutes' notice before it reclaims it. */
export const SPOT_INTERRUPTION_NOTICE_MS = 120_000;
const SIMULATED_IMAGE_ID = 'ami-0simulated0000000';

export interface SimulatedCloudOptions {
  readonly catalog: Catalog;
  /** Epoch milliseconds: the simulator's clock. */
  readonly clock: Clock;
  /** The EC2NodeClass a NodeClaim or NodePool refers to. */
  readonly nodeClass: (name: string) => Promise<EC2NodeClass | undefined>;
  readonly bootDelayMs?: number;
  /** Capacity reservations a node class can select. */
  readonly capacityReservations?: readonly SimulatedReservation[];
}

/**
 * EC2 in memory, over the embedded catalog: on-demand prices from the catalog, estimated spot
 * prices, launches as CreateFleet makes them (Karpenter's capacity-type and offering choice, the
 * ClientToken idempotency on the NodeClaim UID, capacity errors into the unavailable-offerings
 * cache), terminations, and the faults a scenario injects.
 */
export class SimulatedCloud implements CloudProvider {
  readonly faults: CapacityFaults;
  private readonly unavailable: UnavailableOfferings;
  private readonly catalog: InstanceCatalog;
  private readonly reservations: SimulatedReservations;
  private readonly byProviderID = new Map<string, SimulatedInstance>();
  private readonly byNodeClaimUid = new Map<string, SimulatedInstance>();
  private launched = 0;

  constructor(private readonly options: SimulatedCloudOptions) {
    this.faults = new CapacityFaults(options.clock);
    this.unavailable = new UnavailableOfferings(options.clock);
    this.catalog = new InstanceCatalog(options.catalog, this.unavailable);
    this.reservations = new SimulatedReservations(options.capacityReservations ?? []);
  }

  get region(): string {
    return this.options.catalog.region;
  }

  async getInstanceTypes(nodePool: NodePool, known?: EC2NodeClass): Promise<InstanceType[]> {
    const nodeClass = await this.nodeClassOf(nodePool.spec.template.spec.nodeClassRef.name, known);
    const types = this.catalog.instanceTypes(nodeClass, this.unavailable.entries().length > 0);
    return [...this.withReservations(types, nodeClass)];
  }

  async create(nodeClaim: NodeClaim, inputs?: LaunchInputs): Promise<LaunchedInstance> {
    const uid = nodeClaim.metadata.uid ?? nodeClaim.metadata.name ?? '';
    const existing = this.byNodeClaimUid.get(uid);
    if (existing && isRunning(existing)) return launchedInstance(existing);
    const nodeClass = await this.nodeClassOf(nodeClaim.spec.nodeClassRef.name, inputs?.nodeClass);
    const named = nodeClaim.spec.requirements.find(
      ({ key, operator }) => key === Labels.instanceType && operator === 'In',
    )?.values;
    const allowed = named && new Set(named);
    const types = this.withReservations(this.catalog.catalogTypes(nodeClass), nodeClass).filter(
      ({ name }) => !allowed || allowed.has(name),
    );
    const candidates = compatibleOfferings(types, nodeClaim.spec.requirements).filter(
      ({ instanceType, offering }) =>
        !this.unavailable.isUnavailable({ instanceType: instanceType.name, ...offering }),
    );
    const plan = planLaunch(candidates, nodeClaim.spec.requirements);
    if (plan === undefined) {
      throw new InsufficientCapacityError(
        `no available offering satisfies NodeClaim ${nodeClaim.metadata.name ?? ''}`,
        [],
      );
    }
    const { capacityType, candidates: fleet } = plan;
    const exhausted: OfferingKey[] = [];
    const chosen = fleet.find((candidate) => {
      const key = keyOf(candidate);
      if (!this.faults.isExhausted(key)) return true;
      exhausted.push(key);
      this.unavailable.markUnavailable(key);
      return false;
    });
    if (!chosen) {
      throw new InsufficientCapacityError(
        `InsufficientInstanceCapacity for every ${capacityType} offering of NodeClaim ${nodeClaim.metadata.name ?? ''}`,
        exhausted,
      );
    }
    const instance = this.launch(nodeClaim, nodeClass, uid, chosen, exhausted);
    this.byNodeClaimUid.set(uid, instance);
    this.byProviderID.set(instance.providerID, instance);
    return launchedInstance(instance);
  }

  /** Terminates the NodeClaim's instance; one already gone counts as success, as TerminateInstances does. */
  delete(nodeClaim: NodeClaim): Promise<void> {
    return settled(() => {
      const providerID = nodeClaim.status?.providerID;
      const instance = providerID
        ? this.byProviderID.get(providerID)
        : this.byNodeClaimUid.get(nodeClaim.metadata.uid ?? '');
      if (instance) this.terminate(instance);
    });
  }

  get(providerID: string): Promise<CloudInstance> {
    return settled(() => {
      const instance = this.byProviderID.get(providerID);
      if (!instance || !isRunning(instance)) throw new InstanceNotFoundError(providerID);
      return cloudInstance(instance);
    });
  }

  list(): Promise<CloudInstance[]> {
    return Promise.resolve(this.running().map(cloudInstance));
  }

  /** The simulated cloud never changes AMIs, subnets or security groups, so nothing drifts. */
  isDrifted(_nodeClaim: NodeClaim): Promise<DriftReason | undefined> {
    return Promise.resolve(undefined);
  }

  unavailableOfferings(): UnavailableOffering[] {
    return this.unavailable.entries();
  }

  rememberUnavailable(offerings: readonly UnavailableOffering[]): void {
    for (const offering of offerings) this.unavailable.remember(offering);
  }

  /**
   * A subnet per catalog zone, one security group and the simulated AMI; the instance profile is
   * the given one, or the role's (the simulated cloud has no IAM to create one in).
   */
  reconcileNodeClass(nodeClass: EC2NodeClass): Promise<NodeClassReconciliation> {
    const { instanceProfile, role } = nodeClass.spec;
    const profile = instanceProfile ?? role;
    return Promise.resolve({
      resolved: {
        subnets: this.options.catalog.zones.map((zone) => ({ id: `subnet-${zone}`, zone })),
        securityGroups: [{ id: 'sg-simulated', name: 'simulated' }],
        amis: [{ id: SIMULATED_IMAGE_ID, requirements: [] }],
        ...(profile ? { instanceProfile: profile } : {}),
        ...(this.reservations.selected(nodeClass).length > 0 && {
          capacityReservations: this.reservations.status(nodeClass),
        }),
      },
      problems: {},
    });
  }

  /** Nothing to remove but the class's instances, which must be gone first. */
  finalizeNodeClass(nodeClass: EC2NodeClass): Promise<readonly string[]> {
    return Promise.resolve(
      this.running()
        .filter((instance) => instance.nodeClass === nodeClass.metadata.name)
        .map(({ id }) => id),
    );
  }

  private withReservations(
    types: readonly InstanceType[],
    nodeClass: EC2NodeClass,
  ): readonly InstanceType[] {
    return this.reservations.withReservedOfferings(
      types,
      nodeClass,
      ({ id, instanceType, zone, count }) =>
        this.running().filter(({ reservationId }) => reservationId === id).length < count &&
        !this.unavailable.isUnavailable({
          instanceType,
          zone,
          capacityType: 'reserved',
          reservationId: id,
        }),
    );
  }

  running(): SimulatedInstance[] {
    return this.instances().filter(isRunning);
  }

  /** Every instance ever launched, terminated ones included, in launch order. */
  instances(): SimulatedInstance[] {
    return [...this.byProviderID.values()];
  }

  terminate(instance: SimulatedInstance): void {
    instance.terminatedAt ??= this.options.clock.now();
  }

  /** Sends the two-minute warning; the caller terminates the instance when the notice runs out. */
  interrupt(instance: SimulatedInstance): void {
    instance.interruptedAt ??= this.options.clock.now();
  }

  private async nodeClassOf(name: string, known?: EC2NodeClass): Promise<EC2NodeClass> {
    const nodeClass = known ?? (await this.options.nodeClass(name));
    if (!nodeClass) throw new NodeClassNotReadyError(name, 'it does not exist');
    const reason = freshNotReadyReason(nodeClass, this.options.clock.now());
    if (reason) throw new NodeClassNotReadyError(name, reason);
    return nodeClass;
  }

  private launch(
    nodeClaim: NodeClaim,
    nodeClass: EC2NodeClass,
    uid: string,
    { instanceType, offering }: LaunchCandidate,
    exhaustedOnLaunch: readonly OfferingKey[],
  ): SimulatedInstance {
    this.launched += 1;
    const id = `i-${this.launched.toString(16).padStart(17, '0')}`;
    const nodeName = `ip-10-${Math.floor(this.launched / 65_536) % 256}-${Math.floor(this.launched / 256) % 256}-${this.launched % 256}.ec2.internal`;
    const now = this.options.clock.now();
    const nodePool = nodeClaim.metadata.labels?.[Labels.nodePool] ?? '';
    return {
      id,
      providerID: `aws:///${offering.zone}/${id}`,
      nodeName,
      nodeClaimName: nodeClaim.metadata.name ?? '',
      nodeClaimUid: uid,
      nodePool,
      nodeClass: nodeClaim.spec.nodeClassRef.name,
      nodeClassAnnotations: ec2NodeClassHashAnnotations(nodeClass),
      instanceType,
      zone: offering.zone,
      capacityType: offering.capacityType,
      ...(offering.reservationId && { reservationId: offering.reservationId }),
      priceUSDPerHour: offering.price,
      imageID: SIMULATED_IMAGE_ID,
      capacity: instanceType.capacity,
      allocatable: allocatable(instanceType),
      labels: {
        ...instanceType.labels,
        ...singleValued(nodeClaim),
        ...nodeClaim.metadata.labels,
        [Labels.zone]: offering.zone,
        [Labels.region]: this.region,
        [Labels.capacityType]: offering.capacityType,
        ...(offering.reservationId && { [Labels.capacityReservationId]: offering.reservationId }),
        [Labels.nodePool]: nodePool,
        [Labels.hostname]: nodeName,
      },
      taints: nodeClaim.spec.taints ?? [],
      startupTaints: nodeClaim.spec.startupTaints ?? [],
      exhaustedOnLaunch,
      launchedAt: now,
      ...this.bootTimes(now),
    };
  }

  /** Ready `bootDelayMs` after launch, registered a little before; never, under a fault. */
  private bootTimes(now: number): Pick<SimulatedInstance, 'registersAt' | 'readyAt'> {
    if (this.faults.takeNeverRegister()) return { registersAt: undefined, readyAt: undefined };
    const readyAt = now + (this.options.bootDelayMs ?? DEFAULT_BOOT_DELAY_MS);
    return {
      registersAt: Math.max(now, readyAt - REGISTERED_BEFORE_READY_MS),
      readyAt,
    };
  }
}

function keyOf({ instanceType, offering }: LaunchCandidate): OfferingKey {
  return {
    instanceType: instanceType.name,
    zone: offering.zone,
    capacityType: offering.capacityType,
  };
}

/** Requirements with exactly one value become node labels, as Karpenter labels its nodes. */
function singleValued(nodeClaim: NodeClaim): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const { key, operator, values } of nodeClaim.spec.requirements) {
    if (operator === 'In' && values?.length === 1 && values[0] !== undefined)
      labels[key] = values[0];
  }
  return labels;
}
