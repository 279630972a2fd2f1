import { describe, expect, it } from 'vitest';
import {
  UNAVAILABLE_OFFERING_TTL_MS,
  UnavailableOfferings,
} from '../../../../lib/cloudprovider/ec2-model/unavailable-offerings.ts';
import { clockReading } from '../../../fixtures/manual-clock.ts';

const offering = { instanceType: 'm5.large', zone: 'us-east-1a', capacityType: 'spot' } as const;

describe('UnavailableOfferings', () => {
  it('marks an offering unavailable for three minutes, then forgets it', () => {
    // Prepare
    let now = 1_000;
    const cache = new UnavailableOfferings(clockReading(() => now));

    // Act
    cache.markUnavailable(offering);
    const justBefore = ((now += UNAVAILABLE_OFFERING_TTL_MS - 1), cache.isUnavailable(offering));
    const atExpiry = ((now += 1), cache.isUnavailable(offering));

    // Assess
    expect(UNAVAILABLE_OFFERING_TTL_MS).toBe(180_000);
    expect(justBefore).toBe(true);
    expect(atExpiry).toBe(false);
  });

  it('keys on instance type, zone and capacity type together', () => {
    // Prepare
    const cache = new UnavailableOfferings(clockReading(() => 0));

    // Act
    cache.markUnavailable(offering);

    // Assess
    expect(cache.isUnavailable(offering)).toBe(true);
    expect(cache.isUnavailable({ ...offering, capacityType: 'on-demand' })).toBe(false);
    expect(cache.isUnavailable({ ...offering, zone: 'us-east-1b' })).toBe(false);
    expect(cache.isUnavailable({ ...offering, instanceType: 'm5.xlarge' })).toBe(false);
  });

  it('holds a reservation alone when the entry names it, and every reservation of the type in the zone when it names none', () => {
    // Prepare
    const reserved = {
      instanceType: 'm5.large',
      zone: 'us-east-1a',
      capacityType: 'reserved',
    } as const;
    const first = { ...reserved, reservationId: 'cr-0000000000000000a' };
    const second = { ...reserved, reservationId: 'cr-0000000000000000b' };
    const byReservation = new UnavailableOfferings(clockReading(() => 0));
    const byTypeInZone = new UnavailableOfferings(clockReading(() => 0));

    // Act
    byReservation.markUnavailable(first);
    byTypeInZone.markUnavailable(reserved);

    // Assess
    expect([byReservation.isUnavailable(first), byReservation.isUnavailable(second)]).toEqual([
      true,
      false,
    ]);
    expect(byReservation.isUnavailable(reserved)).toBe(false);
    expect(byReservation.entries()).toEqual([{ ...first, expiresAt: UNAVAILABLE_OFFERING_TTL_MS }]);
    expect([byTypeInZone.isUnavailable(first), byTypeInZone.isUnavailable(second)]).toEqual([
      true,
      true,
    ]);
  });

  it('extends the window when the same offering fails again', () => {
    // Prepare
    let now = 0;
    const cache = new UnavailableOfferings(
      clockReading(() => now),
      100,
    );
    cache.markUnavailable(offering);

    // Act
    now = 90;
    cache.markUnavailable(offering);
    now = 150;

    // Assess
    expect(cache.isUnavailable(offering)).toBe(true);
  });
});
