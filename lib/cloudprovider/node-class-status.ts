/**
 * An EC2NodeClass's status as Karpenter writes it: what its selectors resolved to, one condition
 * per part (SubnetsReady, SecurityGroupsReady, AMIsReady, InstanceProfileReady,
 * CapacityReservationsReady), ValidationSucceeded, and Ready over all of them. Both cloud adapters
 * report a {@link NodeClassReconciliation}; the tick turns it into the status with
 * {@link nextNodeClassStatus}, and provisioning trusts that status while it is fresh.
 */
import { findCondition, setCondition, type Condition } from '../apis/condition.ts';
import {
  EC2NodeClassConditionTypes as Types,
  type EC2NodeClass,
  type EC2NodeClassStatus,
} from '../apis/ec2nodeclass.ts';

/** The conditions a cloud adapter reports on; ValidationSucceeded and Ready follow from them. */
export const NODE_CLASS_PART_CONDITIONS = [
  Types.subnetsReady,
  Types.securityGroupsReady,
  Types.amisReady,
  Types.instanceProfileReady,
  Types.capacityReservationsReady,
] as const;
export type NodeClassPartCondition = (typeof NODE_CLASS_PART_CONDITIONS)[number];

export interface NodeClassProblem {
  /** UpperCamelCase, e.g. `SubnetsNotFound`. */
  readonly reason: string;
  readonly message: string;
}

/** What a node class resolves to now, and why any part of it cannot be used. */
export interface NodeClassReconciliation {
  readonly resolved: Omit<EC2NodeClassStatus, 'conditions'>;
  /** By condition type; a part without a problem is ready. */
  readonly problems: Readonly<Partial<Record<NodeClassPartCondition, NodeClassProblem>>>;
}

/** Karpenter's finalizer: the node class stays until its NodeClaims are gone and its cloud resources removed. */
export const NODE_CLASS_FINALIZER = 'karpenter.k8s.aws/termination';
/**
 * When the tick last confirmed the status against the cloud (RFC 3339). The status itself is
 * written only when it changes, so this says how old an unchanged one is.
 */
export const STATUS_CHECKED_ANNOTATION = 'skyscale.dev/nodeclass-status-checked-at';
/** The tick checks every class each minute but moves the annotation only this often, to keep writes rare. */
export const STATUS_RECHECK_MARK_MS = 5 * 60_000;
/**
 * Provisioning uses the written status instead of resolving again when it describes the class's
 * current generation and was confirmed within this long: two marks, so one late tick does not
 * make every launch resolve again.
 */
export const STATUS_FRESH_MS = 2 * STATUS_RECHECK_MARK_MS;

const DEPENDENCIES_NOT_READY = 'DependenciesNotReady';
const VALIDATION_WAITS_ON = [
  Types.subnetsReady,
  Types.securityGroupsReady,
  Types.amisReady,
  Types.instanceProfileReady,
];

/** RFC 3339 in whole seconds, as the API server writes times. */
export function kubernetesTime(epochMilliseconds: number): string {
  return new Date(Math.floor(epochMilliseconds / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function checkedAt(nodeClass: EC2NodeClass): number | undefined {
  const value = nodeClass.metadata.annotations?.[STATUS_CHECKED_ANNOTATION];
  const time = value === undefined ? Number.NaN : Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}

/** The status was written for this generation of the class and confirmed within {@link STATUS_FRESH_MS}. */
export function isStatusFresh(nodeClass: EC2NodeClass, now: number): boolean {
  const ready = findCondition(nodeClass.status?.conditions, Types.ready);
  const checked = checkedAt(nodeClass);
  return (
    ready !== undefined &&
    ready.status !== 'Unknown' &&
    ready.observedGeneration === nodeClass.metadata.generation &&
    checked !== undefined &&
    now - checked < STATUS_FRESH_MS
  );
}

/** The check mark is missing or older than {@link STATUS_RECHECK_MARK_MS}. */
export function needsCheckMark(nodeClass: EC2NodeClass, now: number): boolean {
  const checked = checkedAt(nodeClass);
  return checked === undefined || now - checked >= STATUS_RECHECK_MARK_MS;
}

/** Why the status says the class cannot launch (Ready's message and its failing parts), or undefined. */
export function statusNotReadyReason(status: EC2NodeClassStatus | undefined): string | undefined {
  const ready = findCondition(status?.conditions, Types.ready);
  if (ready?.status === 'True') return undefined;
  // ValidationSucceeded=False(DependenciesNotReady) only echoes the parts that failed.
  const failing = (status?.conditions ?? []).filter(
    ({ type, status: value, reason }) =>
      type !== Types.ready && value === 'False' && reason !== DEPENDENCIES_NOT_READY,
  );
  if (failing.length === 0) return ready?.message ?? 'its status is not Ready yet';
  return failing.map(({ type, message }) => `${type}: ${message ?? ''}`).join('; ');
}

/** Why a fresh status says the class cannot launch; undefined when it is Ready or not fresh. */
export function freshNotReadyReason(nodeClass: EC2NodeClass, now: number): string | undefined {
  return isStatusFresh(nodeClass, now) ? statusNotReadyReason(nodeClass.status) : undefined;
}

/**
 * The status for this reconciliation. Conditions carry the class's generation; one whose status
 * did not change keeps its transition time, so an unchanged class gives an identical status.
 */
export function nextNodeClassStatus(
  nodeClass: EC2NodeClass,
  reconciliation: NodeClassReconciliation,
  now: number,
): EC2NodeClassStatus {
  const generation = nodeClass.metadata.generation;
  const time = kubernetesTime(now);
  let conditions: Condition[] = [...(nodeClass.status?.conditions ?? [])];
  const set = (type: string, problem: NodeClassProblem | undefined): void => {
    const status = problem ? 'False' : 'True';
    conditions = setCondition(conditions, {
      type,
      status,
      reason: problem?.reason ?? type,
      ...(problem ? { message: problem.message } : {}),
      lastTransitionTime: time,
      ...(generation === undefined ? {} : { observedGeneration: generation }),
    });
  };
  for (const type of NODE_CLASS_PART_CONDITIONS) set(type, reconciliation.problems[type]);
  const waiting = VALIDATION_WAITS_ON.some((type) => reconciliation.problems[type]);
  set(
    Types.validationSucceeded,
    waiting
      ? {
          reason: DEPENDENCIES_NOT_READY,
          message: 'Awaiting AMI, Instance Profile, Security Group, and Subnet resolution',
        }
      : undefined,
  );
  const dependents: readonly string[] = [...NODE_CLASS_PART_CONDITIONS, Types.validationSucceeded];
  const unhealthy = conditions.filter(
    ({ type, status }) => dependents.includes(type) && status !== 'True',
  );
  set(
    Types.ready,
    unhealthy.length > 0
      ? {
          reason: 'UnhealthyDependents',
          message: unhealthy.map(({ type, status }) => `${type}=${status}`).join(', '),
        }
      : undefined,
  );
  const order = [...dependents, Types.ready];
  conditions.sort((a, b) => rank(order, a.type) - rank(order, b.type));
  return { ...reconciliation.resolved, conditions };
}

function rank(order: readonly string[], type: string): number {
  const index = order.indexOf(type);
  return index === -1 ? order.length : index;
}
