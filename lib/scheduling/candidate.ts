import type { Taint } from '../apis/index.ts';
import type { HostPortUsage } from './host-ports.ts';
import type { PodInfo } from './pod-info.ts';
import type { PodConstraints } from './preferences.ts';
import type { Requirement } from './requirement.ts';
import type { Requirements } from './requirements.ts';
import { blockingTaint, formatTaint } from './taints.ts';
import type { Topology } from './topology.ts';

/** Somewhere a pod can be placed: an existing node, an in-flight NodeClaim or a NodeClaim planned in this run. */
export interface Candidate {
  /** The hostname the node has or will have (a placeholder for planned claims). */
  readonly name: string;
  /** Allocation-free first test for scans: true when the pod certainly does not fit. */
  quicklyRejects(pod: PodInfo, constraints: PodConstraints, topology: Topology): boolean;
  /** Adds the pod if it fits; otherwise returns why not and changes nothing. */
  tryAdd(pod: PodInfo, constraints: PodConstraints, topology: Topology): string | undefined;
}

/** The checks every candidate shares before resources: taints and host ports. */
export function admissionFailure(
  pod: PodInfo,
  constraints: PodConstraints,
  taints: readonly Taint[],
  ports: HostPortUsage,
): string | undefined {
  const taint = blockingTaint(pod.tolerations, taints, constraints.toleratePreferNoSchedule);
  if (taint) return `the pod does not tolerate taint ${formatTaint(taint)}`;
  return ports.conflictWith(pod.hostPorts);
}

/**
 * `current` narrowed by the pod's requirements and its topology narrowing, the keys that
 * changed, or why they cannot all hold. Returns `current` itself when nothing narrows it.
 */
export function narrowRequirements(
  current: Requirements,
  podRequirements: Requirements,
  narrowing: readonly Requirement[],
): { readonly requirements: Requirements; readonly changedKeys: readonly string[] } | string {
  if (podRequirements.size === 0 && narrowing.length === 0)
    return { requirements: current, changedKeys: [] };
  const requirements = current.copy();
  for (const requirement of podRequirements.values()) requirements.add(requirement);
  for (const requirement of narrowing) requirements.add(requirement);
  const unsatisfiable = requirements.firstUnsatisfiable();
  if (unsatisfiable) return `no value of ${unsatisfiable.key} satisfies both the pod and the node`;
  return {
    requirements,
    changedKeys: [...podRequirements.keys(), ...narrowing.map((requirement) => requirement.key)],
  };
}
