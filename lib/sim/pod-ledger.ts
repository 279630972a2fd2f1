import type { PodSpec } from '../apis/index.ts';
import type { Resources } from '../apis/quantity.ts';

/** The life of one pod as the report needs it. Times are milliseconds since the start. */
export interface PodRecord {
  readonly uid: string;
  /** `namespace/name`. */
  readonly key: string;
  /** `Kind/namespace/name` of the workload that made it. */
  readonly owner: string;
  readonly daemonSet: boolean;
  /** What it asks of a node, as the kubelet admits it (one pod included). */
  readonly requests: Resources;
  /** Where it may run: its node selector, affinity and tolerations. */
  readonly spec: Pick<PodSpec, 'nodeSelector' | 'affinity' | 'tolerations'>;
  readonly createdAt: number;
  boundAt?: number;
  node?: string;
  endedAt?: number;
  /** kube-scheduler's last Unschedulable message, while the pod is pending. */
  schedulerMessage?: string;
  /** Why the last provisioning run found no place for it, while the pod is pending. */
  provisioningReason?: string;
}

/** Every pod the simulation created, by uid (names are reused when a controller replaces a pod). */
export class PodLedger {
  private readonly records = new Map<string, PodRecord>();
  private readonly latestByKey = new Map<string, PodRecord>();

  add(record: PodRecord): void {
    this.records.set(record.uid, record);
    this.latestByKey.set(record.key, record);
  }

  /** The newest pod with this `namespace/name`. */
  latest(key: string): PodRecord | undefined {
    return this.latestByKey.get(key);
  }

  get(uid: string): PodRecord | undefined {
    return this.records.get(uid);
  }

  all(): PodRecord[] {
    return [...this.records.values()];
  }
}
