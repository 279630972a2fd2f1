/**
 * Capacity reservations a node class selects (`capacityReservationSelectorTerms`): active ones
 * matching a term by id, or by tags and owner, as Karpenter lists them.
 */
import {
  paginateDescribeCapacityReservations,
  type CapacityReservation,
  type EC2Client,
  type Filter,
} from '@aws-sdk/client-ec2';
import type { EC2NodeClassSpec } from '../../apis/ec2nodeclass.ts';
import { tagFilters } from './selector-filters.ts';

type CapacityReservationTerm = NonNullable<
  EC2NodeClassSpec['capacityReservationSelectorTerms']
>[number];

export interface ResolvedCapacityReservation {
  readonly id: string;
  readonly availabilityZone: string;
  readonly instanceType: string;
  readonly ownerID: string;
  readonly instanceMatchCriteria?: 'open' | 'targeted';
  /** RFC 3339; absent for a reservation without an end. */
  readonly endTime?: string;
  /** Instances it can still take, as EC2 last reported. */
  readonly availableInstanceCount: number;
}

function termInput(term: CapacityReservationTerm): {
  CapacityReservationIds?: string[];
  Filters: Filter[];
} {
  const active: Filter = { Name: 'state', Values: ['active'] };
  if (term.id) return { CapacityReservationIds: [term.id], Filters: [active] };
  return {
    Filters: [
      active,
      ...tagFilters(term.tags),
      ...(term.ownerID ? [{ Name: 'owner-id', Values: [term.ownerID] }] : []),
    ],
  };
}

function resolved(reservation: CapacityReservation): ResolvedCapacityReservation | undefined {
  const { CapacityReservationId: id, AvailabilityZone, InstanceType, OwnerId } = reservation;
  const criteria = reservation.InstanceMatchCriteria;
  // Karpenter skips criteria it does not know rather than guess how EC2 matches them.
  if (!id || !AvailabilityZone || !InstanceType || !OwnerId) return undefined;
  if (criteria !== 'open' && criteria !== 'targeted') return undefined;
  return {
    id,
    availabilityZone: AvailabilityZone,
    instanceType: InstanceType,
    ownerID: OwnerId,
    instanceMatchCriteria: criteria,
    ...(reservation.EndDate ? { endTime: new Date(reservation.EndDate).toISOString() } : {}),
    availableInstanceCount: reservation.AvailableInstanceCount ?? 0,
  };
}

/** Reservations matching any term, by id. */
export async function resolveCapacityReservations(
  ec2: EC2Client,
  terms: readonly CapacityReservationTerm[],
): Promise<ResolvedCapacityReservation[]> {
  const byId = new Map<string, ResolvedCapacityReservation>();
  for (const term of terms) {
    for await (const page of paginateDescribeCapacityReservations(
      { client: ec2 },
      termInput(term),
    )) {
      for (const reservation of page.CapacityReservations ?? []) {
        const entry = resolved(reservation);
        if (entry) byId.set(entry.id, entry);
      }
    }
  }
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}
