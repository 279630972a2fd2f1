import { systemClock, type Clock } from '../../util/clock.ts';
import { UnavailableOfferings } from '../ec2-model/unavailable-offerings.ts';
import type { DescribedInstanceType } from './instance-type-info.ts';
import type { NodeClassResolution } from './node-class-resolution.ts';
import type { Prices } from './prices.ts';
import { ReservationLaunches } from './reservation-launches.ts';
import { TtlCache } from '../../util/ttl-cache.ts';

const MINUTE = 60_000;

/**
 * Everything the AWS adapter remembers between runs of one Lambda container. Build it once at
 * module scope and hand it to each run's provider.
 */
export class AwsProviderCaches {
  readonly instanceTypes: TtlCache<DescribedInstanceType[]>;
  readonly offeringZones: TtlCache<Map<string, string[]>>;
  readonly prices: TtlCache<Prices>;
  readonly nodeClasses: TtlCache<NodeClassResolution>;
  readonly launchTemplates: TtlCache<string>;
  readonly unavailableOfferings: UnavailableOfferings;
  readonly reservationLaunches = new ReservationLaunches();

  constructor(clock: Clock = systemClock) {
    this.instanceTypes = new TtlCache(60 * MINUTE, clock);
    this.offeringZones = new TtlCache(60 * MINUTE, clock);
    this.prices = new TtlCache(60 * MINUTE, clock);
    this.nodeClasses = new TtlCache(MINUTE, clock);
    this.launchTemplates = new TtlCache(10 * MINUTE, clock);
    this.unavailableOfferings = new UnavailableOfferings(clock);
  }
}
