import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Observability } from '../observability';
import { withFaultInjection } from './fault-injection';
import { observed } from './observed';

/**
 * An SQS consumer: each message is handled on its own, and only the ones that fail are returned
 * for retry (ReportBatchItemFailures). Even a batch where every message failed returns its
 * failures rather than throwing: no message ever crashes the batch. A message that keeps failing
 * goes to the queue's DLQ after maxReceiveCount receives.
 */
export function queueHandler(observability: Observability, recordHandler: (record: SQSRecord) => Promise<void>) {
  const processor = new BatchProcessor(EventType.SQS);
  return observed<SQSEvent, SQSBatchResponse>(observability)
    // Local stage only: injected failures of the whole invocation (shared/src/lambda/fault-injection.ts).
    .handler(
      withFaultInjection((event: SQSEvent, context: Context) =>
        processPartialResponse(event, recordHandler, processor, { context, throwOnFullBatchFailure: false }),
      ),
    );
}
