import { describe, expect, it } from 'vitest';
import { Labels } from '../../../lib/apis/index.ts';
import { embeddedCatalog } from '../../../lib/cloudprovider/ec2-model/catalog/index.ts';
import { SimulatedCloud } from '../../../lib/cloudprovider/simulated/index.ts';
import { runProvisioning } from '../../../lib/provisioning/index.ts';
import {
  offeringEntryKey,
  offeringOfEntryKey,
  shareUnavailableOfferings,
} from '../../../lib/state/index.ts';
import { MemoryEnvironment } from '../provisioning/memory-environment.ts';

const offering = { instanceType: 'm5.large', zone: 'us-east-1a', capacityType: 'spot' } as const;

/** A second Lambda container: its own provider and caches, the same cluster. */
function otherContainer(env: MemoryEnvironment): SimulatedCloud {
  return new SimulatedCloud({
    catalog: embeddedCatalog('us-east-1'),
    clock: env.clock,
    nodeClass: async (name) =>
      (await env.kube.kube.listEC2NodeClasses()).items.find(
        ({ metadata }) => metadata.name === name,
      ),
  });
}

describe('unavailable offerings shared through the cluster', () => {
  it('names an offering by a ConfigMap key and reads it back; a key naming none is ignored', () => {
    // Act
    const key = offeringEntryKey(offering);

    // Assess
    expect(key).toBe('spot_m5.large_us-east-1a');
    expect(offeringOfEntryKey(key)).toEqual(offering);
    expect(offeringOfEntryKey('spotty_m5.large_us-east-1a')).toBeUndefined();
    expect(offeringOfEntryKey('spot_m5.large')).toBeUndefined();
    expect(offeringOfEntryKey('spot_m5.large_us-east-1a_x')).toBeUndefined();
  });

  it('names a capacity reservation after its offering, and reads back only reserved offerings with a reservation ID', () => {
    // Prepare
    const reservation = {
      instanceType: 'm5.large',
      zone: 'us-east-1a',
      capacityType: 'reserved',
      reservationId: 'cr-0123456789abcdef0',
    } as const;

    // Act
    const key = offeringEntryKey(reservation);

    // Assess
    expect(key).toBe('reserved_m5.large_us-east-1a_cr-0123456789abcdef0');
    expect(offeringOfEntryKey(key)).toEqual(reservation);
    expect(offeringOfEntryKey('spot_m5.large_us-east-1a_cr-0123456789abcdef0')).toBeUndefined();
    expect(offeringOfEntryKey('reserved_m5.large_us-east-1a_sg-0123')).toBeUndefined();
    expect(offeringOfEntryKey(`${key}_more`)).toBeUndefined();
  });

  it('lets another container, and its cold start, avoid an offering one container found out of capacity', async () => {
    // Prepare
    const env = new MemoryEnvironment();
    const expiresAt = env.clock.now() + 180_000;
    env.cloud.rememberUnavailable([{ ...offering, expiresAt }]);
    const cold = otherContainer(env);

    // Act
    await shareUnavailableOfferings(env.kube.unavailableOfferings, env.cloud);
    await shareUnavailableOfferings(env.kube.unavailableOfferings, cold);

    // Assess
    expect(cold.unavailableOfferings()).toEqual([{ ...offering, expiresAt }]);
  });

  it('makes a provisioning run in another container launch elsewhere for the offering’s three minutes', async () => {
    // Prepare
    const env = new MemoryEnvironment();
    await env.createNodeClass();
    await env.createNodePool('spot', {
      template: {
        spec: {
          requirements: [
            { key: Labels.capacityType, operator: 'In', values: ['spot'] },
            { key: Labels.instanceType, operator: 'In', values: ['m5.large'] },
          ],
          nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
        },
      },
    });
    await env.createPendingPod('web');
    const zones = async (cloud: SimulatedCloud) => {
      const types = await cloud.getInstanceTypes(
        (await env.kube.kube.listNodePools()).items[0] as never,
      );
      return types[0]?.offerings
        .filter(({ capacityType, available }) => capacityType === 'spot' && available)
        .map(({ zone }) => zone);
    };
    const interrupted = otherContainer(env);
    interrupted.rememberUnavailable([{ ...offering, expiresAt: env.clock.now() + 180_000 }]);
    await shareUnavailableOfferings(env.kube.unavailableOfferings, interrupted);

    // Act
    const result = await runProvisioning(env.deps());
    const launched = env.cloud.instances().map(({ zone }) => zone);
    await env.clock.advance(180_000);
    const afterwards = await zones(env.cloud);

    // Assess
    expect(result.status).toBe('completed');
    expect(launched).toHaveLength(1);
    expect(launched).not.toContain('us-east-1a');
    expect(afterwards).toContain('us-east-1a');
  });
});
