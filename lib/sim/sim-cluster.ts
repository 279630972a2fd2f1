import { Labels, type Node, type Pod } from '../apis/index.ts';
import type { ReadyNodeChange } from '../cloudprovider/simulated/index.ts';
import { rfc3339 } from '../kube/rfc3339.ts';
import { isKubeError } from '../kube/errors.ts';
import type { KubeClient } from '../kube/kube-client-port.ts';
import { ResourceTypes } from '../kube/resource-types.ts';
import type { JsonObject, ResourceTransport } from '../kube/transport.ts';
import type {
  AnnotatePodsRequest,
  DeleteNodeClaimRequest,
  ObjectPatch,
  Scenario,
} from './scenario-schema.ts';
import type { VirtualClock } from './virtual-clock.ts';

/**
 * What the simulated Kubernetes controllers (kube-scheduler, the kubelet, the workload and
 * DaemonSet controllers) write to the in-memory cluster. Skyscale's runs go through the
 * KubeClient instead, as they do against a real cluster; reads go through it here too.
 */
export class SimCluster {
  constructor(
    private readonly transport: ResourceTransport,
    readonly kube: KubeClient,
    private readonly clock: VirtualClock,
  ) {}

  /** The scenario's NodePools, EC2NodeClasses (resolved and Ready, as the AWS adapter would leave them) and DaemonSets. */
  async seed(scenario: Scenario): Promise<void> {
    const ready = {
      conditions: [
        { type: 'Ready', status: 'True', reason: 'Ready', lastTransitionTime: this.now },
      ],
    };
    for (const nodeClass of scenario.nodeClasses) {
      const created = await this.transport.create(ResourceTypes.ec2NodeClass, nodeClass);
      await this.transport.patch(
        ResourceTypes.ec2NodeClass,
        { name: nameOf(created) },
        { status: ready },
        'status',
      );
    }
    for (const nodePool of scenario.nodePools) {
      const created = await this.transport.create(ResourceTypes.nodePool, nodePool);
      await this.transport.patch(
        ResourceTypes.nodePool,
        { name: nameOf(created) },
        { status: ready },
        'status',
      );
    }
    for (const daemonSet of scenario.daemonSets)
      await this.transport.create(ResourceTypes.daemonSet, {
        ...daemonSet,
        metadata: { namespace: 'default', ...daemonSet.metadata },
      });
  }

  get now(): string {
    return rfc3339(this.clock.now());
  }

  /**
   * Every pod and node, straight from the store: the simulated controllers wrote them and
   * Skyscale's runs changed them only through validating clients, so they are not parsed again.
   */
  async listPods(): Promise<Pod[]> {
    return (await this.transport.list(ResourceTypes.pod, { limit: Number.MAX_SAFE_INTEGER }))
      .items as Pod[];
  }

  async listNodes(): Promise<Node[]> {
    return (await this.transport.list(ResourceTypes.node, { limit: Number.MAX_SAFE_INTEGER }))
      .items as Node[];
  }

  /** The pod as it is now, if it still exists (the same object, not a new one under its name). */
  async currentPod(pod: Pod): Promise<Pod | undefined> {
    try {
      const current = (await this.transport.get(ResourceTypes.pod, keyOf(pod))) as Pod;
      return current.metadata.uid === pod.metadata.uid ? current : undefined;
    } catch (error) {
      if (isKubeError(error, 'NotFound')) return undefined;
      throw error;
    }
  }

  async createPod(pod: Pod): Promise<Pod> {
    return (await this.transport.create(ResourceTypes.pod, pod)) as Pod;
  }

  /** What the Binding subresource does: the pod is on the node, and (images cached) running and Ready. */
  async bindPod(pod: Pod, nodeName: string): Promise<void> {
    const key = keyOf(pod);
    await this.transport.patch(ResourceTypes.pod, key, { spec: { nodeName } });
    const now = this.now;
    await this.transport.patch(
      ResourceTypes.pod,
      key,
      {
        status: {
          phase: 'Running',
          startTime: now,
          conditions: [
            { type: 'PodScheduled', status: 'True', lastTransitionTime: now },
            { type: 'Ready', status: 'True', lastTransitionTime: now },
          ],
        },
      },
      'status',
    );
  }

  /** kube-scheduler's verdict on a pod that fits no node, which the provisioning run looks for. */
  async markUnschedulable(pod: Pod, message: string): Promise<void> {
    const condition = {
      type: 'PodScheduled',
      status: 'False',
      reason: 'Unschedulable',
      message,
      lastTransitionTime: this.now,
    };
    await this.transport.patch(
      ResourceTypes.pod,
      keyOf(pod),
      { status: { phase: 'Pending', conditions: [condition] } },
      'status',
    );
  }

  /** Deletes a pod; a bound, running one only starts terminating (its grace period). */
  async deletePod(pod: Pod): Promise<void> {
    await this.ignoringNotFound(() => this.transport.delete(ResourceTypes.pod, keyOf(pod)));
  }

  /** The kubelet reports the pod's containers finished, which lets a terminating pod go. */
  async finishPod(pod: Pod, phase: 'Succeeded' | 'Failed'): Promise<void> {
    await this.ignoringNotFound(async () => {
      await this.transport.patch(ResourceTypes.pod, keyOf(pod), { status: { phase } }, 'status');
      if (pod.metadata.deletionTimestamp)
        await this.transport.delete(ResourceTypes.pod, keyOf(pod));
    });
  }

  /** Pod garbage collection after its node is gone: the pod fails and is removed at once. */
  async collectOrphan(pod: Pod): Promise<void> {
    await this.ignoringNotFound(async () => {
      await this.transport.patch(
        ResourceTypes.pod,
        keyOf(pod),
        { status: { phase: 'Failed', reason: 'NodeLost' } },
        'status',
      );
      await this.transport.delete(ResourceTypes.pod, keyOf(pod));
    });
  }

  /**
   * Registers the node. The apiserver taints a new Node not-ready; as the node lifecycle
   * controller does once the kubelet reports Ready, the taint is lifted, leaving the node's own.
   */
  async registerNode(node: Node): Promise<void> {
    await this.transport.create(ResourceTypes.node, node);
    const taints = node.spec?.taints ?? [];
    await this.transport.patch(
      ResourceTypes.node,
      { name: node.metadata.name },
      { spec: { taints: taints.length > 0 ? taints : null } },
    );
  }

  /** The kubelet turns the node Ready and the boot taints go. */
  async markNodeReady(name: string, change: ReadyNodeChange): Promise<void> {
    await this.transport.patch(
      ResourceTypes.node,
      { name },
      { spec: { taints: change.taints.length > 0 ? [...change.taints] : null } },
    );
    await this.transport.patch(
      ResourceTypes.node,
      { name },
      { status: { conditions: [...change.conditions] } },
      'status',
    );
  }

  /** The oldest NodeClaims not yet being deleted (of the NodePool, if given) are deleted. */
  async deleteNodeClaims(request: DeleteNodeClaimRequest): Promise<string[]> {
    const claims = (await this.kube.listNodeClaims()).items
      .filter(
        ({ metadata }) =>
          !metadata.deletionTimestamp &&
          (request.nodePool === undefined ||
            metadata.labels?.[Labels.nodePool] === request.nodePool),
      )
      .sort((a, b) =>
        (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''),
      )
      .slice(0, request.count);
    const names = claims.map(({ metadata }) => metadata.name ?? '');
    for (const name of names) await this.kube.deleteNodeClaim(name);
    return names;
  }

  /** `kubectl patch --type merge` of a NodePool or an EC2NodeClass. */
  async patchObject(kind: 'NodePool' | 'EC2NodeClass', request: ObjectPatch): Promise<void> {
    const type = kind === 'NodePool' ? ResourceTypes.nodePool : ResourceTypes.ec2NodeClass;
    await this.transport.patch(type, { name: request.name }, request.patch);
  }

  /** `kubectl annotate` of the pods that exist now and match; returns their names. */
  async annotatePods(request: AnnotatePodsRequest): Promise<string[]> {
    const matching = (await this.listPods()).filter(
      ({ metadata }) =>
        (metadata.namespace ?? 'default') === request.namespace &&
        !metadata.deletionTimestamp &&
        Object.entries(request.matchLabels).every(
          ([key, value]) => metadata.labels?.[key] === value,
        ),
    );
    for (const pod of matching)
      await this.transport.patch(
        ResourceTypes.pod,
        { name: pod.metadata.name, namespace: request.namespace },
        { metadata: { annotations: request.annotations } },
      );
    return matching.map(({ metadata }) => metadata.name);
  }

  async deleteNode(name: string): Promise<void> {
    await this.ignoringNotFound(() => this.transport.delete(ResourceTypes.node, { name }));
  }

  private async ignoringNotFound(action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      if (!isKubeError(error, 'NotFound')) throw error;
    }
  }
}

function nameOf(object: JsonObject): string {
  return String((object['metadata'] as { name?: string }).name);
}

function keyOf(pod: Pod): { name: string; namespace: string } {
  return { name: pod.metadata.name, namespace: pod.metadata.namespace ?? 'default' };
}
