import { describe, expect, it } from 'vitest';
import { PodSchema, type Pod } from '../../../lib/apis/index.ts';
import { podStartupDurations } from '../../../lib/tick/pod-startup.ts';

const T0 = Date.parse('2026-03-01T12:00:00Z');
const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();

function pod(
  name: string,
  createdAt: number,
  ready: { status: 'True' | 'False'; at?: number },
  restartCount = 0,
): Pod {
  return PodSchema.parse({
    metadata: { name, namespace: 'default', creationTimestamp: at(createdAt) },
    spec: { containers: [{ name: 'app', image: 'app' }] },
    status: {
      phase: 'Running',
      conditions: [
        {
          type: 'Ready',
          status: ready.status,
          lastTransitionTime: ready.at === undefined ? null : at(ready.at),
        },
      ],
      containerStatuses: [{ name: 'app', restartCount }],
    },
  });
}

describe('pod startup durations', () => {
  it('counts the pods whose Ready turned True in the window, from creation to that transition', () => {
    // Prepare
    const window = { from: T0, to: T0 + 60_000 };
    const pods = [
      pod('at-start', -40, { status: 'True', at: 0 }),
      pod('inside', 10, { status: 'True', at: 59.5 }),
      pod('at-end', 0, { status: 'True', at: 60 }),
      pod('before', -100, { status: 'True', at: -1 }),
      pod('not-ready', 0, { status: 'False', at: 30 }),
      pod('no-time', 0, { status: 'True' }),
      pod('restarted', 0, { status: 'True', at: 30 }, 1),
    ];

    // Act
    const durations = podStartupDurations(pods, window);

    // Assess
    expect(durations).toEqual([40, 49.5]);
  });
});
