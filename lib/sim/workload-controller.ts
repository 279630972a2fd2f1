import { durationMilliseconds, expandWorkload, type Pod } from '../apis/index.ts';
import { isTerminal, isTerminating } from '../state/index.ts';
import {
  DEFAULT_JOB_POD_DURATION,
  POD_DURATION_ANNOTATION,
  type AppliedWorkload,
  type ObjectReference,
} from './scenario-schema.ts';

interface Managed {
  workload: AppliedWorkload;
  /** Job pods that succeeded, and the next pod index a Job gives out. */
  succeeded: number;
  nextIndex: number;
}

export interface WorkloadChanges {
  readonly create: readonly Pod[];
  readonly remove: readonly Pod[];
}

export function workloadKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? 'default'}/${name}`;
}

function keyOfWorkload(workload: AppliedWorkload): string {
  return workloadKey(workload.kind, workload.metadata.namespace, workload.metadata.name);
}

/** The uid `expandWorkload` puts in the owner reference of the workload's pods. */
function ownerUid(workload: AppliedWorkload): string {
  return workload.metadata.uid ?? keyOfWorkload(workload);
}

/** How long each pod of a Job runs; undefined for workloads whose pods run until removed. */
export function podDuration(workload: AppliedWorkload): number | undefined {
  if (workload.kind !== 'Job') return undefined;
  const annotations = {
    ...workload.spec.template.metadata?.annotations,
    ...workload.metadata.annotations,
  };
  return durationMilliseconds(annotations[POD_DURATION_ANNOTATION] ?? DEFAULT_JOB_POD_DURATION);
}

/**
 * The Deployment, StatefulSet, ReplicaSet and Job controllers: the desired workloads, and the pod
 * creations and removals that bring the cluster to them. Pods are named `<owner>-<index>`; a
 * scale-down removes the highest indexes; a Job keeps `parallelism` pods running until
 * `completions` (default `parallelism`) pods have succeeded.
 */
export class WorkloadController {
  private readonly managed = new Map<string, Managed>();

  apply(workload: AppliedWorkload): void {
    const key = keyOfWorkload(workload);
    const current = this.managed.get(key);
    this.managed.set(key, {
      workload,
      succeeded: current?.succeeded ?? 0,
      nextIndex: current?.nextIndex ?? 0,
    });
  }

  /** Forgets the workload; returns whether it existed. Its pods go at the next reconcile. */
  delete(reference: ObjectReference): boolean {
    return this.managed.delete(workloadKey(reference.kind, reference.namespace, reference.name));
  }

  /** The workload that owns the pod, if it is still managed. */
  ownerOf(pod: Pod): AppliedWorkload | undefined {
    const uid = pod.metadata.ownerReferences?.[0]?.uid;
    return [...this.managed.values()].find(({ workload }) => ownerUid(workload) === uid)?.workload;
  }

  /** Whether a Job still has pods to run. */
  hasUnfinishedJobs(): boolean {
    return [...this.managed.values()].some(
      ({ workload, succeeded }) =>
        workload.kind === 'Job' &&
        succeeded < (workload.spec.completions ?? workload.spec.parallelism),
    );
  }

  podSucceeded(pod: Pod): void {
    const owner = this.ownerOf(pod);
    const managed = owner && this.managed.get(keyOfWorkload(owner));
    if (managed) managed.succeeded += 1;
  }

  /** Pod creations and removals that bring `pods` (every pod in the cluster) to the desired state. */
  reconcile(pods: readonly Pod[]): WorkloadChanges {
    const active = new Map<string, Pod[]>();
    const names = new Set<string>();
    for (const pod of pods) {
      names.add(`${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`);
      const uid = pod.metadata.ownerReferences?.[0]?.uid;
      if (uid === undefined || isTerminal(pod) || isTerminating(pod)) continue;
      const owned = active.get(uid);
      if (owned) owned.push(pod);
      else active.set(uid, [pod]);
    }
    const create: Pod[] = [];
    const remove: Pod[] = [];
    const managedUids = new Set<string>();
    for (const managed of this.managed.values()) {
      const uid = ownerUid(managed.workload);
      managedUids.add(uid);
      const owned = active.get(uid) ?? [];
      const changes =
        managed.workload.kind === 'Job'
          ? this.jobChanges(managed, owned)
          : replicaChanges(managed.workload, owned);
      create.push(
        ...changes.create.filter(
          (pod) => !names.has(`${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`),
        ),
      );
      remove.push(...changes.remove);
    }
    for (const [uid, owned] of active) {
      const kind = owned[0]?.metadata.ownerReferences?.[0]?.kind;
      if (!managedUids.has(uid) && kind !== 'DaemonSet') remove.push(...owned);
    }
    return { create, remove };
  }

  private jobChanges(managed: Managed, owned: readonly Pod[]): WorkloadChanges {
    const job = managed.workload;
    if (job.kind !== 'Job') return { create: [], remove: [] };
    const completions = job.spec.completions ?? job.spec.parallelism;
    const wanted = Math.min(job.spec.parallelism, completions - managed.succeeded) - owned.length;
    if (wanted <= 0) return { create: [], remove: [] };
    const all = expandWorkload({
      ...job,
      spec: { ...job.spec, parallelism: completions, completions },
    });
    const create = all.slice(managed.nextIndex, managed.nextIndex + wanted);
    managed.nextIndex += create.length;
    return { create, remove: [] };
  }
}

function replicaChanges(workload: AppliedWorkload, owned: readonly Pod[]): WorkloadChanges {
  const desired = expandWorkload(workload);
  const desiredNames = new Set(desired.map((pod) => pod.metadata.name));
  const ownedNames = new Set(owned.map((pod) => pod.metadata.name));
  return {
    create: desired.filter((pod) => !ownedNames.has(pod.metadata.name)),
    remove: owned.filter((pod) => !desiredNames.has(pod.metadata.name)),
  };
}
