import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import {
  InterruptionMetrics,
  parseInterruptionMessage,
  type InterruptionResult,
  type ReceivedMessage,
} from '../../lib/interruption/index.ts';
import { RunTrigger } from '../../lib/metrics/index.ts';
import { countMetric, logger, measuredRun, metrics } from '../shared/powertools.ts';

/** The run over the batch's valid messages. */
export type InterruptionRun = (
  context: Context,
  messages: readonly ReceivedMessage[],
) => Promise<InterruptionResult>;

function report(result: InterruptionResult): void {
  const outcomes = [...result.outcomes.values()];
  countMetric(
    InterruptionMetrics.ignoredMessages,
    outcomes.filter(({ status }) => status === 'ignored').length,
  );
  countMetric(
    InterruptionMetrics.failedMessages,
    outcomes.filter(({ status }) => status === 'failed').length,
  );
  countMetric(InterruptionMetrics.nodeClaimsDeleted, result.nodeClaimsDeleted.length);
  if (result.nodeClaimsDeleted.length > 0)
    logger.info('NodeClaims deleted on interruption', {
      nodeClaims: result.nodeClaimsDeleted,
      offeringsMarkedUnavailable: result.offeringsMarkedUnavailable,
      evicted: result.termination?.evicted,
    });
}

/**
 * The SQS consumer of the interruption queue, with Powertools' batch processing: every body is
 * parsed first; one run acts on all the valid messages over one read of the cluster; a message
 * that is not an interruption event, or whose handling failed, is reported as a batch item
 * failure, so SQS delivers it again and, after the queue's maxReceiveCount, moves it to the
 * dead-letter queue. Nothing is acted on for a message that does not parse.
 */
export function interruptionHandler(run: InterruptionRun) {
  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    logger.addContext(context);
    countMetric(InterruptionMetrics.messages, event.Records.length);
    const received: ReceivedMessage[] = [];
    const invalid = new Map<string, Error>();
    for (const { messageId, body } of event.Records) {
      try {
        received.push({ messageId, message: parseInterruptionMessage(body) });
      } catch (error) {
        invalid.set(messageId, error as Error);
      }
    }
    countMetric(InterruptionMetrics.invalidMessages, invalid.size);
    let batch: Promise<InterruptionResult> | undefined;
    const handleRecord = async ({ messageId }: SQSRecord): Promise<void> => {
      const problem = invalid.get(messageId);
      if (problem) {
        logger.warn(
          'Not an interruption event; it goes to the dead-letter queue after its retries',
          {
            messageId,
            reason: problem.message,
          },
        );
        throw problem;
      }
      batch ??= measuredRun(RunTrigger.interruption, () => run(context, received)).then(
        (result) => (report(result), result),
      );
      const outcome = (await batch).outcomes.get(messageId);
      if (outcome?.status === 'failed') throw new Error(outcome.error);
    };
    try {
      return await processPartialResponse(event, handleRecord, new BatchProcessor(EventType.SQS), {
        context,
        throwOnFullBatchFailure: false,
      });
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}
