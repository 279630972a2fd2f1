import type {
  PersistentVolume,
  PersistentVolumeClaim,
  Pod,
  StorageClass,
  Volume,
} from '../apis/index.ts';
import { Labels } from '../apis/labels.ts';
import type { NodeRequirement, SchedulingVolumes } from './types.ts';

function byName<T extends { metadata: { name: string; namespace?: string | undefined } }>(
  objects: readonly T[],
  namespaced: boolean,
): Map<string, T> {
  return new Map(
    objects.map((object) => [
      namespaced
        ? `${object.metadata.namespace ?? 'default'}/${object.metadata.name}`
        : object.metadata.name,
      object,
    ]),
  );
}

/**
 * Karpenter's volume topology: a pod's claims add node requirements. A claim bound to a volume
 * brings the first term of the volume's node affinity (without the hostname of a local or
 * hostPath volume, which a new node never has); an unbound claim brings the first allowed
 * topology of its WaitForFirstConsumer StorageClass. A claim that cannot be resolved, is being
 * deleted, is lost, or is unbound under Immediate binding keeps the pod from being scheduled.
 */
export class VolumeTopology {
  private readonly volumes: Map<string, PersistentVolume>;
  private readonly claims: Map<string, PersistentVolumeClaim>;
  private readonly classes: Map<string, StorageClass>;

  constructor(volumes: SchedulingVolumes | undefined) {
    this.volumes = byName(volumes?.persistentVolumes ?? [], false);
    this.claims = byName(volumes?.persistentVolumeClaims ?? [], true);
    this.classes = byName(volumes?.storageClasses ?? [], false);
  }

  /** The requirements the pod's volumes add, or why its volumes rule out every node. */
  requirementsOf(pod: Pod): NodeRequirement[] | string {
    const out: NodeRequirement[] = [];
    for (const volume of pod.spec.volumes ?? []) {
      const found = this.volumeRequirements(pod, volume);
      if (typeof found === 'string') return found;
      out.push(...found);
    }
    return out;
  }

  private volumeRequirements(pod: Pod, volume: Volume): NodeRequirement[] | string {
    const namespace = pod.metadata.namespace ?? 'default';
    if (volume.ephemeral) {
      // A rescheduled pod gets a new ephemeral claim, so the old one's zone does not bind it.
      if (pod.spec.nodeName) return [];
      const claim = this.claims.get(`${namespace}/${pod.metadata.name}-${volume.name}`);
      if (claim) return this.claimRequirements(claim);
      const storageClass = volume.ephemeral.volumeClaimTemplate?.spec.storageClassName;
      return storageClass
        ? this.storageClassRequirements(storageClass, `ephemeral volume "${volume.name}"`)
        : [];
    }
    const claimName = volume.persistentVolumeClaim?.claimName;
    if (claimName === undefined) return [];
    const claim = this.claims.get(`${namespace}/${claimName}`);
    if (!claim) return `PersistentVolumeClaim "${namespace}/${claimName}" not found`;
    return this.claimRequirements(claim);
  }

  private claimRequirements(claim: PersistentVolumeClaim): NodeRequirement[] | string {
    const what = `PersistentVolumeClaim "${claim.metadata.namespace ?? 'default'}/${claim.metadata.name}"`;
    if (claim.metadata.deletionTimestamp) return `${what} is being deleted`;
    if (claim.status?.phase === 'Lost')
      return `${what} is bound to a PersistentVolume that no longer exists`;
    const { volumeName, storageClassName } = claim.spec;
    if (volumeName) {
      const volume = this.volumes.get(volumeName);
      if (!volume)
        return `${what} is bound to PersistentVolume "${volumeName}", which was not found`;
      if (volume.metadata.deletionTimestamp)
        return `${what} is bound to PersistentVolume "${volumeName}", which is being deleted`;
      return persistentVolumeRequirements(volume);
    }
    if (!storageClassName) return `${what} is unbound and names no StorageClass`;
    return this.storageClassRequirements(storageClassName, what);
  }

  private storageClassRequirements(name: string, what: string): NodeRequirement[] | string {
    const storageClass = this.classes.get(name);
    if (!storageClass) return `${what}: StorageClass "${name}" not found`;
    if ((storageClass.volumeBindingMode ?? 'Immediate') === 'Immediate')
      return `${what} is unbound and its StorageClass "${name}" binds Immediately, so it must be bound first`;
    const [first] = storageClass.allowedTopologies ?? [];
    return (first?.matchLabelExpressions ?? []).map(({ key, values }) => ({
      key,
      operator: 'In',
      values,
    }));
  }
}

function persistentVolumeRequirements(volume: PersistentVolume): NodeRequirement[] {
  const [first] = volume.spec.nodeAffinity?.required?.nodeSelectorTerms ?? [];
  const requirements = first?.matchExpressions ?? [];
  const nodeBound = volume.spec.local !== undefined || volume.spec.hostPath !== undefined;
  return nodeBound ? requirements.filter(({ key }) => key !== Labels.hostname) : requirements;
}
