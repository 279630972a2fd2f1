/**
 * A test-only stand-in for what happens on a booting EC2 instance: some time after Skyscale
 * launches an instance in moto, its kubelet registers the Node, as nodeadm configures it from the
 * instance's user data. The Node carries KWOK's annotation, so KWOK then plays its kubelet
 * (heartbeats, Ready, running the pods bound to it).
 */
import {
  DescribeInstanceAttributeCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  EC2Client,
  ModifyInstanceAttributeCommand,
  paginateDescribeInstances,
  type EC2ClientConfig,
  type Instance,
} from '@aws-sdk/client-ec2';
import { CoreV1Api, KubeConfig, type V1Node } from '@kubernetes/client-node';

import { Labels } from '../../lib/apis/labels.ts';
import { formatResources } from '../../lib/apis/quantity.ts';
import type { KubeletConfiguration } from '../../lib/apis/ec2nodeclass-kubelet.ts';
import { allocatable, type InstanceType } from '../../lib/cloudprovider/types.ts';
import { embeddedInstanceTypes } from '../../lib/cloudprovider/ec2-model/catalog/index.ts';
import { providerIdOf } from '../../lib/cloudprovider/aws/instances.ts';
import {
  clusterOwnershipTag,
  NODECLAIM_TAG,
  NODECLASS_TAG,
} from '../../lib/cloudprovider/aws/tags.ts';
import { mapWithConcurrency } from '../../lib/util/index.ts';
import { KWOK_NODE_ANNOTATION } from './kwok.ts';
import { kubeletRegistrationOf, type KubeletRegistration } from './nodeadm.ts';

const DEFAULT_POLL_INTERVAL_MS = 250;
/** Instances boot side by side; their kubelets register at the same time. */
const REGISTRATION_CONCURRENCY = 16;
const ARCHITECTURES: Readonly<Record<string, string>> = { x86_64: 'amd64', arm64: 'arm64' };

export interface NodeRegistrarOptions {
  readonly kubeConfigYaml: string;
  readonly aws: EC2ClientConfig;
  /** Instances tagged `kubernetes.io/cluster/<clusterName>` and with a NodeClaim tag register. */
  readonly clusterName: string;
  /** Time from an instance's launch to its Node's creation (the boot). @default 0 */
  readonly delayMs?: number;
  /** @default 250 */
  readonly pollIntervalMs?: number;
}

/** The fields of a DescribeInstances `Instance` that a Node's registration uses. */
export interface BootedInstance {
  readonly InstanceId?: string;
  readonly InstanceType?: string;
  readonly Architecture?: string;
  readonly Placement?: { readonly AvailabilityZone?: string };
}

const catalogTypesByKubelet = new Map<string, readonly InstanceType[]>();

/** The embedded catalog's types under a kubelet configuration; computed once per configuration. */
function catalogTypes(region: string, kubelet: KubeletConfiguration): readonly InstanceType[] {
  const key = JSON.stringify([region, kubelet]);
  let types = catalogTypesByKubelet.get(key);
  if (types === undefined) {
    types = embeddedInstanceTypes(region, { kubelet });
    catalogTypesByKubelet.set(key, types);
  }
  return types;
}

/**
 * EC2's resource-based hostname. Unlike the IP-based one it stays unique when moto is reset and
 * hands out the same private IPs again, while Nodes of earlier test files remain.
 */
function resourceHostname(instanceId: string, region: string): string {
  return `${instanceId}.${region === 'us-east-1' ? 'ec2.internal' : `${region}.compute.internal`}`;
}

/** The Node the kubelet of `instance` registers, configured by nodeadm from `kubelet`. */
export function registeredNode(
  instance: BootedInstance,
  kubelet: KubeletRegistration,
  region: string,
): V1Node {
  const { InstanceId: instanceId, InstanceType: instanceType } = instance;
  const zone = instance.Placement?.AvailabilityZone;
  const arch = ARCHITECTURES[instance.Architecture ?? 'x86_64'];
  if (!instanceId || !zone || !instanceType || !arch) {
    throw new Error(`instance ${instanceId} lacks an id, zone, type or known architecture`);
  }
  const name = resourceHostname(instanceId, region);
  const type = catalogTypes(region, kubelet.config).find(
    (candidate) => candidate.name === instanceType,
  );
  if (type === undefined) throw new Error(`instance type ${instanceType} is not in the catalog`);
  return {
    metadata: {
      name,
      // The kubelet's own labels, then the cloud controller manager's, then --node-labels.
      labels: {
        [Labels.hostname]: name,
        [Labels.os]: 'linux',
        [Labels.arch]: arch,
        [Labels.instanceType]: instanceType,
        [Labels.zone]: zone,
        [Labels.region]: region,
        ...kubelet.labels,
      },
      annotations: { [KWOK_NODE_ANNOTATION.key]: KWOK_NODE_ANNOTATION.value },
    },
    spec: {
      providerID: providerIdOf(zone, instanceId),
      taints: kubelet.taints.map(({ key, value, effect }) => ({ key, value, effect })),
    },
    status: {
      capacity: formatResources(type.capacity),
      allocatable: formatResources(allocatable(type)),
    },
  };
}

function isAlreadyExists(error: unknown): boolean {
  return (error as { code?: unknown }).code === 409;
}

/**
 * Registers a Node for each instance Skyscale launched for the cluster, `delayMs` after its
 * launch, until stopped. A failure is kept and thrown by `stop()`, so a test cannot miss it.
 */
export class NodeRegistrar {
  private readonly ec2: EC2Client;
  private readonly core: CoreV1Api;
  private readonly region: string;
  /** Instance id → Node name, for every Node this registrar created. */
  private readonly nodes = new Map<string, string>();
  private failure: Error | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: NodeRegistrarOptions) {
    this.ec2 = new EC2Client(options.aws);
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(options.kubeConfigYaml);
    this.core = kubeConfig.makeApiClient(CoreV1Api);
    const region = options.aws.region;
    if (typeof region !== 'string') throw new Error('NodeRegistrar needs aws.region as a string');
    this.region = region;
  }

  start(): this {
    this.running ??= this.loop();
    return this;
  }

  /** Stops polling; throws the first failure, if any. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
    this.ec2.destroy();
    if (this.failure !== undefined) throw this.failure;
  }

  /** The Node registered for `instanceId`, if any yet. */
  nodeNameOf(instanceId: string): string | undefined {
    return this.nodes.get(instanceId);
  }

  private async loop(): Promise<void> {
    const interval = this.options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    while (!this.stopped && this.failure === undefined) {
      await this.registerDueInstances().catch((error: unknown) => {
        this.failure =
          error instanceof Error ? error : new Error('registration failed', { cause: error });
      });
      await new Promise((resolve) => setTimeout(resolve, interval));
    }
  }

  private async registerDueInstances(): Promise<void> {
    const instances: Instance[] = [];
    const pages = paginateDescribeInstances(
      { client: this.ec2 },
      {
        Filters: [
          { Name: `tag:${clusterOwnershipTag(this.options.clusterName)}`, Values: ['owned'] },
          { Name: 'tag-key', Values: [NODECLAIM_TAG] },
          { Name: 'instance-state-name', Values: ['pending', 'running'] },
        ],
      },
    );
    for await (const { Reservations = [] } of pages) {
      instances.push(...Reservations.flatMap(({ Instances = [] }) => Instances));
    }
    const dueBy = Date.now() - (this.options.delayMs ?? 0);
    const due = instances.filter(
      ({ InstanceId, LaunchTime }) =>
        InstanceId !== undefined &&
        !this.nodes.has(InstanceId) &&
        (LaunchTime?.getTime() ?? 0) <= dueBy,
    );
    await mapWithConcurrency(due, REGISTRATION_CONCURRENCY, (instance) => this.register(instance));
  }

  private async register(instance: Instance): Promise<void> {
    const instanceId = instance.InstanceId ?? '';
    const { UserData } = await this.ec2.send(
      new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: 'userData' }),
    );
    if (!UserData?.Value) throw new Error(`instance ${instanceId} has no user data`);
    const userData = Buffer.from(UserData.Value, 'base64').toString('utf8');
    let kubelet: KubeletRegistration;
    try {
      kubelet = kubeletRegistrationOf(userData);
    } catch (error) {
      throw new Error(`instance ${instanceId}: cannot read its nodeadm user data`, {
        cause: error,
      });
    }
    await this.applyLaunchTemplateSecurityGroups(instance);
    const node = registeredNode(instance, kubelet, this.region);
    try {
      await this.core.createNode({ body: node });
    } catch (error) {
      // A kubelet restarting on the same instance finds its Node and carries on.
      if (!isAlreadyExists(error)) throw error;
    }
    this.nodes.set(instanceId, node.metadata?.name ?? '');
  }

  /**
   * moto's CreateFleet ignores a launch template's security groups, so its instances come up in
   * the VPC's default group, where EC2 gives them the template's groups. Every launch template of
   * an EC2NodeClass names the same groups: apply those. Without this, every instance would look
   * security-group drifted to the disruption run.
   */
  private async applyLaunchTemplateSecurityGroups(instance: Instance): Promise<void> {
    const nodeClass = instance.Tags?.find(({ Key }) => Key === NODECLASS_TAG)?.Value;
    if (!nodeClass) return;
    const { LaunchTemplates } = await this.ec2.send(
      new DescribeLaunchTemplatesCommand({
        Filters: [
          { Name: `tag:${clusterOwnershipTag(this.options.clusterName)}`, Values: ['owned'] },
          { Name: `tag:${NODECLASS_TAG}`, Values: [nodeClass] },
        ],
      }),
    );
    const templateId = LaunchTemplates?.[0]?.LaunchTemplateId;
    if (!templateId) return;
    const { LaunchTemplateVersions } = await this.ec2.send(
      new DescribeLaunchTemplateVersionsCommand({
        LaunchTemplateId: templateId,
        Versions: ['$Latest'],
      }),
    );
    const data = LaunchTemplateVersions?.[0]?.LaunchTemplateData;
    const groups = data?.SecurityGroupIds ?? data?.NetworkInterfaces?.[0]?.Groups ?? [];
    if (groups.length === 0) return;
    await this.ec2.send(
      new ModifyInstanceAttributeCommand({ InstanceId: instance.InstanceId, Groups: groups }),
    );
  }
}
