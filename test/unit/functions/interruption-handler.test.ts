import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { interruptionHandler } from '../../../functions/interruption/interruption-handler.ts';
import type {
  InterruptionResult,
  MessageOutcome,
  ReceivedMessage,
} from '../../../lib/interruption/index.ts';
import { spotInterruptionWarning } from '../../fixtures/interruption-events.ts';
import { lambdaContext, sqsRecord } from '../../fixtures/lambda-events.ts';

const warning = (instanceId: string) => JSON.stringify(spotInterruptionWarning({ instanceId }));

function event(...bodies: string[]): SQSEvent {
  return { Records: bodies.map((body, index) => sqsRecord(`m${index}`, body)) };
}

function result(outcomes: Record<string, MessageOutcome>): InterruptionResult {
  return {
    outcomes: new Map(Object.entries(outcomes)),
    nodeClaimsDeleted: [],
    offeringsMarkedUnavailable: [],
    termination: undefined,
  };
}

/** A run that records the batches it got and answers with `outcome` for every message. */
function recordingRun(outcome: (message: ReceivedMessage) => MessageOutcome) {
  const batches: (readonly ReceivedMessage[])[] = [];
  const run = async (_context: unknown, messages: readonly ReceivedMessage[]) => {
    batches.push(messages);
    return result(
      Object.fromEntries(messages.map((message) => [message.messageId, outcome(message)])),
    );
  };
  return { run, batches };
}

describe('the interruption handler', () => {
  it('runs once for the batch’s valid messages and fails only the malformed one', async () => {
    // Prepare
    const { run, batches } = recordingRun(() => ({ status: 'acted', nodeClaims: ['a'] }));
    const handler = interruptionHandler(run);

    // Act
    const response = await handler(
      event(
        warning('i-0123456789abcdef0'),
        '{"detail-type": "nope"}',
        warning('i-0123456789abcdef1'),
      ),
      lambdaContext(),
    );

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
    expect(batches).toHaveLength(1);
    expect(batches[0]?.map(({ messageId, message }) => [messageId, message.instanceIDs])).toEqual([
      ['m0', ['i-0123456789abcdef0']],
      ['m2', ['i-0123456789abcdef1']],
    ]);
  });

  it('fails the messages the run failed, and acknowledges the ignored ones', async () => {
    // Prepare
    const { run } = recordingRun(({ messageId }) =>
      messageId === 'm0'
        ? { status: 'failed', error: 'etcdserver: request timed out' }
        : { status: 'ignored', reason: 'no NodeClaim of this cluster runs it' },
    );

    // Act
    const response = await interruptionHandler(run)(
      event(warning('i-0123456789abcdef0'), warning('i-0123456789abcdef1')),
      lambdaContext(),
    );

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm0' }] });
  });

  it('fails every message when the run cannot read the cluster, without throwing', async () => {
    // Prepare
    const handler = interruptionHandler(async () => {
      throw new Error('Unauthorized');
    });

    // Act
    const response = await handler(
      event(warning('i-0123456789abcdef0'), 'not json'),
      lambdaContext(),
    );

    // Assess
    expect(response.batchItemFailures.map(({ itemIdentifier }) => itemIdentifier).sort()).toEqual([
      'm0',
      'm1',
    ]);
  });

  it('does not run at all for a batch of malformed messages', async () => {
    // Prepare
    const { run, batches } = recordingRun(() => ({ status: 'acted', nodeClaims: [] }));

    // Act
    const response = await interruptionHandler(run)(event('[]'), lambdaContext());

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm0' }] });
    expect(batches).toEqual([]);
  });
});
