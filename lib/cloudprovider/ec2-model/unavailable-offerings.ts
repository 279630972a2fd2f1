import type { Clock } from '../../util/clock.ts';
import type { OfferingKey } from '../errors.ts';

/** How long an offering stays unavailable after a capacity error, as in Karpenter. */
export const UNAVAILABLE_OFFERING_TTL_MS = 3 * 60_000;

function keyOf(offering: OfferingKey): string {
  return `${offering.capacityType}:${offering.instanceType}:${offering.zone}`;
}

/**
 * Offerings that recently failed with a capacity error (the "ICE cache"). Lives as long as the
 * Lambda container (or the simulator); the clock is injected so a virtual clock can drive it.
 */
export class UnavailableOfferings {
  private readonly expiries = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number = UNAVAILABLE_OFFERING_TTL_MS,
  ) {}

  markUnavailable(offering: OfferingKey): void {
    this.expiries.set(keyOf(offering), this.clock.now() + this.ttlMs);
  }

  isUnavailable(offering: OfferingKey): boolean {
    const key = keyOf(offering);
    const expiry = this.expiries.get(key);
    if (expiry === undefined) return false;
    if (expiry > this.clock.now()) return true;
    this.expiries.delete(key);
    return false;
  }
}
