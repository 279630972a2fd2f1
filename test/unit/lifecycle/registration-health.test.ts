import { describe, expect, it } from 'vitest';
import type { EC2NodeClass, NodePool } from '../../../lib/apis/index.ts';
import {
  nextRegistrationHealth,
  REGISTRATION_HISTORY_ANNOTATION,
} from '../../../lib/lifecycle/index.ts';

const NOW = '2026-01-01T00:00:00Z';
const nodeClass = { metadata: { name: 'default', generation: 3 } } as EC2NodeClass;

function nodePool(history: string | undefined, status?: 'True' | 'False' | 'Unknown'): NodePool {
  return {
    metadata: {
      name: 'general',
      generation: 2,
      ...(history === undefined
        ? {}
        : { annotations: { [REGISTRATION_HISTORY_ANNOTATION]: history } }),
    },
    status: {
      nodeClassObservedGeneration: 3,
      conditions: status
        ? [
            {
              type: 'NodeRegistrationHealthy',
              status,
              reason: 'Earlier',
              lastTransitionTime: '2025-12-31T00:00:00Z',
              observedGeneration: 2,
            },
          ]
        : [],
    },
  } as unknown as NodePool;
}

function healthAfter(pool: NodePool, outcomes: boolean[]) {
  const next = nextRegistrationHealth(pool, nodeClass, outcomes, NOW);
  return {
    status: next.conditions.find(({ type }) => type === 'NodeRegistrationHealthy')?.status,
    history: next.history,
  };
}

describe('NodeRegistrationHealthy', () => {
  it.each([
    {
      name: 'one failure out of a fresh window stays Unknown',
      history: '',
      status: 'Unknown' as const,
      outcomes: [false],
      expected: { status: 'Unknown', history: '0' },
    },
    {
      name: 'two failures make it False',
      history: '',
      status: 'Unknown' as const,
      outcomes: [false, false],
      expected: { status: 'False', history: '00' },
    },
    {
      name: 'a registration after a healthy window keeps it True',
      history: '1101',
      status: 'True' as const,
      outcomes: [true],
      expected: { status: 'True', history: '1011' },
    },
    {
      name: 'a registration with half the window failed does not make it True',
      history: '00',
      status: 'False' as const,
      outcomes: [true, true],
      expected: { status: 'False', history: '0011' },
    },
    {
      name: 'the third registration pushes the failures under half',
      history: '0011',
      status: 'False' as const,
      outcomes: [true],
      expected: { status: 'True', history: '0111' },
    },
  ])('$name', ({ history, status, outcomes, expected }) => {
    // Act
    const health = healthAfter(nodePool(history, status), outcomes);

    // Assess
    expect(health).toEqual(expected);
  });

  it('without a stored history, seeds it from the condition as Karpenter does after a restart', () => {
    // Act
    const health = healthAfter(nodePool(undefined, 'False'), [true]);

    // Assess
    expect(health).toEqual({ status: 'False', history: '001' });
  });

  it('goes Unknown and forgets the history when the node class changed generation', () => {
    // Prepare
    const changed = { metadata: { name: 'default', generation: 4 } } as EC2NodeClass;

    // Act
    const next = nextRegistrationHealth(nodePool('1111', 'True'), changed, [], NOW);

    // Assess
    expect(next.conditions[0]).toMatchObject({ status: 'Unknown', observedGeneration: 2 });
    expect(next.history).toBe('');
    expect(next.nodeClassObservedGeneration).toBe(4);
  });
});
