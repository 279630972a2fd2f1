import type { Clock } from '../util/clock.ts';
import type { SimulatedCloud, SimulatedInstance } from '../cloudprovider/simulated/index.ts';
import { SPOT_INTERRUPTION_NOTICE_MS } from '../cloudprovider/simulated/index.ts';
import { durationMilliseconds } from '../apis/index.ts';
import type { DecisionLog } from './decision-log.ts';
import type {
  AnnotatePodsRequest,
  AppliedWorkload,
  DeleteNodeClaimRequest,
  ObjectPatch,
  SpotInterruption,
  TimelineStep,
} from './scenario-schema.ts';
import type { CloudEvent } from './simulation-runs.ts';
import type { WorkloadController } from './workload-controller.ts';
import type { ScheduleAt } from './event-queue.ts';

export interface TimelineHooks {
  readonly clock: Clock;
  readonly at: ScheduleAt;
  /** Delivers EventBridge events to the interruption run, when there is one. */
  readonly deliver: (events: readonly CloudEvent[]) => Promise<void>;
  /** `kubectl delete nodeclaim` on the oldest matching claims; returns their names. */
  readonly deleteNodeClaims: (request: DeleteNodeClaimRequest) => Promise<string[]>;
  readonly patchObject: (kind: 'NodePool' | 'EC2NodeClass', request: ObjectPatch) => Promise<void>;
  /** `kubectl annotate` on the matching pods; returns their names. */
  readonly annotatePods: (request: AnnotatePodsRequest) => Promise<string[]>;
}

function replicasOf(step: AppliedWorkload): string {
  if (step.kind === 'Job')
    return `${step.spec.completions ?? step.spec.parallelism} completion(s), ${step.spec.parallelism} at a time`;
  return `${step.spec.replicas} replica(s)`;
}

/** Carries out the scenario's timeline steps against the simulated cluster and cloud. */
export class Timeline {
  constructor(
    private readonly workloads: WorkloadController,
    private readonly cloud: SimulatedCloud,
    private readonly log: DecisionLog,
    private readonly hooks: TimelineHooks,
  ) {}

  async perform(step: TimelineStep): Promise<void> {
    for (const workload of step.apply ?? []) {
      this.workloads.apply(workload);
      this.log.record(
        'scenario',
        `apply ${workload.kind} ${workload.metadata.namespace ?? 'default'}/${workload.metadata.name}: ${replicasOf(workload)}`,
      );
    }
    for (const reference of step.delete ?? []) {
      const existed = this.workloads.delete(reference);
      this.log.record(
        'scenario',
        `delete ${reference.kind} ${reference.namespace}/${reference.name}${existed ? '' : ': not found'}`,
      );
    }
    if (step.interruptSpot) await this.interrupt(step.interruptSpot);
    if (step.unavailableOffering) {
      const { instanceType, zone, capacityType, for: lasting } = step.unavailableOffering;
      const until =
        lasting === undefined ? undefined : this.hooks.clock.now() + durationMilliseconds(lasting);
      this.cloud.faults.exhaust({ instanceType, zone, capacityType, until });
      const where = `${instanceType} ${capacityType ?? 'any capacity type'} in ${zone ?? 'every zone'}`;
      this.log.record(
        'scenario',
        `EC2 has no capacity for ${where}${lasting ? ` for ${lasting}` : ''}`,
      );
    }
    if (step.neverRegister) {
      this.cloud.faults.neverRegisterNext(step.neverRegister.count);
      this.log.record(
        'scenario',
        `the next ${step.neverRegister.count} instance(s) launched will never register`,
      );
    }
    if (step.deleteNodeClaim) {
      const deleted = await this.hooks.deleteNodeClaims(step.deleteNodeClaim);
      this.log.record(
        'scenario',
        deleted.length > 0
          ? `kubectl delete nodeclaim ${deleted.join(' ')}`
          : 'deleteNodeClaim requested, but no NodeClaim matches',
      );
    }
    for (const [kind, request] of [
      ['NodePool', step.patchNodePool],
      ['EC2NodeClass', step.patchNodeClass],
    ] as const) {
      if (!request) continue;
      await this.hooks.patchObject(kind, request);
      this.log.record(
        'scenario',
        `patch ${kind} ${request.name}: ${JSON.stringify(request.patch)}`,
      );
    }
    if (step.annotatePods) {
      const { namespace, annotations } = step.annotatePods;
      const pods = await this.hooks.annotatePods(step.annotatePods);
      this.log.record(
        'scenario',
        `annotate ${pods.length} pod(s) in ${namespace} with ${JSON.stringify(annotations)}`,
      );
    }
    if (step.advance) this.log.record('scenario', `let ${step.advance} pass`);
  }

  private async interrupt(request: SpotInterruption): Promise<void> {
    const targets = this.cloud
      .running()
      .filter(
        (instance) => instance.capacityType === 'spot' && instance.interruptedAt === undefined,
      )
      .filter(
        (instance) => request.nodePool === undefined || instance.nodePool === request.nodePool,
      )
      .filter(
        (instance) =>
          request.instanceType === undefined || instance.instanceType.name === request.instanceType,
      )
      .slice(0, request.count);
    if (targets.length === 0) {
      this.log.record(
        'scenario',
        'spot interruption requested, but no running spot instance matches',
      );
      return;
    }
    for (const instance of targets) {
      this.cloud.interrupt(instance);
      this.log.record(
        'cloud',
        `spot interruption warning for ${instance.id} (${instance.instanceType.name}); EC2 reclaims it in 2 minutes`,
        `spot interruption warnings for {n} × ${instance.instanceType.name}; EC2 reclaims them in 2 minutes`,
      );
      this.hooks.at(this.hooks.clock.now() + SPOT_INTERRUPTION_NOTICE_MS, () => {
        if (instance.terminatedAt !== undefined) return;
        this.cloud.terminate(instance);
        this.log.record(
          'cloud',
          `EC2 reclaimed spot instance ${instance.id}`,
          'EC2 reclaimed {n} spot instances',
        );
      });
    }
    await this.hooks.deliver(targets.map((instance) => this.warning(instance)));
  }

  private warning(instance: SimulatedInstance): CloudEvent {
    const time = new Date(this.hooks.clock.now()).toISOString().replace('.000Z', 'Z');
    return {
      version: '0',
      id: `spot-interruption-${instance.id}`,
      'detail-type': 'EC2 Spot Instance Interruption Warning',
      source: 'aws.ec2',
      account: '000000000000',
      time,
      region: this.cloud.region,
      resources: [`arn:aws:ec2:${this.cloud.region}:000000000000:instance/${instance.id}`],
      detail: { 'instance-id': instance.id, 'instance-action': 'terminate' },
    };
  }
}
