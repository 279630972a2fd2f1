import { beforeAll, describe, expect, it } from 'vitest';
import { LeaseLock, ResourceTypes } from '../../../lib/kube/index.ts';
import { ManualClock } from '../../fixtures/manual-clock.ts';
import type { ContractHarness, HarnessFactory } from './harness.ts';

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  leaseTransitions?: number;
}

export function leaseContract(setup: HarnessFactory): void {
  describe('Lease lock', () => {
    let harness: ContractHarness;
    beforeAll(async () => {
      harness = await setup();
    });

    function locks(clusterName: string, clock: ManualClock, ...holders: string[]): LeaseLock[] {
      return holders.map(
        (holder) =>
          new LeaseLock(harness.transport, clock, {
            clusterName,
            holder,
            namespace: harness.namespace,
            leaseDurationSeconds: 30,
          }),
      );
    }

    async function leaseSpec(lock: LeaseLock): Promise<LeaseSpec> {
      return (await harness.transport.get(ResourceTypes.lease, lock.key))['spec'] as LeaseSpec;
    }

    it('is acquired by the first run and refused to others while it is renewed', async () => {
      // Prepare
      const clock = new ManualClock();
      const [first, second] = locks('held', clock, 'request-1', 'request-2') as [
        LeaseLock,
        LeaseLock,
      ];

      // Act
      const acquired = await first.tryAcquire();
      await clock.advance(20_000);
      const renewed = await first.renew();
      await clock.advance(20_000);
      const refused = await second.tryAcquire();

      // Assess
      expect({ acquired, renewed, refused }).toEqual({
        acquired: true,
        renewed: true,
        refused: false,
      });
      expect(await leaseSpec(first)).toMatchObject({
        holderIdentity: 'request-1',
        leaseDurationSeconds: 30,
        leaseTransitions: 0,
      });
    });

    it('is taken over once it expires, and the old holder then knows it lost', async () => {
      // Prepare
      const clock = new ManualClock();
      const [stale, fresh] = locks('expired', clock, 'request-1', 'request-2') as [
        LeaseLock,
        LeaseLock,
      ];
      await stale.tryAcquire();
      await clock.advance(30_000);

      // Act
      const takenOver = await fresh.tryAcquire();
      const staleRenewal = await stale.renew();

      // Assess
      expect({ takenOver, staleRenewal }).toEqual({ takenOver: true, staleRenewal: false });
      expect(await leaseSpec(fresh)).toMatchObject({
        holderIdentity: 'request-2',
        leaseTransitions: 1,
      });
    });

    it('is free for the next run as soon as it is released', async () => {
      // Prepare
      const clock = new ManualClock();
      const [done, next] = locks('released', clock, 'request-1', 'request-2') as [
        LeaseLock,
        LeaseLock,
      ];
      await done.tryAcquire();

      // Act
      await done.release();
      const acquired = await next.tryAcquire();

      // Assess
      expect(acquired).toBe(true);
      expect((await leaseSpec(next)).holderIdentity).toBe('request-2');
    });

    it('goes to exactly one of several runs racing for it, whether it is new or expired', async () => {
      // Prepare
      const clock = new ManualClock();
      const racers = locks('raced', clock, 'request-a', 'request-b', 'request-c');

      // Act
      const forNew = await Promise.all(racers.map((lock) => lock.tryAcquire()));
      await clock.advance(31_000);
      const forExpired = await Promise.all(racers.map((lock) => lock.tryAcquire()));

      // Assess
      expect(forNew.filter(Boolean)).toHaveLength(1);
      expect(forExpired.filter(Boolean)).toHaveLength(1);
      const winner = racers[forExpired.indexOf(true)];
      expect((await leaseSpec(racers[0] as LeaseLock)).holderIdentity).toBe(winner?.holder);
    });
  });
}
