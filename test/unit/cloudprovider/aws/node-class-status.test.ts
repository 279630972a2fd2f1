import { describe, expect, it } from 'vitest';
import {
  nodeClassStatus,
  type NodeClassResolution,
} from '../../../../lib/cloudprovider/aws/node-class-resolution.ts';

const ready: NodeClassResolution = {
  name: 'default',
  amiFamily: 'AL2023',
  subnets: [{ id: 'subnet-a', zone: 'us-east-1a', zoneID: 'use1-az1', availableIps: 250 }],
  securityGroups: [{ id: 'sg-1', name: 'nodes' }],
  amis: [
    {
      id: 'ami-1',
      name: 'nodes',
      requirements: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }],
      deprecated: false,
    },
  ],
  instanceProfile: 'NodeRole',
  problems: {},
};
const T0 = new Date('2026-11-27T10:00:00Z');
const T1 = new Date('2026-11-27T11:00:00Z');

describe('nodeClassStatus', () => {
  it('projects the resolution into the EC2NodeClass status with every condition True', () => {
    // Act
    const status = nodeClassStatus(ready, undefined, T0);

    // Assess
    expect(status.subnets).toEqual([{ id: 'subnet-a', zone: 'us-east-1a', zoneID: 'use1-az1' }]);
    expect(status.amis).toEqual([
      { id: 'ami-1', name: 'nodes', requirements: ready.amis[0]?.requirements },
    ]);
    expect(status.conditions?.length).toBeGreaterThan(0);
    expect(
      status.conditions?.every(
        (condition) =>
          condition.status === 'True' && condition.lastTransitionTime === T0.toISOString(),
      ),
    ).toBe(true);
  });

  it('keeps the transition time of conditions that did not change and moves it for those that did', () => {
    // Prepare
    const before = nodeClassStatus(ready, undefined, T0);
    const broken = {
      ...ready,
      securityGroups: [],
      problems: { SecurityGroupsReady: 'no security group matches' },
    };

    // Act
    const after = nodeClassStatus(broken, before, T1);

    // Assess
    const byType = new Map(after.conditions?.map((condition) => [condition.type, condition]));
    expect(byType.get('SubnetsReady')?.lastTransitionTime).toBe(T0.toISOString());
    expect(byType.get('SecurityGroupsReady')).toEqual({
      type: 'SecurityGroupsReady',
      status: 'False',
      reason: 'SecurityGroupsNotFound',
      message: 'no security group matches',
      lastTransitionTime: T1.toISOString(),
    });
    expect(byType.get('Ready')).toMatchObject({
      status: 'False',
      message: 'SecurityGroupsReady not ready: no security group matches',
    });
  });
});
