import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import { JSONStringified } from '@aws-lambda-powertools/parser/helpers';
import { SqsRecordSchema } from '@aws-lambda-powertools/parser/schemas/sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { formatZodIssues } from '../../lib/apis/index.ts';
import {
  anotherPassReason,
  ProvisionerMetrics,
  type ProvisioningResult,
} from '../../lib/provisioning/index.ts';
import { ProvisioningSignalSchema } from '../../lib/webhook/index.ts';
import { RunTrigger } from '../../lib/metrics/index.ts';
import { countMetric, logger, measuredRun, metrics } from '../shared/powertools.ts';

const SignalRecordSchema = SqsRecordSchema.extend({
  body: JSONStringified(ProvisioningSignalSchema),
});

/** What the handler does to messages besides consuming them. */
export interface SignalQueue {
  /** Moves a message that is not a signal to the dead-letter queue, so it blocks none behind it. */
  deadLetter(record: SQSRecord, reason: string): Promise<void>;
  /** Makes a failed message visible again after `seconds`, not after the whole visibility timeout. */
  retryAfter(record: SQSRecord, seconds: number): Promise<void>;
  /** Sends a fresh signal, so another pass follows within seconds. */
  requestAnotherPass(reason: string): Promise<void>;
}

/** A failed run is retried after 5 s, then 10 s, 15 s…: seconds, where the visibility timeout is minutes. */
export const RETRY_DELAY_SECONDS = 5;

export function retryDelaySeconds(record: SQSRecord): number {
  const receives = Number(record.attributes.ApproximateReceiveCount) || 1;
  return RETRY_DELAY_SECONDS * receives;
}

/** Why the message is not a provisioning signal, or undefined when it is one. */
function invalidSignal(record: SQSRecord): string | undefined {
  const parsed = SignalRecordSchema.safeParse(record);
  return parsed.success ? undefined : formatZodIssues(parsed.error).join('; ');
}

function report(result: ProvisioningResult): void {
  if (result.status === 'skipped') {
    // The holder is another provisioning pass; the pods it misses are taken by the next signal or tick.
    countMetric(ProvisionerMetrics.skippedRuns);
    return;
  }
  countMetric(ProvisionerMetrics.runs);
  countMetric(ProvisionerMetrics.nodeClaimsCreated, result.nodeClaimsCreated.length);
  countMetric(ProvisionerMetrics.nodeClaimsLaunched, result.nodeClaimsLaunched.length);
  countMetric(ProvisionerMetrics.launchFailures, result.launchFailures.length);
  countMetric(ProvisionerMetrics.unschedulablePods, result.unschedulablePods.length);
}

/**
 * The SQS consumer of provisioning signals. Every signal in a batch was sent before the batch was
 * delivered, so one run covers them all: the first valid record starts it and the others wait
 * for the same run. A message that is not a signal goes straight to the dead-letter queue,
 * holding up nothing behind it in the cluster's message group. A failed run fails the records
 * (FIFO order: the rest of the batch too), and they come back within seconds (see
 * {@link retryDelaySeconds}), so one failure does not stall the cluster's provisioning. A run
 * that leaves work behind (see `anotherPassReason`) signals again, so the next pass follows
 * within seconds; if that signal cannot be sent, the records fail instead.
 */
export function provisionerHandler(
  run: (context: Context) => Promise<ProvisioningResult>,
  queue: SignalQueue,
) {
  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    logger.addContext(context);
    let provisioning: Promise<void> | undefined;
    const handleRecord = async (record: SQSRecord): Promise<void> => {
      const invalid = invalidSignal(record);
      if (invalid !== undefined) {
        await queue.deadLetter(record, invalid);
        logger.warn('Not a provisioning signal; moved to the dead-letter queue', {
          messageId: record.messageId,
          reason: invalid,
        });
        return;
      }
      logger.info('Provisioning signal', { messageId: record.messageId });
      provisioning ??= measuredRun(RunTrigger.provisioner, () => run(context)).then(
        async (result) => {
          report(result);
          const reason = anotherPassReason(result);
          if (reason === undefined) return;
          logger.info('Requesting another provisioning pass', { reason });
          await queue.requestAnotherPass(reason);
        },
      );
      await provisioning;
    };
    try {
      const response = await processPartialResponse(
        event,
        handleRecord,
        new SqsFifoPartialProcessorAsync(),
        { context, throwOnFullBatchFailure: false },
      );
      const failed = new Set(
        response.batchItemFailures.map(({ itemIdentifier }) => itemIdentifier),
      );
      for (const record of event.Records.filter(({ messageId }) => failed.has(messageId))) {
        await queue.retryAfter(record, retryDelaySeconds(record)).catch((error: unknown) =>
          logger.warn('Could not shorten the retry; SQS redelivers after the visibility timeout', {
            messageId: record.messageId,
            error,
          }),
        );
      }
      return response;
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}
