import {
  findCondition,
  NodePoolConditionTypes,
  setCondition,
  type Condition,
  type EC2NodeClass,
  type NodePool,
} from '../apis/index.ts';

/**
 * The NodePool's last registration outcomes, oldest first (`1` registered, `0` failed). Karpenter
 * keeps them in process memory; a Lambda has none between invocations, so they live here.
 */
export const REGISTRATION_HISTORY_ANNOTATION = 'skyscale.dev/node-registration-history';
/** Karpenter's window of outcomes and the share of failures in it that makes a pool unhealthy. */
const REGISTRATION_WINDOW = 4;
const UNHEALTHY_SHARE = 0.5;

type Health = 'Unknown' | 'Healthy' | 'Unhealthy';

function healthOf(history: string): Health {
  if (history.length === 0) return 'Unknown';
  const failures = [...history].filter((outcome) => outcome === '0').length;
  return failures / REGISTRATION_WINDOW >= UNHEALTHY_SHARE ? 'Unhealthy' : 'Healthy';
}

/** With no stored history, the condition stands for one, as Karpenter re-seeds its tracker after a restart. */
function seededHistory(condition: Condition | undefined): string {
  if (condition?.status === 'True') return '1';
  if (condition?.status === 'False') return '0'.repeat(REGISTRATION_WINDOW * UNHEALTHY_SHARE);
  return '';
}

function recorded(history: string, registered: boolean): string {
  return (history + (registered ? '1' : '0')).slice(-REGISTRATION_WINDOW);
}

export interface RegistrationHealth {
  readonly conditions: Condition[];
  readonly nodeClassObservedGeneration: number | undefined;
  readonly history: string;
}

/**
 * NodeRegistrationHealthy as Karpenter sets it (kubernetes-sigs/karpenter main: the
 * registrationhealth controller, registration, liveness and the nodepoolhealth tracker):
 * Unknown when the NodePool or its node class changed generation; each registration and each
 * registration timeout is recorded; False (RegistrationFailed) once failures are half of the
 * last four outcomes, True again once a registration leaves them under half.
 * `outcomes` are this pass's, in order (true: a claim of the pool registered).
 */
export function nextRegistrationHealth(
  nodePool: NodePool,
  nodeClass: EC2NodeClass | undefined,
  outcomes: readonly boolean[],
  now: string,
): RegistrationHealth {
  const type = NodePoolConditionTypes.nodeRegistrationHealthy;
  let conditions = [...(nodePool.status?.conditions ?? [])];
  const stored = nodePool.metadata.annotations?.[REGISTRATION_HISTORY_ANNOTATION];
  let history = stored ?? seededHistory(findCondition(conditions, type));
  if (!nodeClass) {
    return {
      conditions,
      nodeClassObservedGeneration: nodePool.status?.nodeClassObservedGeneration,
      history,
    };
  }
  const generation = nodePool.metadata.generation;
  const set = (status: Condition['status'], reason: string, message?: string): void => {
    conditions = setCondition(conditions, {
      type,
      status,
      reason,
      ...(message === undefined ? {} : { message }),
      lastTransitionTime: now,
      observedGeneration: generation,
    });
  };
  const current = findCondition(conditions, type);
  const changed =
    current === undefined ||
    nodePool.status?.nodeClassObservedGeneration !== nodeClass.metadata.generation ||
    current.observedGeneration !== generation;
  if (changed) {
    set('Unknown', 'AwaitingReconciliation', 'object is awaiting reconciliation');
    history = '';
  }
  for (const registered of outcomes) {
    const next = recorded(history, registered);
    const condition = findCondition(conditions, type);
    if (!registered && healthOf(next) === 'Unhealthy' && condition?.status !== 'False')
      set('False', 'RegistrationFailed', 'Failed to register node');
    if (registered && healthOf(next) === 'Healthy') set('True', type);
    history = next;
  }
  return { conditions, nodeClassObservedGeneration: nodeClass.metadata.generation, history };
}
