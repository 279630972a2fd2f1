import { beforeEach, describe, expect, it } from 'vitest';
import { Labels, Taints } from '../../../lib/apis/index.ts';
import { buildKubeClients, ResourceTypes, type KubeClient } from '../../../lib/kube/index.ts';
import { embeddedCatalog } from '../../../lib/cloudprovider/ec2-model/catalog/index.ts';
import { SimulatedCloud } from '../../../lib/cloudprovider/simulated/index.ts';
import { shareUnavailableOfferings } from '../../../lib/state/index.ts';
import {
  capacityReservationInterruption,
  rebalanceRecommendation,
  spotInterruptionWarning,
  stateChange,
} from '../../fixtures/interruption-events.ts';
import { overriding } from '../../contract/kube/harness.ts';
import { CLUSTER_NAME } from '../provisioning/memory-environment.ts';
import { InterruptionEnvironment } from './interruption-environment.ts';

describe('the interruption run', () => {
  let env: InterruptionEnvironment;
  beforeEach(async () => {
    env = new InterruptionEnvironment();
    await env.setUp();
  });

  it('on a spot warning, marks the offering unavailable, deletes the claim, asks for a replacement and starts the drain', async () => {
    // Prepare
    const { claim, node } = await env.registeredClaim({ capacityType: 'spot' });
    await env.runPod('web', node.metadata.name);
    const name = claim.metadata.name ?? '';
    const labels = claim.metadata.labels ?? {};

    // Act
    const result = await env.interrupt([
      spotInterruptionWarning({ instanceId: env.instanceIdOf(claim) }),
    ]);

    // Assess
    const offering = {
      instanceType: labels[Labels.instanceType],
      zone: labels[Labels.zone],
      capacityType: 'spot',
    };
    expect(result.outcomes.get('m0')).toEqual({ status: 'acted', nodeClaims: [name] });
    expect(result.nodeClaimsDeleted).toEqual([name]);
    expect(result.offeringsMarkedUnavailable).toEqual([offering]);
    expect(env.cloud.unavailableOfferings()).toEqual([
      { ...offering, expiresAt: env.clock.now() + 180_000 },
    ]);
    expect([...(await env.kube.unavailableOfferings.read()).keys()]).toEqual([
      `spot_${offering.instanceType}_${offering.zone}`,
    ]);
    expect((await env.claim(name)).metadata.deletionTimestamp).toBeDefined();
    expect(env.provisioningRequests).toEqual([`interrupted NodeClaim(s) ${name}`]);
    expect(result.termination?.evicted).toBe(1);
    expect((await env.node(node.metadata.name))?.spec?.taints).toContainEqual(Taints.disrupted);
    expect((await env.eventSummaries()).sort()).toEqual([
      `SpotInterrupted Node/${node.metadata.name}`,
      `SpotInterrupted NodeClaim/${name}`,
      `TerminatingOnInterruption Node/${node.metadata.name}`,
      `TerminatingOnInterruption NodeClaim/${name}`,
    ]);
  });

  it('on a capacity reservation interruption, holds that reservation unavailable for a minute, through the cluster, and deletes the claim', async () => {
    // Prepare
    const reservations = ['cr-0a1b2c3d4e5f60001', 'cr-0a1b2c3d4e5f60002'].map((id) => ({
      id,
      instanceType: 'm5.large',
      zone: 'us-east-1a',
      count: 2,
    }));
    env = new InterruptionEnvironment(reservations);
    await env.setUp();
    const { claim, node } = await env.registeredClaim({ capacityType: 'reserved' });
    const name = claim.metadata.name ?? '';
    const interrupted = claim.metadata.labels?.[Labels.capacityReservationId];
    const coldStart = new SimulatedCloud({
      catalog: embeddedCatalog('us-east-1'),
      clock: env.clock,
      nodeClass: async () => (await env.kube.kube.listEC2NodeClasses()).items[0],
      capacityReservations: reservations,
    });
    const reservedOfferings = async () => {
      const pool = (await env.kube.kube.listNodePools()).items[0];
      if (!pool) throw new Error('no NodePool');
      const types = await coldStart.getInstanceTypes(pool);
      return types
        .find((type) => type.name === 'm5.large')
        ?.offerings.filter(({ capacityType }) => capacityType === 'reserved')
        .map(({ reservationId, available }) => `${reservationId ?? ''} ${String(available)}`)
        .sort();
    };

    // Act
    const result = await env.interrupt([
      capacityReservationInterruption({ instanceId: env.instanceIdOf(claim) }),
    ]);
    const stored = [...(await env.kube.unavailableOfferings.read())];
    await shareUnavailableOfferings(env.kube.unavailableOfferings, coldStart);
    const offeredAfterWarning = await reservedOfferings();
    await env.clock.advance(60_000);
    const offeredAMinuteLater = await reservedOfferings();

    // Assess
    const reservation = {
      instanceType: 'm5.large',
      zone: 'us-east-1a',
      capacityType: 'reserved',
      reservationId: interrupted,
    };
    expect(interrupted).toMatch(/^cr-/);
    expect(result.outcomes.get('m0')).toEqual({ status: 'acted', nodeClaims: [name] });
    expect(result.offeringsMarkedUnavailable).toEqual([reservation]);
    expect(stored).toEqual([
      [`reserved_m5.large_us-east-1a_${interrupted ?? ''}`, env.clock.now()],
    ]);
    const untouched = reservations.find(({ id }) => id !== interrupted)?.id ?? '';
    expect(offeredAfterWarning).toEqual([`${interrupted ?? ''} false`, `${untouched} true`].sort());
    expect(offeredAMinuteLater).toEqual([`${interrupted ?? ''} true`, `${untouched} true`].sort());
    expect(result.nodeClaimsDeleted).toEqual([name]);
    expect(env.provisioningRequests).toEqual([`interrupted NodeClaim(s) ${name}`]);
    expect((await env.eventSummaries()).sort()).toEqual([
      `CapacityReservationInstanceInterrupted Node/${node.metadata.name}`,
      `CapacityReservationInstanceInterrupted NodeClaim/${name}`,
      `TerminatingOnInterruption Node/${node.metadata.name}`,
      `TerminatingOnInterruption NodeClaim/${name}`,
    ]);
  });

  it('on a stopping instance, deletes its claim without marking an on-demand offering', async () => {
    // Prepare
    const { claim, node } = await env.registeredClaim();

    // Act
    const result = await env.interrupt([
      stateChange('stopping', { instanceId: env.instanceIdOf(claim) }),
    ]);

    // Assess
    expect(result.nodeClaimsDeleted).toEqual([claim.metadata.name]);
    expect(result.offeringsMarkedUnavailable).toEqual([]);
    expect(env.cloud.unavailableOfferings()).toEqual([]);
    expect(await env.eventSummaries()).toContain(`InstanceStopping Node/${node.metadata.name}`);
  });

  it('on a rebalance recommendation, records an Event and nothing else', async () => {
    // Prepare
    const { claim, node } = await env.registeredClaim({ capacityType: 'spot' });

    // Act
    const result = await env.interrupt([
      rebalanceRecommendation({ instanceId: env.instanceIdOf(claim) }),
    ]);

    // Assess
    expect(result.outcomes.get('m0')?.status).toBe('acted');
    expect(result.nodeClaimsDeleted).toEqual([]);
    expect(result.termination).toBeUndefined();
    expect((await env.claim(claim.metadata.name ?? '')).metadata.deletionTimestamp).toBeUndefined();
    expect(env.provisioningRequests).toEqual([]);
    expect(await env.eventSummaries()).toEqual([
      `SpotRebalanceRecommendation NodeClaim/${claim.metadata.name ?? ''}`,
      `SpotRebalanceRecommendation Node/${node.metadata.name}`,
    ]);
  });

  it('acknowledges and ignores an event for an instance that is not this cluster’s', async () => {
    // Prepare
    const { claim } = await env.registeredClaim({ capacityType: 'spot' });

    // Act
    const result = await env.interrupt([
      spotInterruptionWarning({ instanceId: 'i-0fffffffffffffff0' }),
      stateChange('running', { instanceId: env.instanceIdOf(claim) }),
    ]);

    // Assess
    expect(result.outcomes.get('m0')).toEqual({
      status: 'ignored',
      reason: 'no NodeClaim of this cluster runs i-0fffffffffffffff0',
    });
    expect(result.outcomes.get('m1')).toEqual({
      status: 'ignored',
      reason: 'NoOp asks for nothing',
    });
    expect(result.nodeClaimsDeleted).toEqual([]);
    expect(env.cloud.unavailableOfferings()).toEqual([]);
    expect(env.provisioningRequests).toEqual([]);
    expect(await env.events()).toEqual([]);
  });

  it('takes a redelivered warning harmlessly: no second deletion or Event, the replacement asked for again', async () => {
    // Prepare
    const { claim, node } = await env.registeredClaim({ capacityType: 'spot' });
    await env.runPod('web', node.metadata.name);
    const warning = spotInterruptionWarning({ instanceId: env.instanceIdOf(claim) });
    await env.interrupt([warning]);
    const events = (await env.events()).length;

    // Act
    await env.clock.advance(5_000);
    const again = await env.interrupt([warning]);

    // Assess
    expect(again.outcomes.get('m0')?.status).toBe('acted');
    expect(again.nodeClaimsDeleted).toEqual([]);
    expect((await env.events()).length).toBe(events);
    expect(env.provisioningRequests).toHaveLength(2);
  });

  it('reads the cluster once for a whole batch', async () => {
    // Prepare
    const claims = [
      (await env.registeredClaim({ capacityType: 'spot' })).claim,
      (await env.registeredClaim({ capacityType: 'spot' })).claim,
      (await env.registeredClaim({ capacityType: 'spot' })).claim,
    ];
    let nodeClaimLists = 0;
    const counting = buildKubeClients(
      () =>
        overriding(env.cluster, {
          list: (type, request) => {
            if (type === ResourceTypes.nodeClaim) nodeClaimLists += 1;
            return env.cluster.list(type, request);
          },
        }),
      { clusterName: CLUSTER_NAME, logger: env.logger, clock: env.clock },
    );

    // Act
    const result = await env.interrupt(
      claims.map((claim) => rebalanceRecommendation({ instanceId: env.instanceIdOf(claim) })),
      { kube: counting },
    );

    // Assess
    expect([...result.outcomes.values()].map(({ status }) => status)).toEqual([
      'acted',
      'acted',
      'acted',
    ]);
    expect(nodeClaimLists).toBe(1);
  });

  it('fails only the message whose claim could not be deleted', async () => {
    // Prepare
    const stuck = (await env.registeredClaim({ capacityType: 'spot' })).claim;
    const other = (await env.registeredClaim({ capacityType: 'spot' })).claim;
    const kube: KubeClient = {
      ...env.kube.kube,
      deleteNodeClaim: async (name) => {
        if (name === stuck.metadata.name) throw new Error('etcdserver: request timed out');
        return env.kube.kube.deleteNodeClaim(name);
      },
    };

    // Act
    const result = await env.interrupt(
      [stuck, other].map((claim) =>
        spotInterruptionWarning({ instanceId: env.instanceIdOf(claim) }),
      ),
      { kube: { ...env.kube, kube } },
    );

    // Assess
    expect(result.outcomes.get('m0')).toEqual({
      status: 'failed',
      error: 'etcdserver: request timed out',
    });
    expect(result.outcomes.get('m1')).toEqual({
      status: 'acted',
      nodeClaims: [other.metadata.name],
    });
    expect(result.nodeClaimsDeleted).toEqual([other.metadata.name]);
  });

  it('asks for the replacement once the offering is in the cluster and before the drain, which waits for no Event', async () => {
    // Prepare
    const { claim, node } = await env.registeredClaim({ capacityType: 'spot' });
    await env.runPod('web', node.metadata.name);
    let evictions = 0;
    let evicted = (): void => undefined;
    const firstEviction = new Promise<void>((resolve) => (evicted = resolve));
    const kube: KubeClient = {
      ...env.kube.kube,
      evictPod: (pod) => ((evictions += 1), evicted(), env.kube.kube.evictPod(pod)),
      recordEvent: async (event) => {
        await Promise.race([
          firstEviction,
          new Promise<never>((_, reject) =>
            setTimeout(() => reject(new Error('the drain waited for the Events')), 2_000),
          ),
        ]);
        return env.kube.kube.recordEvent(event);
      },
    };
    const whenSignalled: { stored: string[]; evictions: number }[] = [];

    // Act
    const result = await env.interrupt(
      [spotInterruptionWarning({ instanceId: env.instanceIdOf(claim) })],
      {
        kube: { ...env.kube, kube },
        requestProvisioning: async () =>
          void whenSignalled.push({
            stored: [...(await env.kube.unavailableOfferings.read()).keys()],
            evictions,
          }),
      },
    );

    // Assess
    const labels = claim.metadata.labels ?? {};
    expect(result.outcomes.get('m0')?.status).toBe('acted');
    expect(result.termination?.evicted).toBe(1);
    expect(whenSignalled).toEqual([
      {
        stored: [`spot_${labels[Labels.instanceType] ?? ''}_${labels[Labels.zone] ?? ''}`],
        evictions: 0,
      },
    ]);
    expect(await env.eventSummaries()).toHaveLength(4);
  });

  it('fails the messages whose replacement could not be asked for, so they come back', async () => {
    // Prepare
    const { claim } = await env.registeredClaim();

    // Act
    const result = await env.interrupt(
      [stateChange('shutting-down', { instanceId: env.instanceIdOf(claim) })],
      {
        requestProvisioning: () => Promise.reject(new Error('SQS: AccessDenied')),
      },
    );

    // Assess
    expect(result.outcomes.get('m0')).toEqual({ status: 'failed', error: 'SQS: AccessDenied' });
    expect(result.nodeClaimsDeleted).toEqual([claim.metadata.name]);
  });
});
