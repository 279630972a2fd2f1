import type { Clock } from '../../util/clock.ts';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { PricingClient } from '@aws-sdk/client-pricing';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { EC2NodeClass, EC2NodeClassStatus } from '../../apis/ec2nodeclass.ts';
import type { NodeClaim } from '../../apis/nodeclaim.ts';
import type { NodePool } from '../../apis/nodepool.ts';
import type { CapacityOptions } from '../ec2-model/capacity.ts';
import { nodeClassCapacityOptions } from '../ec2-model/node-class-capacity.ts';
import type {
  CloudInstance,
  CloudProvider,
  DriftReason,
  LaunchedInstance,
  LaunchInputs,
} from '../cloud-provider.ts';
import {
  InstanceNotFoundError,
  NodeClassNotReadyError,
  type UnavailableOffering,
} from '../errors.ts';
import type { InstanceType } from '../types.ts';
import type { AwsProviderCaches } from './caches.ts';
import { driftReason } from './drift.ts';
import {
  buildInstanceTypes,
  describeInstanceTypes,
  describeOfferingZones,
} from './instance-types.ts';
import {
  describeLiveInstances,
  parseProviderId,
  terminateInstance,
  type DescribedInstance,
} from './instances.ts';
import { launchedInstance, launchInstance } from './launch.ts';
import {
  nodeClassStatus,
  notReadyReason,
  resolveNodeClass,
  type NodeClassResolution,
} from './node-class-resolution.ts';
import { loadPrices } from './prices.ts';
import type { ProviderLogger } from './provider-logger.ts';
import type { AwsProviderSettings } from './settings.ts';
import { clusterOwnershipTag, NODECLAIM_TAG, NODEPOOL_TAG } from './tags.ts';
import { throttledFor, type RetryTiming, type Throttled } from './throttle-retry.ts';

export interface AwsClients {
  readonly ec2: EC2Client;
  readonly ssm: SSMClient;
  /** Must be in a region that serves the Pricing API (us-east-1, eu-central-1 or ap-south-1). */
  readonly pricing: PricingClient;
}

/** Finds an EC2NodeClass by name (from the run's snapshot or the API server). */
export type NodeClassLookup = (name: string) => Promise<EC2NodeClass | undefined>;

export interface AwsCloudProviderOptions {
  readonly clients: AwsClients;
  readonly settings: AwsProviderSettings;
  /** Held at module scope, so they live as long as the Lambda container. */
  readonly caches: AwsProviderCaches;
  readonly nodeClasses: NodeClassLookup;
  /** The run's remaining time bounds every throttling back-off. */
  readonly timing: RetryTiming;
  readonly clock: Clock;
  readonly logger: ProviderLogger;
}

/** The CloudProvider port on EC2. Build one per run; the caches carry over between runs. */
export class AwsCloudProvider implements CloudProvider {
  private readonly throttled: Throttled;

  constructor(private readonly options: AwsCloudProviderOptions) {
    this.throttled = throttledFor(options.timing);
  }

  /** The status to write back to the EC2NodeClass (resolved afresh, bypassing the cache). */
  async nodeClassStatus(nodeClass: EC2NodeClass): Promise<EC2NodeClassStatus> {
    this.options.caches.nodeClasses.invalidate(this.resolutionKey(nodeClass));
    return nodeClassStatus(
      await this.resolve(nodeClass),
      nodeClass.status,
      new Date(this.options.clock.now()),
    );
  }

  unavailableOfferings(): UnavailableOffering[] {
    return this.options.caches.unavailableOfferings.entries();
  }

  rememberUnavailable(offerings: readonly UnavailableOffering[]): void {
    for (const offering of offerings) this.options.caches.unavailableOfferings.remember(offering);
  }

  async getInstanceTypes(nodePool: NodePool, known?: EC2NodeClass): Promise<InstanceType[]> {
    const { nodeClass, resolution } = await this.readyNodeClass(
      nodePool.spec.template.spec.nodeClassRef.name,
      known,
    );
    return this.instanceTypesFor(nodeClass, resolution);
  }

  async create(nodeClaim: NodeClaim, inputs?: LaunchInputs): Promise<LaunchedInstance> {
    const { nodeClass, resolution } = await this.readyNodeClass(
      nodeClaim.spec.nodeClassRef.name,
      inputs?.nodeClass,
    );
    const instanceTypes =
      inputs?.instanceTypes ?? (await this.instanceTypesFor(nodeClass, resolution));
    const launchedFor = async (claim: NodeClaim): Promise<LaunchedInstance | undefined> => {
      const existing = await this.instanceOfNodeClaim(claim);
      const existingType =
        existing && instanceTypes.find((type) => type.name === existing.instanceType);
      return existing && existingType ? launchedInstance(existing, existingType) : undefined;
    };
    const existing = inputs?.newlyCreated ? undefined : await launchedFor(nodeClaim);
    if (existing) return existing;
    const { clients, settings, caches, logger } = this.options;
    return launchInstance(
      {
        ec2: clients.ec2,
        settings,
        caches,
        throttled: this.throttled,
        logger,
        nodeClass,
        resolution,
        instanceTypes,
        launchedFor,
      },
      nodeClaim,
    );
  }

  async delete(nodeClaim: NodeClaim): Promise<void> {
    const providerID = nodeClaim.status?.providerID;
    const instanceIds = providerID
      ? [parseProviderId(providerID).instanceId]
      : (await this.instancesOfNodeClaim(nodeClaim)).map(({ instance }) => instance.instanceID);
    for (const instanceId of instanceIds) {
      await this.throttled('TerminateInstances', () =>
        terminateInstance(this.options.clients.ec2, instanceId),
      );
    }
  }

  async get(providerID: string): Promise<CloudInstance> {
    return (await this.describe(providerID)).instance;
  }

  async list(): Promise<CloudInstance[]> {
    const filters = [
      { Name: `tag:${clusterOwnershipTag(this.options.settings.clusterName)}`, Values: ['owned'] },
      { Name: 'tag-key', Values: [NODEPOOL_TAG] },
    ];
    const instances = await this.throttled('DescribeInstances', () =>
      describeLiveInstances(this.options.clients.ec2, filters),
    );
    return instances.map((described) => described.instance);
  }

  async isDrifted(nodeClaim: NodeClaim): Promise<DriftReason | undefined> {
    const providerID = nodeClaim.status?.providerID;
    const nodeClass = await this.options.nodeClasses(nodeClaim.spec.nodeClassRef.name);
    if (!providerID || !nodeClass) return undefined;
    const resolution = await this.resolve(nodeClass);
    if (notReadyReason(resolution)) return undefined;
    return driftReason((await this.describe(providerID)).placement, resolution);
  }

  private async describe(providerID: string): Promise<DescribedInstance> {
    const { instanceId } = parseProviderId(providerID);
    const [instance] = await this.throttled('DescribeInstances', () =>
      describeLiveInstances(this.options.clients.ec2, [
        { Name: 'instance-id', Values: [instanceId] },
      ]),
    );
    if (!instance || instance.instance.state === 'terminated')
      throw new InstanceNotFoundError(providerID);
    return instance;
  }

  private instancesOfNodeClaim(nodeClaim: NodeClaim): Promise<DescribedInstance[]> {
    const filters = [
      { Name: `tag:${clusterOwnershipTag(this.options.settings.clusterName)}`, Values: ['owned'] },
      { Name: `tag:${NODECLAIM_TAG}`, Values: [nodeClaim.metadata.name ?? ''] },
    ];
    return this.throttled('DescribeInstances', () =>
      describeLiveInstances(this.options.clients.ec2, filters),
    );
  }

  /**
   * An instance a previous run launched for this NodeClaim but did not get to record: any that is
   * not on its way out, stopped ones included, so a stopped instance is never launched again.
   */
  private async instanceOfNodeClaim(nodeClaim: NodeClaim): Promise<CloudInstance | undefined> {
    const instances = (await this.instancesOfNodeClaim(nodeClaim)).map(
      (described) => described.instance,
    );
    return instances.find(({ state }) => state !== 'shutting-down' && state !== 'terminated');
  }

  private resolutionKey(nodeClass: EC2NodeClass): string {
    return `${nodeClass.metadata.name}/${nodeClass.metadata.generation ?? JSON.stringify(nodeClass.spec)}`;
  }

  private resolve(nodeClass: EC2NodeClass): Promise<NodeClassResolution> {
    const { clients, settings, caches, clock } = this.options;
    return caches.nodeClasses.getOrLoad(this.resolutionKey(nodeClass), () =>
      resolveNodeClass(
        clients,
        nodeClass,
        settings.kubernetesVersion,
        new Date(clock.now()),
        this.throttled,
      ),
    );
  }

  private async readyNodeClass(
    name: string,
    known: EC2NodeClass | undefined,
  ): Promise<{ nodeClass: EC2NodeClass; resolution: NodeClassResolution }> {
    const nodeClass = known ?? (await this.options.nodeClasses(name));
    if (!nodeClass) throw new NodeClassNotReadyError(name, 'the EC2NodeClass does not exist');
    const resolution = await this.resolve(nodeClass);
    const reason = notReadyReason(resolution);
    if (reason) throw new NodeClassNotReadyError(name, reason);
    return { nodeClass, resolution };
  }

  private async instanceTypesFor(
    nodeClass: EC2NodeClass,
    resolution: NodeClassResolution,
  ): Promise<InstanceType[]> {
    const { clients, settings, caches, clock, logger } = this.options;
    const [described, offeringZones, prices] = await Promise.all([
      caches.instanceTypes.getOrLoad(settings.region, () =>
        this.throttled('DescribeInstanceTypes', () =>
          describeInstanceTypes(clients.ec2, settings.region),
        ),
      ),
      caches.offeringZones.getOrLoad(settings.region, () =>
        this.throttled('DescribeInstanceTypeOfferings', () => describeOfferingZones(clients.ec2)),
      ),
      caches.prices.getOrLoad(settings.region, () =>
        loadPrices(clients, settings.region, new Date(clock.now()), logger),
      ),
    ]);
    const capacityOptions: CapacityOptions = {
      ...nodeClassCapacityOptions(nodeClass, resolution.amiFamily),
      vmMemoryOverheadPercent: settings.vmMemoryOverheadPercent,
      reservedEnis: settings.reservedEnis,
      eniLimitedPodDensity: settings.eniLimitedPodDensity,
    };
    const subnetZones = new Set(resolution.subnets.map((subnet) => subnet.zone));
    return buildInstanceTypes(
      { described, offeringZones, prices },
      subnetZones,
      capacityOptions,
      caches.unavailableOfferings,
    );
  }
}
