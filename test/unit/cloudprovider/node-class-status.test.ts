import { describe, expect, it } from 'vitest';
import {
  isStatusFresh,
  needsCheckMark,
  nextNodeClassStatus,
  STATUS_CHECKED_ANNOTATION,
  STATUS_FRESH_MS,
  statusNotReadyReason,
  type NodeClassReconciliation,
} from '../../../lib/cloudprovider/index.ts';
import { nodeClass } from '../../fixtures/node-class.ts';

const T0 = Date.parse('2026-11-27T10:00:00Z');
const T1 = Date.parse('2026-11-27T11:00:00.250Z');
const ready: NodeClassReconciliation = {
  resolved: {
    subnets: [{ id: 'subnet-a', zone: 'us-east-1a' }],
    securityGroups: [{ id: 'sg-1', name: 'nodes' }],
    amis: [{ id: 'ami-1', requirements: [] }],
    instanceProfile: 'c_1',
  },
  problems: {},
};
const withGeneration = (generation: number, extra: object = {}) => {
  const base = nodeClass();
  return { ...base, metadata: { ...base.metadata, generation, ...extra } };
};

describe('nextNodeClassStatus', () => {
  it('sets every condition True at the class generation, in Karpenter’s order, in whole seconds', () => {
    // Act
    const status = nextNodeClassStatus(withGeneration(3), ready, T1);

    // Assess
    expect(status.subnets).toEqual(ready.resolved.subnets);
    expect(status.conditions).toEqual(
      [
        'SubnetsReady',
        'SecurityGroupsReady',
        'AMIsReady',
        'InstanceProfileReady',
        'CapacityReservationsReady',
        'ValidationSucceeded',
        'Ready',
      ].map((type) => ({
        type,
        status: 'True',
        reason: type,
        lastTransitionTime: '2026-11-27T11:00:00Z',
        observedGeneration: 3,
      })),
    );
  });

  it('keeps unchanged conditions’ transition times and reports failing parts on Ready', () => {
    // Prepare
    const before = {
      ...withGeneration(1),
      status: nextNodeClassStatus(withGeneration(1), ready, T0),
    };
    const broken: NodeClassReconciliation = {
      resolved: { ...ready.resolved, amis: [] },
      problems: { AMIsReady: { reason: 'AMINotFound', message: 'no AMI matches' } },
    };

    // Act
    const after = nextNodeClassStatus(before, broken, T1);

    // Assess
    const byType = new Map(after.conditions?.map((condition) => [condition.type, condition]));
    expect(byType.get('SubnetsReady')?.lastTransitionTime).toBe('2026-11-27T10:00:00Z');
    expect(byType.get('AMIsReady')).toMatchObject({
      status: 'False',
      reason: 'AMINotFound',
      message: 'no AMI matches',
      lastTransitionTime: '2026-11-27T11:00:00Z',
    });
    expect(byType.get('ValidationSucceeded')).toMatchObject({
      status: 'False',
      reason: 'DependenciesNotReady',
    });
    expect(byType.get('Ready')).toMatchObject({
      status: 'False',
      reason: 'UnhealthyDependents',
      message: 'AMIsReady=False, ValidationSucceeded=False',
    });
    expect(statusNotReadyReason(after)).toBe('AMIsReady: no AMI matches');
  });

  it('gives an identical status for an unchanged class, so nothing is written', () => {
    // Prepare
    const first = {
      ...withGeneration(1),
      status: nextNodeClassStatus(withGeneration(1), ready, T0),
    };

    // Act
    const second = nextNodeClassStatus(first, ready, T1);

    // Assess
    expect(second).toEqual(first.status);
  });
});

describe('status freshness', () => {
  const checked = (at: number, generation = 1, observed = 1) => ({
    ...withGeneration(generation, {
      annotations: { [STATUS_CHECKED_ANNOTATION]: new Date(at).toISOString() },
    }),
    status: nextNodeClassStatus(withGeneration(observed), ready, at),
  });

  it('is fresh for the observed generation within the window, and stale after it', () => {
    // Assess
    expect(isStatusFresh(checked(T0), T0 + STATUS_FRESH_MS - 1)).toBe(true);
    expect(isStatusFresh(checked(T0), T0 + STATUS_FRESH_MS)).toBe(false);
  });

  it('is stale when the spec changed since the status was written, or it was never checked', () => {
    // Assess
    expect(isStatusFresh(checked(T0, 2, 1), T0)).toBe(false);
    expect(isStatusFresh(withGeneration(1), T0)).toBe(false);
    expect(needsCheckMark(withGeneration(1), T0)).toBe(true);
    expect(needsCheckMark(checked(T0), T0 + 60_000)).toBe(false);
  });
});
