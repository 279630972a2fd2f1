import { describe, expect, it } from 'vitest';
import { PodSchema, type Pod } from '../../../lib/apis/index.ts';
import { isProvisionable, isReschedulable } from '../../../lib/state/index.ts';

const UNSCHEDULABLE = { type: 'PodScheduled', status: 'False', reason: 'Unschedulable' };

function pod({
  metadata = {},
  spec = {},
  status = { phase: 'Pending', conditions: [UNSCHEDULABLE] },
}: { metadata?: object; spec?: object; status?: object } = {}): Pod {
  return PodSchema.parse({
    metadata: { name: 'p', namespace: 'default', ...metadata },
    spec: { containers: [{ name: 'app' }], ...spec },
    status,
  });
}

describe('isProvisionable', () => {
  it.each([
    ['a pod kube-scheduler marked Unschedulable', pod(), true],
    ['a pod not yet tried by kube-scheduler', pod({ status: { phase: 'Pending' } }), false],
    [
      'a pod waiting for a scheduling gate',
      pod({
        status: { phase: 'Pending', conditions: [{ ...UNSCHEDULABLE, reason: 'SchedulingGated' }] },
      }),
      false,
    ],
    ['a bound pod', pod({ spec: { nodeName: 'n1' } }), false],
    [
      'a pod kube-scheduler preempted room for',
      pod({ status: { phase: 'Pending', conditions: [UNSCHEDULABLE], nominatedNodeName: 'n1' } }),
      false,
    ],
    ['a terminating pod', pod({ metadata: { deletionTimestamp: '2026-01-01T00:00:00Z' } }), false],
    ['a finished pod', pod({ status: { phase: 'Failed', conditions: [UNSCHEDULABLE] } }), false],
    [
      'a DaemonSet pod',
      pod({
        metadata: {
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ds', uid: 'u' }],
        },
      }),
      false,
    ],
    [
      'a static (mirror) pod',
      pod({ metadata: { annotations: { 'kubernetes.io/config.mirror': 'hash' } } }),
      false,
    ],
  ])('%s: %s', (_case, candidate, expected) => {
    // Act
    const provisionable = isProvisionable(candidate);

    // Assess
    expect(provisionable).toBe(expected);
  });
});

describe('isReschedulable', () => {
  it.each([
    ['a running pod', pod({ status: { phase: 'Running' } }), true],
    [
      'a terminating Deployment pod',
      pod({ metadata: { deletionTimestamp: '2026-01-01T00:00:00Z' } }),
      false,
    ],
    [
      'a terminating StatefulSet pod, whose replacement keeps its identity',
      pod({
        metadata: {
          deletionTimestamp: '2026-01-01T00:00:00Z',
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 's', uid: 'u' }],
        },
      }),
      true,
    ],
    [
      'a pod owned by its Node (static)',
      pod({
        metadata: { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'n1', uid: 'u' }] },
      }),
      false,
    ],
    ['a succeeded pod', pod({ status: { phase: 'Succeeded' } }), false],
  ])('%s: %s', (_case, candidate, expected) => {
    // Act
    const reschedulable = isReschedulable(candidate);

    // Assess
    expect(reschedulable).toBe(expected);
  });
});
