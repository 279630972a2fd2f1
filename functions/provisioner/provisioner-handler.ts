import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import { JSONStringified } from '@aws-lambda-powertools/parser/helpers';
import { SqsRecordSchema } from '@aws-lambda-powertools/parser/schemas/sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { formatZodIssues } from '../../lib/apis/index.ts';
import { anotherPassReason, type ProvisioningResult } from '../../lib/provisioning/index.ts';
import { ProvisionerMetrics, ProvisioningSignalSchema } from '../../lib/webhook/index.ts';
import { countMetric, logger, metrics } from '../shared/powertools.ts';

const SignalRecordSchema = SqsRecordSchema.extend({
  body: JSONStringified(ProvisioningSignalSchema),
});

/** A message that is not a provisioning signal; it fails, and after the retries goes to the DLQ. */
export class InvalidSignalError extends Error {
  override readonly name = 'InvalidSignalError';
}

function parseSignal(record: SQSRecord) {
  const parsed = SignalRecordSchema.safeParse(record);
  if (parsed.success) return parsed.data.body;
  const problems = formatZodIssues(parsed.error).join('; ');
  throw new InvalidSignalError(`message ${record.messageId}: ${problems}`);
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

/** Sends a fresh provisioning signal with this reason. */
export type AnotherPassRequest = (reason: string) => Promise<void>;

/**
 * The SQS consumer of provisioning signals. Every signal in a batch was sent before the batch was
 * delivered, so one run covers them all: the first valid record starts it and the others wait
 * for the same run. A failed run fails the records (FIFO order: the rest of the batch too), so
 * SQS redelivers them. A run that leaves work behind (see `anotherPassReason`) sends a new
 * signal, so the next pass follows within seconds; if that send fails, the records fail instead.
 */
export function provisionerHandler(
  run: (context: Context) => Promise<ProvisioningResult>,
  requestAnotherPass: AnotherPassRequest,
) {
  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    logger.addContext(context);
    let provisioning: Promise<void> | undefined;
    const handleRecord = async (record: SQSRecord): Promise<void> => {
      const signal = parseSignal(record);
      logger.info('Provisioning signal', { messageId: record.messageId, ...signal });
      provisioning ??= run(context).then(async (result) => {
        report(result);
        const reason = anotherPassReason(result);
        if (reason === undefined) return;
        logger.info('Requesting another provisioning pass', { reason });
        await requestAnotherPass(reason);
      });
      await provisioning;
    };
    try {
      return await processPartialResponse(event, handleRecord, new SqsFifoPartialProcessorAsync(), {
        context,
        throwOnFullBatchFailure: false,
      });
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}
