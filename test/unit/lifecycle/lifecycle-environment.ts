/**
 * The in-memory provisioning environment plus what the per-object runs need: NodeClaims launched
 * into the simulated cloud, Nodes registered for them as a kubelet would, pods bound to nodes.
 */
import {
  Labels,
  Taints,
  TERMINATION_FINALIZER,
  type Node,
  type NodeClaim,
  type Taint,
} from '../../../lib/apis/index.ts';
import {
  readyNodeChange,
  registeredNode,
  type SimulatedInstance,
} from '../../../lib/cloudprovider/simulated/index.ts';
import { rfc3339 } from '../../../lib/kube/rfc3339.ts';
import { ResourceTypes, type JsonObject } from '../../../lib/kube/index.ts';
import {
  loadLifecycleView,
  runLifecycle,
  runNodeClasses,
  type LifecycleDeps,
} from '../../../lib/lifecycle/index.ts';
import { launchNodeClaim } from '../../../lib/provisioning/launch.ts';
import {
  MemoryEnvironment,
  NODE_CLASS_NAME,
  podObject,
} from '../provisioning/memory-environment.ts';

export const NODE_POOL = 'general';

export interface ClaimSpec {
  readonly nodePool?: string;
  readonly taints?: readonly Taint[];
  readonly startupTaints?: readonly Taint[];
  readonly requests?: Record<string, string>;
  readonly terminationGracePeriod?: string;
  /** Default on-demand. */
  readonly capacityType?: 'spot' | 'on-demand' | 'reserved';
}

export class LifecycleEnvironment extends MemoryEnvironment {
  lifecycleDeps(): LifecycleDeps {
    return { kube: this.kube.kube, cloud: this.cloud, clock: this.clock, logger: this.logger };
  }

  /** The node class, reconciled Ready as the tick leaves it unless told otherwise, and the NodePool. */
  async setUp({ reconcileNodeClass = true } = {}): Promise<void> {
    await this.createNodeClass();
    if (reconcileNodeClass) await runNodeClasses(this.lifecycleDeps());
    await this.createNodePool(NODE_POOL);
  }

  /** A NodeClaim of the pool, created as provisioning creates it and launched in the simulated cloud. */
  async launchClaim(spec: ClaimSpec = {}): Promise<NodeClaim> {
    const nodePool = spec.nodePool ?? NODE_POOL;
    const created = await this.kube.kube.createNodeClaim({
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodeClaim',
      metadata: {
        generateName: `${nodePool}-`,
        labels: { [Labels.nodePool]: nodePool, team: 'platform' },
        annotations: { 'example.com/owner': 'platform' },
        finalizers: [TERMINATION_FINALIZER],
      },
      spec: {
        requirements: [
          { key: Labels.instanceType, operator: 'In', values: ['m5.large'] },
          { key: Labels.capacityType, operator: 'In', values: [spec.capacityType ?? 'on-demand'] },
        ],
        nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: NODE_CLASS_NAME },
        expireAfter: '720h',
        ...(spec.taints ? { taints: [...spec.taints] } : {}),
        ...(spec.startupTaints ? { startupTaints: [...spec.startupTaints] } : {}),
        ...(spec.requests ? { resources: { requests: spec.requests } } : {}),
        ...(spec.terminationGracePeriod
          ? { terminationGracePeriod: spec.terminationGracePeriod }
          : {}),
      },
    });
    const outcome = await launchNodeClaim(
      this.kube.kube,
      this.cloud,
      this.clock,
      created,
      () => true,
    );
    if (outcome.kind !== 'launched') throw new Error(`launch failed: ${outcome.kind}`);
    return this.claim(created.metadata.name ?? '');
  }

  async claim(name: string): Promise<NodeClaim> {
    const claim = await this.kube.kube.getNodeClaim(name);
    if (!claim) throw new Error(`no NodeClaim ${name}`);
    return claim;
  }

  instanceOf(claim: NodeClaim): SimulatedInstance {
    const instance = this.cloud
      .instances()
      .find(({ providerID }) => providerID === claim.status?.providerID);
    if (!instance) throw new Error(`no instance for ${claim.metadata.name ?? ''}`);
    return instance;
  }

  /**
   * The Node the kubelet registers for the claim's instance: tainted unregistered (as nodeadm
   * registers it), not-ready until `ready` (the apiserver's taint), with `taints` of its own.
   */
  async registerNode(
    claim: NodeClaim,
    { ready = true, taints = [] as readonly Taint[] } = {},
  ): Promise<Node> {
    const instance = this.instanceOf(claim);
    const now = rfc3339(this.clock.now());
    const node = registeredNode(instance, now);
    const { conditions } = readyNodeChange(instance, now);
    const created = await this.create(ResourceTypes.node, {
      ...node,
      spec: { ...node.spec, taints: [...taints, Taints.unregistered] },
      status: { ...node.status, conditions: ready ? [...conditions] : [] },
    });
    if (ready)
      await this.setNodeTaints(node.metadata.name, (current) =>
        current.filter(({ key }) => key !== 'node.kubernetes.io/not-ready'),
      );
    return created as unknown as Node;
  }

  async node(name: string): Promise<Node | undefined> {
    return (await this.kube.kube.listNodes()).items.find(({ metadata }) => metadata.name === name);
  }

  async setNodeTaints(name: string, change: (taints: readonly Taint[]) => Taint[]): Promise<void> {
    const current = (await this.cluster.get(ResourceTypes.node, { name })) as unknown as Node;
    const taints = change(current.spec?.taints ?? []);
    await this.cluster.patch(
      ResourceTypes.node,
      { name },
      {
        spec: { taints: taints.length > 0 ? taints : null },
      },
    );
  }

  /** A running, Ready pod bound to the node. */
  async runPod(
    name: string,
    nodeName: string,
    overrides: { metadata?: Record<string, unknown>; spec?: Record<string, unknown> } = {},
  ): Promise<void> {
    await this.create(
      ResourceTypes.pod,
      podObject(name, { ...overrides, spec: { nodeName, ...overrides.spec } }),
    );
    await this.cluster.patch(
      ResourceTypes.pod,
      { name, namespace: 'default' },
      { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } },
      'status',
    );
  }

  /** The kubelet finishes the node's terminating pods. */
  async kubeletFinishes(nodeName: string): Promise<void> {
    for (const pod of (await this.kube.kube.listPods({ nodeName })).items) {
      if (pod.metadata.deletionTimestamp)
        await this.cluster.delete(
          ResourceTypes.pod,
          { name: pod.metadata.name, namespace: 'default' },
          { gracePeriodSeconds: 0 },
        );
    }
  }

  /** A claim launched, its Node registered and the lifecycle run done with it. */
  async registeredClaim(spec: ClaimSpec = {}): Promise<{ claim: NodeClaim; node: Node }> {
    const launched = await this.launchClaim(spec);
    const node = await this.registerNode(launched);
    await runLifecycle(this.lifecycleDeps(), await loadLifecycleView(this.kube.kube));
    return { claim: await this.claim(launched.metadata.name ?? ''), node };
  }

  async podNames(nodeName?: string): Promise<string[]> {
    const { items } = await this.kube.kube.listPods(nodeName ? { nodeName } : {});
    return items.map(({ metadata }) => metadata.name).sort();
  }

  async patchObject(
    type: (typeof ResourceTypes)[keyof typeof ResourceTypes],
    key: { name: string; namespace?: string },
    patch: JsonObject,
    subresource?: 'status',
  ): Promise<void> {
    await this.cluster.patch(type, key, patch, subresource);
  }
}

/** Pod fields for a DaemonSet pod, a critical pod, a do-not-disrupt pod. */
export const PodKinds = {
  daemon: {
    metadata: {
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'ds-1' }],
    },
  },
  critical: { spec: { priorityClassName: 'system-cluster-critical' } },
  doNotDisrupt: { metadata: { annotations: { 'karpenter.sh/do-not-disrupt': 'true' } } },
} as const;

/** Lets the tick run until it sleeps between passes again (or ends). */
export async function untilIdle(env: LifecycleEnvironment, done: () => boolean): Promise<void> {
  for (let turn = 0; turn < 10_000; turn++) {
    await new Promise((resolve) => setImmediate(resolve));
    if (done() || env.clock.pendingSleepers > 0) return;
  }
  throw new Error('the tick neither slept nor ended');
}
