import type { Clock } from '../../util/clock.ts';
import type { OfferingKey, UnavailableOffering } from '../errors.ts';

/** How long an offering stays unavailable after a capacity error, as in Karpenter. */
export const UNAVAILABLE_OFFERING_TTL_MS = 3 * 60_000;

/**
 * How long an interrupted capacity reservation stays unavailable. Karpenter counts it as having
 * no free instance until it next reads the reservations from EC2, which it does every minute.
 */
export const UNAVAILABLE_RESERVATION_TTL_MS = 60_000;

function keyOf({ capacityType, instanceType, zone, reservationId }: OfferingKey): string {
  const key = `${capacityType}:${instanceType}:${zone}`;
  return reservationId === undefined ? key : `${key}:${reservationId}`;
}

/**
 * Offerings that recently failed with a capacity error or were reclaimed (the "ICE cache"). One
 * lives as long as the Lambda container (or the simulator); the runs share its entries with
 * other functions through the cluster. The clock is injected so a virtual clock can drive it.
 */
export class UnavailableOfferings {
  private readonly expiries = new Map<string, UnavailableOffering>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number = UNAVAILABLE_OFFERING_TTL_MS,
  ) {}

  markUnavailable(offering: OfferingKey): void {
    this.remember({ ...offering, expiresAt: this.clock.now() + this.ttlMs });
  }

  /** Holds the offering unavailable until its `expiresAt`, unless it already is for longer. */
  remember(offering: UnavailableOffering): void {
    const key = keyOf(offering);
    if ((this.expiries.get(key)?.expiresAt ?? 0) >= offering.expiresAt) return;
    const { instanceType, zone, capacityType, reservationId, expiresAt } = offering;
    this.expiries.set(key, {
      instanceType,
      zone,
      capacityType,
      ...(reservationId !== undefined && { reservationId }),
      expiresAt,
    });
  }

  /** Whether the offering is held unavailable: for its type, zone and capacity type, or its reservation. */
  isUnavailable(offering: OfferingKey): boolean {
    const { reservationId, ...typeInZone } = offering;
    return (
      this.heldNow(keyOf(typeInZone)) ||
      (reservationId !== undefined && this.heldNow(keyOf(offering)))
    );
  }

  private heldNow(key: string): boolean {
    const entry = this.expiries.get(key);
    if (entry === undefined) return false;
    if (entry.expiresAt > this.clock.now()) return true;
    this.expiries.delete(key);
    return false;
  }

  /** The offerings unavailable now, each with its expiry. */
  entries(): UnavailableOffering[] {
    const now = this.clock.now();
    for (const [key, { expiresAt }] of this.expiries)
      if (expiresAt <= now) this.expiries.delete(key);
    return [...this.expiries.values()];
  }
}
