/**
 * Capacity reservations in the simulated EC2: each holds `count` instances of one type in one
 * zone. A node class that selects one (`capacityReservationSelectorTerms`) gets a `reserved`
 * offering for it, priced as the EC2 adapter prices it, available while the reservation has room.
 */
import type { EC2NodeClass } from '../../apis/index.ts';
import { reservedPrice } from '../ec2-model/offering-selection.ts';
import type { NodeClassReconciliation } from '../node-class-status.ts';
import type { InstanceType } from '../types.ts';

export interface SimulatedReservation {
  /** `cr-…`. */
  readonly id: string;
  readonly instanceType: string;
  readonly zone: string;
  readonly count: number;
  readonly ownerID?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

const DEFAULT_OWNER = '000000000000';

type Term = NonNullable<EC2NodeClass['spec']['capacityReservationSelectorTerms']>[number];

function matches(reservation: SimulatedReservation, term: Term): boolean {
  if (term.id) return term.id === reservation.id;
  const owner = reservation.ownerID ?? DEFAULT_OWNER;
  if (term.ownerID && term.ownerID !== owner) return false;
  return Object.entries(term.tags ?? {}).every(([key, value]) =>
    value === '*' ? reservation.tags?.[key] !== undefined : reservation.tags?.[key] === value,
  );
}

export class SimulatedReservations {
  constructor(private readonly reservations: readonly SimulatedReservation[]) {}

  /** The reservations the class selects. */
  selected(nodeClass: EC2NodeClass): SimulatedReservation[] {
    const terms = nodeClass.spec.capacityReservationSelectorTerms ?? [];
    return this.reservations.filter((reservation) =>
      terms.some((term) => matches(reservation, term)),
    );
  }

  /** The status entries for the class's reservations. */
  status(nodeClass: EC2NodeClass): NodeClassReconciliation['resolved']['capacityReservations'] {
    return this.selected(nodeClass).map(({ id, instanceType, zone, ownerID }) => ({
      id,
      availabilityZone: zone,
      instanceType,
      ownerID: ownerID ?? DEFAULT_OWNER,
      instanceMatchCriteria: 'targeted' as const,
    }));
  }

  /**
   * `types` with a reserved offering per selected reservation, available while `hasRoom` says
   * the reservation can take another instance.
   */
  withReservedOfferings(
    types: readonly InstanceType[],
    nodeClass: EC2NodeClass,
    hasRoom: (reservation: SimulatedReservation) => boolean,
  ): readonly InstanceType[] {
    const selected = this.selected(nodeClass);
    if (selected.length === 0) return types;
    return types.map((type) => {
      const reserved = selected
        .filter(({ instanceType }) => instanceType === type.name)
        .flatMap((reservation) => {
          const { id, zone } = reservation;
          const onDemand = type.offerings.find(
            (offering) => offering.zone === zone && offering.capacityType === 'on-demand',
          );
          if (!onDemand) return [];
          return [
            {
              zone,
              capacityType: 'reserved' as const,
              price: reservedPrice(onDemand.price),
              available: hasRoom(reservation),
              reservationId: id,
            },
          ];
        });
      return reserved.length > 0 ? { ...type, offerings: [...reserved, ...type.offerings] } : type;
    });
  }
}
