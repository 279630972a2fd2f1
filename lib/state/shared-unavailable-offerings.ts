import { CapacityTypes, type CapacityType } from '../apis/labels.ts';
import type { CloudProvider } from '../cloudprovider/cloud-provider.ts';
import type { OfferingKey, UnavailableOffering } from '../cloudprovider/errors.ts';
import type { ExpiringEntries } from '../kube/index.ts';

/**
 * The ConfigMap key of an offering, with its reservation last when it names one; `_` appears in
 * no capacity type, instance type, zone or reservation ID.
 */
export function offeringEntryKey({
  capacityType,
  instanceType,
  zone,
  reservationId,
}: OfferingKey): string {
  const key = `${capacityType}_${instanceType}_${zone}`;
  return reservationId === undefined ? key : `${key}_${reservationId}`;
}

function isCapacityType(value: string): value is CapacityType {
  return (CapacityTypes as readonly string[]).includes(value);
}

const RESERVATION_ID = /^cr-[0-9a-f]+$/;

/** The offering a ConfigMap key names, or undefined for a key that names none (written by hand). */
export function offeringOfEntryKey(key: string): OfferingKey | undefined {
  const [capacityType = '', instanceType, zone, reservationId, ...rest] = key.split('_');
  if (!isCapacityType(capacityType) || !instanceType || !zone || rest.length > 0) return undefined;
  if (reservationId === undefined) return { capacityType, instanceType, zone };
  if (capacityType !== 'reserved' || !RESERVATION_ID.test(reservationId)) return undefined;
  return { capacityType, instanceType, zone, reservationId };
}

/**
 * Makes the cloud provider and the cluster agree on the offerings out of capacity: the entries
 * other functions stored are remembered by this container's provider, and the provider's own
 * (capacity errors it met, spot interruptions) that the cluster lacks, or holds for less long,
 * are stored. Call it before a run reads instance types and after it has launched.
 */
export async function shareUnavailableOfferings(
  store: ExpiringEntries,
  cloud: CloudProvider,
): Promise<void> {
  const stored = await store.read();
  cloud.rememberUnavailable(
    [...stored].flatMap(([key, expiresAt]): UnavailableOffering[] => {
      const offering = offeringOfEntryKey(key);
      return offering ? [{ ...offering, expiresAt }] : [];
    }),
  );
  const missing = cloud
    .unavailableOfferings()
    .filter((offering) => (stored.get(offeringEntryKey(offering)) ?? 0) < offering.expiresAt);
  if (missing.length === 0) return;
  await store.add(
    new Map(missing.map((offering) => [offeringEntryKey(offering), offering.expiresAt])),
  );
}
