import type { Clock } from '../../util/clock.ts';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { PricingClient } from '@aws-sdk/client-pricing';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { EC2NodeClassConditionTypes as Types, type EC2NodeClass } from '../../apis/ec2nodeclass.ts';
import type { NodeClaim } from '../../apis/nodeclaim.ts';
import type { NodePool } from '../../apis/nodepool.ts';
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
import { fleetSender, type FleetSender } from './fleet-batcher.ts';
import { nodeClassInstanceTypes } from './node-class-instance-types.ts';
import {
  describeLiveInstances,
  parseProviderId,
  terminateInstance,
  type DescribedInstance,
} from './instances.ts';
import { launchedInstance, launchInstance } from './launch.ts';
import {
  isStatusFresh,
  statusNotReadyReason,
  type NodeClassReconciliation,
} from '../node-class-status.ts';
import {
  notReadyReason,
  reconciliationOf,
  resolutionFromStatus,
  resolveNodeClass,
  type NodeClassResolution,
} from './node-class-resolution.ts';
import {
  deleteNodeClassResources,
  instanceProfileFor,
  type NodeClassResourceContext,
} from './node-class-resources.ts';
import type { ProviderLogger } from './provider-logger.ts';
import type { AwsProviderSettings } from './settings.ts';
import { clusterOwnershipTag, NODECLAIM_TAG, NODECLASS_TAG, NODEPOOL_TAG } from './tags.ts';
import { throttledFor, type RetryTiming, type Throttled } from './throttle-retry.ts';

export interface AwsClients {
  readonly ec2: EC2Client;
  readonly ssm: SSMClient;
  /** Must be in a region that serves the Pricing API (us-east-1, eu-central-1 or ap-south-1). */
  readonly pricing: PricingClient;
  /** Manages the instance profiles of node classes that name a `role`. */
  readonly iam: IAMClient;
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
  private readonly createFleet: FleetSender;

  constructor(private readonly options: AwsCloudProviderOptions) {
    this.throttled = throttledFor(options.timing);
    this.createFleet = fleetSender(options.clients.ec2, this.throttled, (ms) =>
      options.timing.sleep(ms),
    );
  }

  /** Resolves the class afresh (bypassing the cache and its status) and creates its instance profile. */
  async reconcileNodeClass(nodeClass: EC2NodeClass): Promise<NodeClassReconciliation> {
    const key = this.resolutionKey(nodeClass);
    this.options.caches.nodeClasses.invalidate(key);
    const resolution = await this.options.caches.nodeClasses.getOrLoad(key, () =>
      this.resolveFromCloud(nodeClass),
    );
    this.options.caches.reservationLaunches.reset(
      resolution.capacityReservations.map(({ id }) => id),
    );
    return reconciliationOf(resolution);
  }

  async finalizeNodeClass(nodeClass: EC2NodeClass): Promise<readonly string[]> {
    const filters = [
      { Name: `tag:${clusterOwnershipTag(this.options.settings.clusterName)}`, Values: ['owned'] },
      { Name: `tag:${NODECLASS_TAG}`, Values: [nodeClass.metadata.name ?? ''] },
    ];
    const users = await this.throttled('DescribeInstances', () =>
      describeLiveInstances(this.options.clients.ec2, filters),
    );
    const inUse = users
      .map(({ instance }) => instance)
      .filter(({ state }) => state !== 'terminated')
      .map(({ instanceID }) => instanceID);
    if (inUse.length > 0) return inUse;
    const deleted = await deleteNodeClassResources(this.resourceContext(), nodeClass);
    for (const name of deleted) this.options.caches.launchTemplates.invalidate(name);
    this.options.caches.nodeClasses.invalidate(this.resolutionKey(nodeClass));
    return [];
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
      return existing && existingType
        ? launchedInstance(existing, existingType, nodeClass)
        : undefined;
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
        createFleet: this.createFleet,
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
    const { resolution, reason } = await this.resolve(nodeClass);
    if (reason) return undefined;
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

  private resourceContext(): NodeClassResourceContext {
    const { clients, settings } = this.options;
    return {
      ec2: clients.ec2,
      iam: clients.iam,
      clusterName: settings.clusterName,
      region: settings.region,
      throttled: this.throttled,
    };
  }

  private async resolveFromCloud(nodeClass: EC2NodeClass): Promise<NodeClassResolution> {
    const { clients, settings, clock } = this.options;
    const [resolved, profile] = await Promise.all([
      resolveNodeClass(
        clients,
        nodeClass,
        settings.kubernetesVersion,
        new Date(clock.now()),
        this.throttled,
      ),
      instanceProfileFor(this.resourceContext(), nodeClass),
    ]);
    if ('problem' in profile)
      return {
        ...resolved,
        problems: { ...resolved.problems, [Types.instanceProfileReady]: profile.problem },
      };
    return { ...resolved, instanceProfile: profile.name };
  }

  /**
   * The class as the tick last wrote it when that status is fresh (see isStatusFresh), else
   * resolved from the cloud (cached for a minute per generation).
   */
  private async resolve(
    nodeClass: EC2NodeClass,
  ): Promise<{ resolution: NodeClassResolution; reason: string | undefined }> {
    if (isStatusFresh(nodeClass, this.options.clock.now())) {
      return {
        resolution: resolutionFromStatus(nodeClass),
        reason: statusNotReadyReason(nodeClass.status),
      };
    }
    const resolution = await this.options.caches.nodeClasses.getOrLoad(
      this.resolutionKey(nodeClass),
      () => this.resolveFromCloud(nodeClass),
    );
    return { resolution, reason: notReadyReason(resolution) };
  }

  private async readyNodeClass(
    name: string,
    known: EC2NodeClass | undefined,
  ): Promise<{ nodeClass: EC2NodeClass; resolution: NodeClassResolution }> {
    const nodeClass = known ?? (await this.options.nodeClasses(name));
    if (!nodeClass) throw new NodeClassNotReadyError(name, 'the EC2NodeClass does not exist');
    const { resolution, reason } = await this.resolve(nodeClass);
    if (reason) throw new NodeClassNotReadyError(name, reason);
    return { nodeClass, resolution };
  }

  private instanceTypesFor(
    nodeClass: EC2NodeClass,
    resolution: NodeClassResolution,
  ): Promise<InstanceType[]> {
    const { clients, settings, caches, clock, logger } = this.options;
    return nodeClassInstanceTypes(
      { clients, settings, caches, clock, logger, throttled: this.throttled },
      nodeClass,
      resolution,
    );
  }
}
