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

describe('the provisioner handler', () => {
  it('runs once for a batch of signals and reports no failures', async () => {
    // Prepare
    const { run, contexts } = recordingRun(async () => COMPLETED);
    const context = lambdaContext({ requestId: 'run-1' }) as Context;

    // Act
    const response = await provisionerHandler(run)(event(signal(1), signal(2), signal(3)), context);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(contexts).toEqual([context]);
  });

  it('counts a run skipped for the lock as handled', async () => {
    // Prepare
    const { run } = recordingRun(async () => ({ status: 'skipped', reason: 'locked' }));

    // Act
    const response = await provisionerHandler(run)(event(signal(1)), lambdaContext() as Context);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
  });

  it('fails every record when the run fails, so SQS redelivers them', async () => {
    // Prepare
    const { run, contexts } = recordingRun(async () => {
      throw new Error('apiserver unreachable');
    });

    // Act
    const response = await provisionerHandler(run)(
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
    const response = await provisionerHandler(run)(
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
    const response = await provisionerHandler(run)(
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
