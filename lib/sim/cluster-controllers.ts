import type { DaemonSet, Pod } from '../apis/index.ts';
import { podRequests } from '../scheduling/index.ts';
import { isOwnedByDaemonSet } from '../state/index.ts';
import { decideBindings, isPending } from './binder.ts';
import { missingDaemonPods } from './daemonset-controller.ts';
import type { DecisionLog } from './decision-log.ts';
import type { PodLedger } from './pod-ledger.ts';
import type { SimCluster } from './sim-cluster.ts';
import type { VirtualClock } from './virtual-clock.ts';
import { podDuration, type WorkloadController } from './workload-controller.ts';
import { systemClock } from '../util/clock.ts';
import type { ScheduleAt } from './event-queue.ts';

/** The grace period of a bound pod whose spec sets none, as the apiserver defaults it. */
const DEFAULT_GRACE_MS = 30_000;

export interface ControllerHooks {
  /** A pod was created: the pod-pending webhook fires. */
  readonly podCreated: () => void;
  readonly at: ScheduleAt;
}

export interface SettleOutcome {
  /** Pods left pending, marked Unschedulable. */
  readonly unschedulable: number;
}

/**
 * The Kubernetes control plane around Skyscale, brought to rest after each event: the workload
 * and DaemonSet controllers create and remove pods, kube-scheduler (the binder) places pending
 * pods or marks them Unschedulable, and the kubelet finishes Job pods when they have run.
 */
export class ClusterControllers {
  /** Pods the kubelet is already finishing, by uid. */
  private readonly finishing = new Set<string>();

  constructor(
    private readonly cluster: SimCluster,
    private readonly clock: VirtualClock,
    private readonly workloads: WorkloadController,
    private readonly daemonSets: readonly DaemonSet[],
    private readonly ledger: PodLedger,
    private readonly log: DecisionLog,
    private readonly hooks: ControllerHooks,
    private readonly startedAt: number,
  ) {}

  async settle(): Promise<SettleOutcome> {
    let pods = await this.cluster.listPods();
    for (const pod of pods.filter(({ metadata }) => metadata.deletionTimestamp)) this.finish(pod);
    const nodes = await this.cluster.listNodes();
    const changes = this.workloads.reconcile(pods);
    for (const pod of changes.remove) await this.remove(pod);
    if (changes.remove.length > 0) pods = await this.cluster.listPods();
    for (const pod of [...changes.create, ...missingDaemonPods(this.daemonSets, nodes, pods)])
      pods.push(await this.create(pod));
    if (!pods.some(isPending)) return { unschedulable: 0 };

    const decision = decideBindings(pods, nodes, systemClock);
    for (const { pod, nodeName } of decision.bindings) await this.bind(pod, nodeName);
    let marked = 0;
    for (const { pod, reason } of decision.unschedulable) {
      const record = pod.metadata.uid ? this.ledger.get(pod.metadata.uid) : undefined;
      if (record?.schedulerMessage === reason) continue;
      if (record) record.schedulerMessage = reason;
      await this.cluster.markUnschedulable(pod, reason);
      marked += 1;
    }
    const workloadPods = decision.bindings.filter(({ pod }) => !isOwnedByDaemonSet(pod)).length;
    if (workloadPods > 0)
      this.log.record(
        'cluster',
        `kube-scheduler bound ${workloadPods} pod(s) to ${new Set(decision.bindings.map(({ nodeName }) => nodeName)).size} node(s)`,
      );
    if (marked > 0)
      this.log.record(
        'cluster',
        `kube-scheduler marked ${marked} pod(s) Unschedulable: ${decision.unschedulable[0]?.reason ?? ''}`,
      );
    return { unschedulable: decision.unschedulable.length };
  }

  private elapsed(): number {
    return this.clock.now() - this.startedAt;
  }

  private async create(pod: Pod): Promise<Pod> {
    const created = await this.cluster.createPod(pod);
    const owner = created.metadata.ownerReferences?.[0];
    this.ledger.add({
      uid: created.metadata.uid ?? '',
      key: `${created.metadata.namespace ?? 'default'}/${created.metadata.name}`,
      owner: owner ? `${owner.kind}/${created.metadata.namespace ?? 'default'}/${owner.name}` : '',
      daemonSet: isOwnedByDaemonSet(created),
      requests: podRequests(created.spec),
      spec: created.spec,
      createdAt: this.elapsed(),
    });
    if (!isOwnedByDaemonSet(created)) this.hooks.podCreated();
    return created;
  }

  private async remove(pod: Pod): Promise<void> {
    await this.cluster.deletePod(pod);
    const grace = (pod.spec as { terminationGracePeriodSeconds?: number })
      .terminationGracePeriodSeconds;
    const finishAt = this.clock.now() + (grace === undefined ? DEFAULT_GRACE_MS : grace * 1000);
    this.finish(pod, finishAt);
  }

  /**
   * The kubelet stops a terminating pod (removed by its controller, evicted or deleted by a
   * drain) when its grace period is over, `finishAt` or its deletion timestamp.
   */
  private finish(pod: Pod, finishAt = Date.parse(pod.metadata.deletionTimestamp ?? '')): void {
    this.end(pod);
    const uid = pod.metadata.uid ?? '';
    if (!pod.spec.nodeName || this.finishing.has(uid)) return;
    this.finishing.add(uid);
    this.hooks.at(Math.max(this.clock.now(), finishAt), async () => {
      this.finishing.delete(uid);
      const current = await this.cluster.currentPod(pod);
      if (current) await this.cluster.finishPod(current, 'Succeeded');
    });
  }

  private async bind(pod: Pod, nodeName: string): Promise<void> {
    await this.cluster.bindPod(pod, nodeName);
    const record = pod.metadata.uid ? this.ledger.get(pod.metadata.uid) : undefined;
    if (record) {
      record.boundAt = this.elapsed();
      record.node = nodeName;
      delete record.schedulerMessage;
      delete record.provisioningReason;
    }
    const owner = this.workloads.ownerOf(pod);
    const runFor = owner && podDuration(owner);
    if (runFor === undefined) return;
    this.hooks.at(this.clock.now() + runFor, async () => {
      const current = await this.cluster.currentPod(pod);
      if (current?.spec.nodeName !== nodeName || current.metadata.deletionTimestamp) return;
      await this.cluster.finishPod(current, 'Succeeded');
      this.workloads.podSucceeded(current);
      this.end(current);
    });
  }

  private end(pod: Pod): void {
    const record = pod.metadata.uid ? this.ledger.get(pod.metadata.uid) : undefined;
    if (record && record.endedAt === undefined) record.endedAt = this.elapsed();
  }
}
