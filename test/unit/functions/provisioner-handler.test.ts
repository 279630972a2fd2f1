import type { Context, SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  provisionerHandler,
  type SignalQueue,
} from '../../../functions/provisioner/provisioner-handler.ts';
import type { ProvisioningResult } from '../../../lib/provisioning/index.ts';
import { signalMessage } from '../../../lib/webhook/index.ts';
import { lambdaContext, sqsRecord } from '../../fixtures/lambda-events.ts';

const COMPLETED: ProvisioningResult = {
  status: 'completed',
  nodeClaimsCreated: ['default-abc12'],
  nodeClaimsLaunched: ['default-abc12'],
  nodeClaimsDeleted: [],
  launchFailures: [],
  podsNominated: 3,
  unschedulablePods: [],
  podsNotAttempted: 0,
  schedulerTimedOut: false,
  lockLost: false,
  durations: { loadMs: 10, solveMs: 5, actMs: 20 },
};

function signal(second: number): string {
  return signalMessage('prod-1', `pod shop/web-${second}`, Date.UTC(2026, 10, 27, 18, 0, second))
    .body;
}

function event(...bodies: string[]): SQSEvent {
  return { Records: bodies.map((body, index) => sqsRecord(`m${index}`, body)) };
}

/** The queue operations the handler asked for, in order. */
function recordingQueue() {
  const deadLettered: { messageId: string; reason: string }[] = [];
  const retries: { messageId: string; seconds: number }[] = [];
  const anotherPass: string[] = [];
  const queue: SignalQueue = {
    deadLetter: ({ messageId }, reason) => {
      deadLettered.push({ messageId, reason });
      return Promise.resolve();
    },
    retryAfter: ({ messageId }, seconds) => {
      retries.push({ messageId, seconds });
      return Promise.resolve();
    },
    requestAnotherPass: (reason) => {
      anotherPass.push(reason);
      return Promise.resolve();
    },
  };
  return { queue, deadLettered, retries, anotherPass };
}

function recordingRun(outcome: () => Promise<ProvisioningResult>) {
  const contexts: Context[] = [];
  const run = (context: Context) => {
    contexts.push(context);
    return outcome();
  };
  return { run, contexts };
}

describe('the provisioner handler', () => {
  it('runs once for a batch of signals and reports no failures', async () => {
    // Prepare
    const { queue } = recordingQueue();
    const { run, contexts } = recordingRun(() => Promise.resolve(COMPLETED));
    const context = lambdaContext({ requestId: 'run-1' }) as Context;

    // Act
    const response = await provisionerHandler(run, queue)(
      event(signal(1), signal(2), signal(3)),
      context,
    );

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(contexts).toEqual([context]);
  });

  it('asks for no other pass when the run left nothing behind', async () => {
    // Prepare
    const { queue, anotherPass } = recordingQueue();
    const { run } = recordingRun(() => Promise.resolve(COMPLETED));

    // Act
    await provisionerHandler(run, queue)(event(signal(1)), lambdaContext());

    // Assess
    expect(anotherPass).toEqual([]);
  });

  it.each<{ left: string; result: ProvisioningResult; reason: RegExp }>([
    {
      left: 'a run skipped for the lock',
      result: { status: 'skipped', reason: 'locked' },
      reason: /skipped/,
    },
    {
      left: 'pods untried at the deadline',
      result: { ...COMPLETED, podsNotAttempted: 40, schedulerTimedOut: true },
      reason: /40 pod\(s\) untried/,
    },
    {
      left: 'a failed launch',
      result: { ...COMPLETED, launchFailures: [{ name: 'default-abc12', message: 'throttled' }] },
      reason: /failed to launch 1/,
    },
    {
      left: 'a claim deleted for lack of capacity',
      result: {
        ...COMPLETED,
        nodeClaimsDeleted: [
          { name: 'default-abc12', reason: 'InsufficientCapacity', message: 'no offering' },
        ],
      },
      reason: /deleted 1 NodeClaim/,
    },
    { left: 'a lost lock', result: { ...COMPLETED, lockLost: true }, reason: /lost the lock/ },
  ])('requests another pass at once after $left', async ({ result, reason }) => {
    // Prepare
    const { queue, anotherPass } = recordingQueue();
    const { run } = recordingRun(() => Promise.resolve(result));

    // Act
    const response = await provisionerHandler(run, queue)(event(signal(1)), lambdaContext());

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(anotherPass).toEqual([expect.stringMatching(reason)]);
  });

  it('fails the records when the request for another pass cannot be sent, so they come back', async () => {
    // Prepare
    const { queue, retries } = recordingQueue();
    const { run } = recordingRun(() => Promise.resolve({ status: 'skipped', reason: 'locked' }));
    const failing: SignalQueue = {
      ...queue,
      requestAnotherPass: () => Promise.reject(new Error('SQS unavailable')),
    };

    // Act
    const response = await provisionerHandler(run, failing)(event(signal(1)), lambdaContext());

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm0' }]);
    expect(retries.map(({ messageId }) => messageId)).toEqual(['m0']);
  });

  it('fails every record when the run fails and has each come back within seconds, later on each retry', async () => {
    // Prepare
    const { queue, retries } = recordingQueue();
    const { run, contexts } = recordingRun(() =>
      Promise.reject(new Error('apiserver unreachable')),
    );
    const batch = event(signal(1), signal(2));
    batch.Records[1]!.attributes.ApproximateReceiveCount = '3';

    // Act
    const response = await provisionerHandler(run, queue)(batch, lambdaContext());

    // Assess
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: 'm0' },
      { itemIdentifier: 'm1' },
    ]);
    expect(contexts).toHaveLength(1);
    expect(retries).toEqual([
      { messageId: 'm0', seconds: 5 },
      { messageId: 'm1', seconds: 15 },
    ]);
  });

  it('moves a message that is not a signal to the dead-letter queue and provisions for the valid ones behind it', async () => {
    // Prepare
    const { queue, deadLettered, retries } = recordingQueue();
    const { run, contexts } = recordingRun(() => Promise.resolve(COMPLETED));

    // Act
    const response = await provisionerHandler(run, queue)(
      event('not json', '{"cluster":"prod-1"}', signal(3)),
      lambdaContext(),
    );

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(deadLettered.map(({ messageId }) => messageId)).toEqual(['m0', 'm1']);
    expect(deadLettered[1]?.reason).toMatch(/reason/);
    expect(contexts).toHaveLength(1);
    expect(retries).toEqual([]);
  });

  it('fails the record, to be retried, when the dead-letter queue cannot take it', async () => {
    // Prepare
    const { queue, retries } = recordingQueue();
    const { run, contexts } = recordingRun(() => Promise.resolve(COMPLETED));
    queue.deadLetter = () => Promise.reject(new Error('SQS unavailable'));

    // Act
    const response = await provisionerHandler(run, queue)(
      event('not json', signal(2)),
      lambdaContext(),
    );

    // Assess
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: 'm0' },
      { itemIdentifier: 'm1' },
    ]);
    expect(contexts).toEqual([]);
    expect(retries.map(({ messageId }) => messageId)).toEqual(['m0', 'm1']);
  });
});
