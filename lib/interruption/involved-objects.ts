import {
  Labels,
  NODECLAIM_API_VERSION,
  TERMINATION_FINALIZER,
  type Node,
  type NodeClaim,
} from '../apis/index.ts';
import type { OfferingKey } from '../cloudprovider/index.ts';
import type { KubeEvent } from '../kube/index.ts';
import type { LifecycleView } from '../lifecycle/index.ts';
import type { InterruptionNotice, UnavailableOnInterruption } from './actions.ts';

/** The instance ID at the end of a providerID (`aws:///<zone>/<instance-id>`). */
function instanceIdOf(providerID: string): string | undefined {
  const last = providerID.split('/').at(-1);
  return last?.startsWith('i-') ? last : undefined;
}

/** This cluster's NodeClaims by the ID of their instance; claims not launched yet have none. */
export function claimsByInstanceId(claims: readonly NodeClaim[]): Map<string, NodeClaim> {
  return new Map(
    claims.flatMap((claim) => {
      const id = claim.status?.providerID && instanceIdOf(claim.status.providerID);
      return id ? [[id, claim] as const] : [];
    }),
  );
}

/**
 * What the interruption holds unavailable for the claim, read from its labels: the spot offering
 * its instance runs on, or the capacity reservation it runs in; undefined when the labels do not
 * name one (not spot, or no reservation).
 */
export function offeringToMark(
  claim: NodeClaim,
  marks: UnavailableOnInterruption,
): OfferingKey | undefined {
  const labels = claim.metadata.labels ?? {};
  const instanceType = labels[Labels.instanceType];
  const zone = labels[Labels.zone];
  if (!instanceType || !zone) return undefined;
  if (marks === 'spot offering')
    return labels[Labels.capacityType] === 'spot'
      ? { instanceType, zone, capacityType: 'spot' }
      : undefined;
  const reservationId = labels[Labels.capacityReservationId];
  return reservationId
    ? { instanceType, zone, capacityType: 'reserved', reservationId }
    : undefined;
}

/** The notice as Events on the NodeClaim and, when it has registered, on its Node. */
export function noticeEvents(
  notice: InterruptionNotice,
  claim: NodeClaim,
  node: Node | undefined,
  nodeMessage = notice.message,
): KubeEvent[] {
  const events: KubeEvent[] = [
    {
      involvedObject: {
        apiVersion: NODECLAIM_API_VERSION,
        kind: 'NodeClaim',
        name: claim.metadata.name ?? '',
        uid: claim.metadata.uid,
      },
      ...notice,
    },
  ];
  if (node)
    events.push({
      involvedObject: {
        apiVersion: 'v1',
        kind: 'Node',
        name: node.metadata.name,
        uid: node.metadata.uid,
      },
      ...notice,
      message: nodeMessage,
    });
  return events;
}

/**
 * The view as the deletions left it, without reading again: a claim with the termination
 * finalizer is now being deleted; one without it is gone.
 */
export function afterDeletions(
  view: LifecycleView,
  deleted: ReadonlySet<string>,
  now: number,
): LifecycleView {
  const deletionTimestamp = new Date(now).toISOString();
  const nodeClaims = view.nodeClaims.flatMap((claim) => {
    if (!deleted.has(claim.metadata.name ?? '')) return [claim];
    if (!claim.metadata.finalizers?.includes(TERMINATION_FINALIZER)) return [];
    return [{ ...claim, metadata: { ...claim.metadata, deletionTimestamp } }];
  });
  return { ...view, nodeClaims };
}
