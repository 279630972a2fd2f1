import { describe, expect, it } from 'vitest';
import {
  InvalidInterruptionMessageError,
  parseInterruptionMessage,
} from '../../../lib/interruption/index.ts';
import {
  capacityReservationInterruption,
  healthEvent,
  rebalanceRecommendation,
  spotInterruptionWarning,
  stateChange,
} from '../../fixtures/interruption-events.ts';

const instanceId = 'i-1234567890abcdef0';
const parse = (event: unknown) => parseInterruptionMessage(JSON.stringify(event));

function problemsOf(body: string): readonly string[] {
  try {
    parseInterruptionMessage(body);
  } catch (error) {
    if (error instanceof InvalidInterruptionMessageError) return error.problems;
    throw error;
  }
  throw new Error('parsed');
}

describe('parseInterruptionMessage', () => {
  it.each([
    ['a spot interruption warning', spotInterruptionWarning({ instanceId }), 'SpotInterruption'],
    [
      'a rebalance recommendation',
      rebalanceRecommendation({ instanceId }),
      'RebalanceRecommendation',
    ],
    ['an AWS Health scheduled change for EC2', healthEvent({ instanceId }), 'ScheduledChange'],
    [
      'a capacity reservation interruption warning',
      capacityReservationInterruption({ instanceId }),
      'CapacityReservationInterruption',
    ],
  ])('reads %s as AWS documents it', (_, event, kind) => {
    // Act
    const message = parse(event);

    // Assess
    expect(message).toEqual({
      id: event.id,
      kind,
      instanceIDs: [instanceId],
      time: Date.parse('2026-11-30T12:00:00Z'),
    });
  });

  it.each([
    ['stopping', 'InstanceStopped'],
    ['stopped', 'InstanceStopped'],
    ['shutting-down', 'InstanceTerminated'],
    ['terminated', 'InstanceTerminated'],
    ['pending', 'NoOp'],
    ['running', 'NoOp'],
  ])('reads a state change to %s as %s, like Karpenter', (state, kind) => {
    // Act
    const message = parse(stateChange(state, { instanceId: 'i-abcd1111' }));

    // Assess
    expect(message.kind).toBe(kind);
    expect(message.instanceIDs).toEqual(['i-abcd1111']);
  });

  it('acts on no Health event but EC2 scheduled changes, and only on instance entities', () => {
    // Prepare
    const issue = healthEvent({ instanceId }, { eventTypeCategory: 'issue' });
    const otherService = healthEvent({ instanceId }, { service: 'RDS' });
    const mixed = healthEvent({ instanceId });
    mixed.detail.affectedEntities.push({ entityValue: 'vol-0abc', tags: { stage: '', app: '' } });

    // Act
    const kinds = [parse(issue).kind, parse(otherService).kind];
    const entities = parse(mixed).instanceIDs;

    // Assess
    expect(kinds).toEqual(['NoOp', 'NoOp']);
    expect(entities).toEqual([instanceId]);
  });

  it('names the field of a spot warning without an instance ID', () => {
    // Prepare
    const event = spotInterruptionWarning({ instanceId });
    const body = JSON.stringify({ ...event, detail: { 'instance-action': 'terminate' } });

    // Act
    const problems = problemsOf(body);

    // Assess
    expect(problems).toEqual([
      'detail.instance-id: Invalid input: expected string, received undefined',
    ]);
  });

  it('rejects an instance ID that is not one, a bad time and a foreign source, naming each', () => {
    // Prepare
    const event = {
      ...spotInterruptionWarning({ instanceId: 'node-7' }),
      time: 'yesterday',
      source: 'my.app',
    };

    // Act
    const problems = problemsOf(JSON.stringify(event));

    // Assess
    expect(problems).toEqual([
      'source: Invalid input: expected "aws.ec2"',
      'time: Invalid ISO datetime',
      'detail.instance-id: expected an EC2 instance ID',
    ]);
  });

  it('rejects an event no interruption rule sends, listing the detail types it reads', () => {
    // Prepare
    const event = {
      ...rebalanceRecommendation({ instanceId }),
      'detail-type': 'EC2 AMI State Change',
    };

    // Act
    const problems = problemsOf(JSON.stringify(event));

    // Assess
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^detail-type: expected one of "EC2 Spot Instance Interruption Warning", /,
    );
  });

  it('rejects a body that is not JSON', () => {
    // Act
    const problems = problemsOf('{"detail-type": ');

    // Assess
    expect(problems[0]).toMatch(/^body: not JSON/);
  });
});
