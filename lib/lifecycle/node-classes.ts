/**
 * The EC2NodeClass controller, run on the tick: each class gets Karpenter's finalizer and its
 * status (what its selectors resolve to, its conditions), written only when it changed, plus a
 * check mark that tells provisioning how fresh an unchanged status is, and Karpenter's hash
 * annotations, against which its NodeClaims' drift is judged. A class being deleted
 * waits for its NodeClaims and instances, then loses its launch templates, its managed
 * instance profile and finally the finalizer.
 */
import {
  Annotations,
  EC2NODECLASS_HASH_VERSION,
  ec2NodeClassHash,
  ec2NodeClassHashAnnotations,
  findCondition,
  NodeClaimConditionTypes,
  type EC2NodeClass,
  type NodeClaim,
} from '../apis/index.ts';
import {
  kubernetesTime,
  needsCheckMark,
  nextNodeClassStatus,
  NODE_CLASS_FINALIZER,
  STATUS_CHECKED_ANNOTATION,
  statusNotReadyReason,
} from '../cloudprovider/index.ts';
import { errorMessage } from '../util/index.ts';
import type { LifecycleDeps, ObjectFailure } from './types.ts';

export interface NodeClassNotReady {
  readonly name: string;
  readonly reason: string;
}

export interface NodeClassDeletionWait {
  readonly name: string;
  /** The NodeClaims, else the instances, that still use the class. */
  readonly waitingOn: readonly string[];
}

export interface NodeClassesResult {
  readonly ready: readonly string[];
  readonly notReady: readonly NodeClassNotReady[];
  /** Classes whose status this run wrote because it changed. */
  readonly statusWritten: readonly string[];
  /** Classes whose finalizer this run removed, so Kubernetes deleted them. */
  readonly finalized: readonly string[];
  readonly deletionWaiting: readonly NodeClassDeletionWait[];
  readonly failures: readonly ObjectFailure[];
}

type Outcome =
  | { readonly kind: 'ready'; readonly statusWritten: boolean }
  | { readonly kind: 'notReady'; readonly reason: string; readonly statusWritten: boolean }
  | { readonly kind: 'finalized' }
  | { readonly kind: 'waiting'; readonly on: readonly string[] };

function withFinalizer(nodeClass: EC2NodeClass, present: boolean): EC2NodeClass | undefined {
  const finalizers = nodeClass.metadata.finalizers ?? [];
  if (finalizers.includes(NODE_CLASS_FINALIZER) === present) return undefined;
  return {
    ...nodeClass,
    metadata: {
      ...nodeClass.metadata,
      finalizers: present
        ? [...finalizers, NODE_CLASS_FINALIZER]
        : finalizers.filter((finalizer) => finalizer !== NODE_CLASS_FINALIZER),
    },
  };
}

/** The class with its current hash annotations, and the check mark when `now` is given; undefined when nothing changes. */
function withAnnotations(
  nodeClass: EC2NodeClass,
  now: number | undefined,
): EC2NodeClass | undefined {
  const wanted: Record<string, string> = {
    ...ec2NodeClassHashAnnotations(nodeClass),
    ...(now !== undefined && { [STATUS_CHECKED_ANNOTATION]: kubernetesTime(now) }),
  };
  const annotations = nodeClass.metadata.annotations ?? {};
  if (Object.entries(wanted).every(([key, value]) => annotations[key] === value)) return undefined;
  return {
    ...nodeClass,
    metadata: { ...nodeClass.metadata, annotations: { ...annotations, ...wanted } },
  };
}

function usesClass(claim: NodeClaim, name: string): boolean {
  const ref = claim.spec.nodeClassRef;
  return ref.kind === 'EC2NodeClass' && ref.name === name;
}

/**
 * After the hash changed version, the class's claims can no longer be compared with it: each
 * takes the new version, and the class's hash too unless it is already drifted (its drift can
 * no longer be judged, so it stays drifted), as Karpenter does.
 */
async function restampClaims(
  deps: LifecycleDeps,
  nodeClass: EC2NodeClass,
  nodeClaims: readonly NodeClaim[],
): Promise<void> {
  const name = nodeClass.metadata.name ?? '';
  const stale = nodeClaims.filter(
    (claim) =>
      usesClass(claim, name) &&
      claim.metadata.annotations?.[Annotations.ec2NodeClassHashVersion] !==
        EC2NODECLASS_HASH_VERSION,
  );
  for (const claim of stale)
    await deps.kube.updateNodeClaim(claim.metadata.name ?? '', (current) => {
      const drifted = findCondition(current.status?.conditions, NodeClaimConditionTypes.drifted);
      return {
        ...current,
        metadata: {
          ...current.metadata,
          annotations: {
            ...current.metadata.annotations,
            [Annotations.ec2NodeClassHashVersion]: EC2NODECLASS_HASH_VERSION,
            ...(drifted === undefined && {
              [Annotations.ec2NodeClassHash]: ec2NodeClassHash(nodeClass),
            }),
          },
        },
      };
    });
}

async function finalize(
  deps: LifecycleDeps,
  nodeClass: EC2NodeClass,
  nodeClaims: readonly NodeClaim[],
): Promise<Outcome> {
  const name = nodeClass.metadata.name ?? '';
  if (!(nodeClass.metadata.finalizers ?? []).includes(NODE_CLASS_FINALIZER))
    return { kind: 'waiting', on: [] };
  const users = nodeClaims
    .filter((claim) => usesClass(claim, name))
    .map(({ metadata }) => metadata.name ?? '');
  const waitingOn = users.length > 0 ? users : await deps.cloud.finalizeNodeClass(nodeClass);
  if (waitingOn.length > 0) {
    await deps.kube.recordEvent({
      involvedObject: {
        apiVersion: nodeClass.apiVersion,
        kind: nodeClass.kind,
        name,
        uid: nodeClass.metadata.uid,
      },
      type: 'Normal',
      reason: 'WaitingOnNodeClaimTermination',
      message: `Waiting on ${users.length > 0 ? 'NodeClaim' : 'instance'} termination for ${waitingOn.join(', ')}`,
    });
    return { kind: 'waiting', on: waitingOn };
  }
  await deps.kube.updateEC2NodeClass(name, (current) => withFinalizer(current, false));
  return { kind: 'finalized' };
}

async function reconcile(
  deps: LifecycleDeps,
  listed: EC2NodeClass,
  nodeClaims: readonly NodeClaim[],
): Promise<Outcome> {
  const name = listed.metadata.name ?? '';
  const now = deps.clock.now();
  const finalized = withFinalizer(listed, true);
  const nodeClass = finalized
    ? await deps.kube.updateEC2NodeClass(name, (current) => withFinalizer(current, true))
    : listed;
  const reconciliation = await deps.cloud.reconcileNodeClass(nodeClass);
  const before = nodeClass.metadata.resourceVersion;
  const written = await deps.kube.updateEC2NodeClassStatus(
    name,
    (current) => ({ ...current, status: nextNodeClassStatus(current, reconciliation, now) }),
    nodeClass,
  );
  if (
    written.metadata.annotations?.[Annotations.ec2NodeClassHashVersion] !==
    EC2NODECLASS_HASH_VERSION
  )
    await restampClaims(deps, written, nodeClaims);
  const checkedAt = needsCheckMark(written, now) ? now : undefined;
  if (withAnnotations(written, checkedAt))
    await deps.kube.updateEC2NodeClass(name, (current) => withAnnotations(current, checkedAt));
  const statusWritten = written.metadata.resourceVersion !== before;
  const reason = statusNotReadyReason(written.status);
  return reason ? { kind: 'notReady', reason, statusWritten } : { kind: 'ready', statusWritten };
}

/** Every EC2NodeClass once, each on its own: one failing leaves the others' results standing. */
export async function runNodeClasses(deps: LifecycleDeps): Promise<NodeClassesResult> {
  const [nodeClasses, nodeClaims] = await Promise.all([
    deps.kube.listEC2NodeClasses(),
    deps.kube.listNodeClaims(),
  ]);
  const result = {
    ready: [] as string[],
    notReady: [] as NodeClassNotReady[],
    statusWritten: [] as string[],
    finalized: [] as string[],
    deletionWaiting: [] as NodeClassDeletionWait[],
    failures: [] as ObjectFailure[],
  };
  for (const nodeClass of nodeClasses.items) {
    const name = nodeClass.metadata.name ?? '';
    try {
      const outcome = nodeClass.metadata.deletionTimestamp
        ? await finalize(deps, nodeClass, nodeClaims.items)
        : await reconcile(deps, nodeClass, nodeClaims.items);
      if (outcome.kind === 'finalized') result.finalized.push(name);
      else if (outcome.kind === 'waiting')
        result.deletionWaiting.push({ name, waitingOn: outcome.on });
      else {
        if (outcome.statusWritten) result.statusWritten.push(name);
        if (outcome.kind === 'ready') result.ready.push(name);
        else result.notReady.push({ name, reason: outcome.reason });
      }
    } catch (error) {
      deps.logger.warn('Could not reconcile EC2NodeClass', {
        nodeClass: name,
        error: errorMessage(error),
      });
      result.failures.push({ name, message: errorMessage(error) });
    }
  }
  return result;
}
