/** The instance types a resolved node class can launch: EC2's types, offerings and prices, cached per region. */
import type { EC2NodeClass } from '../../apis/ec2nodeclass.ts';
import type { Clock } from '../../util/clock.ts';
import type { CapacityOptions } from '../ec2-model/capacity.ts';
import { nodeClassCapacityOptions } from '../ec2-model/node-class-capacity.ts';
import type { InstanceType } from '../types.ts';
import type { AwsProviderCaches } from './caches.ts';
import {
  buildInstanceTypes,
  describeInstanceTypes,
  describeOfferingZones,
} from './instance-types.ts';
import type { NodeClassResolution } from './node-class-resolution.ts';
import { loadPrices, type PriceLoaderClients } from './prices.ts';
import type { ProviderLogger } from './provider-logger.ts';
import type { AwsProviderSettings } from './settings.ts';
import type { Throttled } from './throttle-retry.ts';

export interface InstanceTypeContext {
  readonly clients: PriceLoaderClients;
  readonly settings: AwsProviderSettings;
  readonly caches: AwsProviderCaches;
  readonly clock: Clock;
  readonly logger: ProviderLogger;
  readonly throttled: Throttled;
}

export async function nodeClassInstanceTypes(
  context: InstanceTypeContext,
  nodeClass: EC2NodeClass,
  resolution: NodeClassResolution,
): Promise<InstanceType[]> {
  const { clients, settings, caches, clock, logger, throttled } = context;
  const [described, offeringZones, prices] = await Promise.all([
    caches.instanceTypes.getOrLoad(settings.region, () =>
      throttled('DescribeInstanceTypes', () => describeInstanceTypes(clients.ec2, settings.region)),
    ),
    caches.offeringZones.getOrLoad(settings.region, () =>
      throttled('DescribeInstanceTypeOfferings', () => describeOfferingZones(clients.ec2)),
    ),
    caches.prices.getOrLoad(settings.region, () =>
      loadPrices(clients, settings.region, new Date(clock.now()), logger),
    ),
  ]);
  const capacityOptions: CapacityOptions = {
    ...nodeClassCapacityOptions(nodeClass, resolution.amiFamily),
    vmMemoryOverheadPercent: settings.vmMemoryOverheadPercent,
    reservedEnis: settings.reservedEnis,
    eniLimitedPodDensity: settings.eniLimitedPodDensity,
  };
  const subnetZones = new Set(resolution.subnets.map((subnet) => subnet.zone));
  const reservations = resolution.capacityReservations.map((reservation) => ({
    id: reservation.id,
    instanceType: reservation.instanceType,
    zone: reservation.availabilityZone,
    remaining: caches.reservationLaunches.remaining(
      reservation.id,
      reservation.availableInstanceCount,
    ),
  }));
  return buildInstanceTypes(
    { described, offeringZones, prices },
    subnetZones,
    capacityOptions,
    caches.unavailableOfferings,
    reservations,
  );
}
