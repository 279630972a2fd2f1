import { describe, expect, it } from 'vitest';
import { Labels } from '../../../../lib/apis/labels.ts';
import { formatResources } from '../../../../lib/apis/quantity.ts';
import { allocatable } from '../../../../lib/cloudprovider/types.ts';
import {
  embeddedCatalog,
  estimatedSpotPrice,
} from '../../../../lib/cloudprovider/ec2-model/catalog/index.ts';
import {
  InstanceNotFoundError,
  InsufficientCapacityError,
  NodeClassNotReadyError,
} from '../../../../lib/cloudprovider/errors.ts';
import {
  DEFAULT_BOOT_DELAY_MS,
  SimulatedCloud,
  readyNodeChange,
  registeredNode,
} from '../../../../lib/cloudprovider/simulated/index.ts';
import { nodeClaim, nodeClass, nodePool } from '../../sim/fixtures.ts';
import { clockReading } from '../../../fixtures/manual-clock.ts';

const catalog = embeddedCatalog('us-east-1');
const m5Large = catalog.instanceTypes.find(({ name }) => name === 'm5.large');

function cloud(now = { time: 1_000_000 }): SimulatedCloud {
  return new SimulatedCloud({
    catalog,
    clock: clockReading(() => now.time),
    nodeClass: (name) => Promise.resolve(name === 'default' ? nodeClass() : undefined),
  });
}

const onlyM5 = (capacityTypes: string[]) => [
  { key: Labels.instanceType, operator: 'In' as const, values: ['m5.large', 'm5.xlarge'] },
  { key: Labels.capacityType, operator: 'In' as const, values: capacityTypes },
  { key: Labels.zone, operator: 'In' as const, values: ['us-east-1a'] },
];

describe('SimulatedCloud', () => {
  it('launches the cheapest spot offering the NodeClaim allows, at the estimated spot price', async () => {
    // Prepare
    const simulated = cloud();
    // Act
    const launched = await simulated.create(nodeClaim('a', onlyM5(['spot', 'on-demand'])));
    // Assess
    expect(launched).toMatchObject({
      instanceType: 'm5.large',
      capacityType: 'spot',
      zone: 'us-east-1a',
      state: 'running',
    });
    expect(launched.providerID).toMatch(/^aws:\/\/\/us-east-1a\/i-[0-9a-f]{17}$/);
    expect(launched.labels[Labels.instanceType]).toBe('m5.large');
    const [instance] = simulated.instances();
    expect(instance?.priceUSDPerHour).toBe(
      estimatedSpotPrice('m5', m5Large?.onDemandUSDPerHour ?? 0),
    );
    expect(instance?.readyAt).toBe(1_000_000 + DEFAULT_BOOT_DELAY_MS);
    expect(instance?.registersAt).toBe(1_000_000 + DEFAULT_BOOT_DELAY_MS - 10_000);
  });

  it('charges the catalog on-demand price for on-demand launches', async () => {
    // Prepare
    const simulated = cloud();
    // Act
    await simulated.create(nodeClaim('a', onlyM5(['on-demand'])));
    // Assess
    expect(simulated.instances()[0]?.priceUSDPerHour).toBe(m5Large?.onDemandUSDPerHour);
  });

  it('returns the same instance when a NodeClaim is launched twice (the ClientToken)', async () => {
    // Prepare
    const simulated = cloud();
    const claim = nodeClaim('a', onlyM5(['spot']));
    // Act
    const first = await simulated.create(claim);
    const second = await simulated.create(claim);
    // Assess
    expect(second.providerID).toBe(first.providerID);
    expect(simulated.instances()).toHaveLength(1);
  });

  it('skips an exhausted offering, marks it unavailable and launches the next one', async () => {
    // Prepare
    const simulated = cloud();
    simulated.faults.exhaust({ instanceType: 'm5.large', capacityType: 'spot' });
    // Act
    const launched = await simulated.create(nodeClaim('a', onlyM5(['spot'])));
    const types = await simulated.getInstanceTypes(nodePool('default'));
    // Assess
    expect(launched.instanceType).toBe('m5.xlarge');
    expect(simulated.instances()[0]?.exhaustedOnLaunch).toEqual([
      { instanceType: 'm5.large', zone: 'us-east-1a', capacityType: 'spot' },
    ]);
    const offering = types
      .find(({ name }) => name === 'm5.large')
      ?.offerings.find((o) => o.zone === 'us-east-1a' && o.capacityType === 'spot');
    expect(offering?.available).toBe(false);
  });

  it('fails with InsufficientCapacityError naming every exhausted offering when none is left', async () => {
    // Prepare
    const simulated = cloud();
    simulated.faults.exhaust({ instanceType: 'm5.large' });
    simulated.faults.exhaust({ instanceType: 'm5.xlarge' });
    // Act
    const launch = simulated.create(nodeClaim('a', onlyM5(['spot'])));
    // Assess
    await expect(launch).rejects.toBeInstanceOf(InsufficientCapacityError);
    await expect(launch).rejects.toMatchObject({
      exhausted: [{ instanceType: 'm5.large' }, { instanceType: 'm5.xlarge' }],
    });
  });

  it('gives capacity back when an exhaustion fault ends', async () => {
    // Prepare
    const now = { time: 0 };
    const simulated = cloud(now);
    simulated.faults.exhaust({ instanceType: 'm5.large', until: 60_000 });
    now.time = 60_000 + 3 * 60_000;
    // Act
    const launched = await simulated.create(nodeClaim('a', onlyM5(['spot'])));
    // Assess
    expect(launched.instanceType).toBe('m5.large');
  });

  it('launches instances that never register after neverRegisterNext', async () => {
    // Prepare
    const simulated = cloud();
    simulated.faults.neverRegisterNext(1);
    // Act
    await simulated.create(nodeClaim('a', onlyM5(['spot'])));
    await simulated.create(nodeClaim('b', onlyM5(['spot'])));
    // Assess
    expect(simulated.instances().map(({ readyAt }) => readyAt)).toEqual([
      undefined,
      1_000_000 + DEFAULT_BOOT_DELAY_MS,
    ]);
  });

  it('terminates on delete, after which get fails and list leaves the instance out', async () => {
    // Prepare
    const simulated = cloud();
    const claim = nodeClaim('a', onlyM5(['spot']));
    const launched = await simulated.create(claim);
    // Act
    await simulated.delete({ ...claim, status: { providerID: launched.providerID } });
    await simulated.delete({ ...claim, status: { providerID: launched.providerID } });
    // Assess
    await expect(simulated.get(launched.providerID)).rejects.toBeInstanceOf(InstanceNotFoundError);
    expect(await simulated.list()).toEqual([]);
    expect(simulated.instances()[0]?.terminatedAt).toBe(1_000_000);
  });

  it('refuses a NodeClaim whose EC2NodeClass does not exist', async () => {
    // Prepare
    const simulated = cloud();
    const claim = nodeClaim('a', onlyM5(['spot']));
    // Act
    const launch = simulated.create({
      ...claim,
      spec: { ...claim.spec, nodeClassRef: { ...claim.spec.nodeClassRef, name: 'missing' } },
    });
    // Assess
    await expect(launch).rejects.toBeInstanceOf(NodeClassNotReadyError);
  });

  it('registers a node that shows its boot taints: not Ready, with the startup taints and not-ready', async () => {
    // Prepare
    const simulated = cloud();
    const taint = { key: 'dedicated', value: 'x', effect: 'NoSchedule' as const };
    const startup = { key: 'agent.example.com/not-ready', effect: 'NoSchedule' as const };
    await simulated.create(nodeClaim('a', onlyM5(['on-demand']), 'uid-a', [taint], [startup]));
    const [instance] = simulated.instances();
    if (!instance) throw new Error('no instance');
    // Act
    const node = registeredNode(instance, '2026-01-05T08:00:35Z');
    const ready = readyNodeChange(instance, '2026-01-05T08:00:45Z');
    // Assess
    expect(node.metadata.labels).toMatchObject({
      [Labels.instanceType]: 'm5.large',
      [Labels.capacityType]: 'on-demand',
      [Labels.zone]: 'us-east-1a',
      [Labels.nodePool]: 'default',
      [Labels.hostname]: instance.nodeName,
    });
    expect(node.spec?.taints).toEqual([
      taint,
      startup,
      { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' },
    ]);
    expect(node.spec?.providerID).toBe(instance.providerID);
    expect(node.status?.allocatable).toEqual(formatResources(allocatable(instance.instanceType)));
    expect(node.status).toMatchObject({ conditions: [{ type: 'Ready', status: 'False' }] });
    expect(ready.taints).toEqual([taint]);
    expect(ready.conditions).toMatchObject([{ type: 'Ready', status: 'True' }]);
  });
});
