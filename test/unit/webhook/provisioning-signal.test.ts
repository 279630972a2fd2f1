import { describe, expect, it } from 'vitest';
import { ProvisioningSignalSchema, signalMessage } from '../../../lib/webhook/index.ts';

const SECOND = Date.parse('2026-11-27T18:00:00.000Z');

describe('signalMessage', () => {
  it('deduplicates signals of the same second, per cluster', () => {
    // Act
    const first = signalMessage('prod-1', 'pod a/b', SECOND);
    const sameSecond = signalMessage('prod-1', 'pod a/c', SECOND + 999);
    const nextSecond = signalMessage('prod-1', 'pod a/d', SECOND + 1_000);
    const otherCluster = signalMessage('prod-2', 'pod a/b', SECOND);

    // Assess
    expect(sameSecond.deduplicationId).toBe(first.deduplicationId);
    expect(nextSecond.deduplicationId).not.toBe(first.deduplicationId);
    expect(otherCluster.deduplicationId).not.toBe(first.deduplicationId);
    expect([first.groupId, otherCluster.groupId]).toEqual(['prod-1', 'prod-2']);
  });

  it('carries a body the provisioner’s schema accepts', () => {
    // Act
    const message = signalMessage('prod-1', 'ping', SECOND + 5);

    // Assess
    expect(ProvisioningSignalSchema.parse(JSON.parse(message.body))).toEqual({
      cluster: 'prod-1',
      reason: 'ping',
      signalledAt: '2026-11-27T18:00:00.005Z',
    });
  });
});
