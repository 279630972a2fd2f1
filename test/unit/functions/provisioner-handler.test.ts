import type { Context, SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { provisionerHandler } from '../../../functions/provisioner/provisioner-handler.ts';
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

function recordingRun(outcome: () => Promise<ProvisioningResult>) {
  const contexts: Context[] = [];
  const run = (context: Context) => {
    contexts.push(context);
    return outcome();
  };
  return { run, contexts };
}

const noAnotherPass = async (reason: string): Promise<void> => {
  throw new Error(`unexpected request for another pass: ${reason}`);
};

describe('the provisioner handler', () => {
  it('runs once for a batch of signals and reports no failures', async () => {
    // Prepare
    const { run, contexts } = recordingRun(async () => COMPLETED);
    const context = lambdaContext({ requestId: 'run-1' }) as Context;

    // Act
    const response = await provisionerHandler(run, noAnotherPass)(
      event(signal(1), signal(2), signal(3)),
      context,
    );

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(contexts).toEqual([context]);
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
    {
      left: 'a lost lock',
      result: { ...COMPLETED, lockLost: true },
      reason: /lost the lock/,
    },
  ])('requests another pass at once after $left', async ({ result, reason }) => {
    // Prepare
    const { run } = recordingRun(async () => result);
    const requests: string[] = [];

    // Act
    const response = await provisionerHandler(run, async (why) => {
      requests.push(why);
    })(event(signal(1)), lambdaContext() as Context);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(requests).toEqual([expect.stringMatching(reason)]);
  });

  it('fails the records when the request for another pass cannot be sent, so SQS redelivers them', async () => {
    // Prepare
    const { run } = recordingRun(async () => ({ status: 'skipped', reason: 'locked' }));

    // Act
    const response = await provisionerHandler(run, async () => {
      throw new Error('SQS unavailable');
    })(event(signal(1)), lambdaContext() as Context);

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm0' }]);
  });

  it('fails every record when the run fails, so SQS redelivers them', async () => {
    // Prepare
    const { run, contexts } = recordingRun(async () => {
      throw new Error('apiserver unreachable');
    });

    // Act
    const response = await provisionerHandler(run, noAnotherPass)(
      event(signal(1), signal(2)),
      lambdaContext() as Context,
    );

    // Assess
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: 'm0' },
      { itemIdentifier: 'm1' },
    ]);
    expect(contexts).toHaveLength(1);
  });

  it('fails a message that is not a signal and, in FIFO order, the records after it', async () => {
    // Prepare
    const { run, contexts } = recordingRun(async () => COMPLETED);

    // Act
    const response = await provisionerHandler(run, noAnotherPass)(
      event(signal(1), '{"cluster":"prod-1"}', signal(3)),
      lambdaContext() as Context,
    );

    // Assess
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: 'm1' },
      { itemIdentifier: 'm2' },
    ]);
    expect(contexts).toHaveLength(1);
  });

  it('runs nothing when the first message is not a signal', async () => {
    // Prepare
    const { run, contexts } = recordingRun(async () => COMPLETED);

    // Act
    const response = await provisionerHandler(run, noAnotherPass)(
      event('not json', signal(2)),
      lambdaContext() as Context,
    );

    // Assess
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: 'm0' },
      { itemIdentifier: 'm1' },
    ]);
    expect(contexts).toEqual([]);
  });
});
