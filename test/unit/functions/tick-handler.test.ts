import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { tickHandler, tickOptions } from '../../../functions/tick/tick-handler.ts';
import type { TickResult } from '../../../lib/tick/index.ts';
import { lambdaContext } from '../../fixtures/lambda-events.ts';

const EMPTY_TICK: TickResult = {
  nodeClasses: {
    ready: [],
    notReady: [],
    statusWritten: [],
    finalized: [],
    deletionWaiting: [],
    failures: [],
  },
  passes: [],
  garbageCollection: { instancesTerminated: [], nodeClaimsDeleted: [], failures: [] },
  provisioning: undefined,
  disruption: {
    status: 'skipped',
    conditionsUpdated: [],
    orchestration: undefined,
    expired: [],
    commands: [],
    abandoned: undefined,
  },
};

describe('the tick handler', () => {
  it('takes a shortened registration TTL from REGISTRATION_TTL', () => {
    // Act
    const options = tickOptions({ REGISTRATION_TTL: '90s' });

    // Assess
    expect(options).toEqual({ registrationTtlMs: 90_000 });
    expect(tickOptions({})).toEqual({});
  });

  it('names REGISTRATION_TTL when it is not a duration', () => {
    // Act
    const parse = () => tickOptions({ REGISTRATION_TTL: 'soon' });

    // Assess
    expect(parse).toThrow(/REGISTRATION_TTL/);
  });

  it('runs one tick per scheduled invocation with the invocation’s context', async () => {
    // Prepare
    const contexts: Context[] = [];
    const context = lambdaContext({ requestId: 'tick-1' }) as Context;

    // Act
    await tickHandler((received) => {
      contexts.push(received);
      return Promise.resolve(EMPTY_TICK);
    })({ source: 'aws.scheduler' }, context);

    // Assess
    expect(contexts).toEqual([context]);
  });

  it('lets a failed tick fail its invocation', async () => {
    // Act
    const invocation = tickHandler(() => Promise.reject(new Error('apiserver unreachable')))(
      {},
      lambdaContext(),
    );

    // Assess
    await expect(invocation).rejects.toThrow('apiserver unreachable');
  });
});
