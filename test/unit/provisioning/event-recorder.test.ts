import { describe, expect, it } from 'vitest';
import type { KubeClient } from '../../../lib/kube/index.ts';
import { EventRecorder, type ThrottledEvent } from '../../../lib/provisioning/index.ts';
import { ManualClock } from '../../fixtures/manual-clock.ts';

/** Only recordEvent is called by the recorder. */
function recordingKube(): { kube: KubeClient; recorded: ThrottledEvent[] } {
  const recorded: ThrottledEvent[] = [];
  const kube = {
    recordEvent: (event: ThrottledEvent) => {
      recorded.push(event);
      return Promise.resolve();
    },
  } as Partial<KubeClient> as KubeClient;
  return { kube, recorded };
}

function podEvent(name: string, reason: string, throttle?: ThrottledEvent['throttle']) {
  return {
    involvedObject: { apiVersion: 'v1', kind: 'Pod', name, namespace: 'default', uid: name },
    type: 'Normal',
    reason,
    message: `${reason} ${name}`,
    ...(throttle ? { throttle } : {}),
  } satisfies ThrottledEvent;
}

describe('EventRecorder', () => {
  it('records an event with the same reason and dedupe values once within the timeout', async () => {
    // Prepare
    const clock = new ManualClock();
    const recorder = new EventRecorder(clock);
    const { kube, recorded } = recordingKube();
    const nominated = (name: string) =>
      podEvent(name, 'Nominated', { dedupeValues: [name], dedupeTimeoutMs: 60_000 });

    // Act
    await recorder.publish(kube, [nominated('a'), nominated('a'), nominated('b')]);
    await clock.advance(59_999);
    await recorder.publish(kube, [nominated('a'), podEvent('a', 'Launched')]);
    await clock.advance(1);
    await recorder.publish(kube, [nominated('a')]);

    // Assess: an event without dedupe values always goes; the dedupe ends with its timeout.
    expect(
      recorded.map(({ reason, involvedObject }) => `${reason} ${involvedObject.name}`),
    ).toEqual(['Nominated a', 'Nominated b', 'Launched a', 'Nominated a']);
    expect(recorded.every((event) => !('throttle' in event))).toBe(true);
  });

  it('drops the events a shared rate limit refuses, across publishes', async () => {
    // Prepare
    const clock = new ManualClock();
    const recorder = new EventRecorder(clock);
    const { kube, recorded } = recordingKube();
    const rateLimit = { name: 'nominations', limits: { qps: 5, burst: 10 } };
    const events = (prefix: string, count: number) =>
      Array.from({ length: count }, (_, index) =>
        podEvent(`${prefix}-${index}`, 'Nominated', { rateLimit }),
      );

    // Act
    await recorder.publish(kube, events('first', 25));
    await clock.advance(1_000);
    await recorder.publish(kube, events('second', 25));

    // Assess: the burst of 10, then the 5 refilled in a second.
    expect(recorded).toHaveLength(15);
    expect(recorded.slice(0, 10).map(({ involvedObject }) => involvedObject.name)).toEqual(
      Array.from({ length: 10 }, (_, index) => `first-${index}`),
    );
    expect(recorded.slice(10).map(({ involvedObject }) => involvedObject.name)).toEqual(
      Array.from({ length: 5 }, (_, index) => `second-${index}`),
    );
  });
});
