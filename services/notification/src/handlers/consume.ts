import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import middy from '@middy/core';
import { intEnv, optionalEnv, requireEnv } from '@order-platform/shared';
import { createObservability } from '@order-platform/shared/lambda';
import { withFaultInjection } from '@order-platform/shared/lambda/fault-injection';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { documentClient } from '../adapters/clients';
import { DynamoNotificationStore } from '../adapters/dynamo-notification-store';
import { RecordDelivery } from '../adapters/record-delivery';
import { SesDelivery } from '../adapters/ses-delivery';
import { InvalidMessage, parseQueuedEvent, UnsupportedEvent } from '../domain/notifiable-event';
import { DELIVERY_CHANNELS, type DeliveryChannel } from '../domain/notification';
import type { NotificationDelivery } from '../domain/ports';
import { Notifier, type NotifyOutcome } from '../domain/notifier';

const observability = createObservability();
const { logger, metrics } = observability;

function deliveryChannel(): DeliveryChannel {
  const channel = optionalEnv('DELIVERY_CHANNEL', 'ses');
  if (!(DELIVERY_CHANNELS as readonly string[]).includes(channel)) {
    throw new Error(`DELIVERY_CHANNEL must be one of ${DELIVERY_CHANNELS.join(', ')}, got "${channel}"`);
  }
  return channel as DeliveryChannel;
}

function createDelivery(channel: DeliveryChannel): NotificationDelivery {
  if (channel === 'record') return new RecordDelivery();
  return new SesDelivery(new SESv2Client({}), requireEnv('SES_FROM_ADDRESS'));
}

const notifier = new Notifier({
  store: new DynamoNotificationStore(documentClient(), requireEnv('NOTIFICATIONS_TABLE')),
  delivery: createDelivery(deliveryChannel()),
  claimTimeoutMs: intEnv('CLAIM_TIMEOUT_SECONDS', 60) * 1000,
});

const OUTCOME_METRICS: Record<NotifyOutcome, string> = {
  SENT: 'NotificationsSent',
  TAKEN_OVER: 'AbandonedClaimsTakenOver',
  DUPLICATE: 'DuplicateEventsSkipped',
  CLAIM_LOST: 'ClaimsLostAfterSend',
};

async function notifyRecord(record: SQSRecord): Promise<void> {
  const receiveCount = Number(record.attributes.ApproximateReceiveCount);
  let event;
  try {
    event = parseQueuedEvent(record.body);
  } catch (error) {
    if (error instanceof InvalidMessage || error instanceof UnsupportedEvent) {
      // Retried like any failure, then parked in the DLQ with its body intact for a human to read.
      logger.error('Rejected queued message', { messageId: record.messageId, receiveCount, error });
      metrics.addMetric('RejectedMessages', MetricUnit.Count, 1);
    }
    throw error;
  }

  const context = { messageId: record.messageId, receiveCount, eventId: event.eventId, orderId: event.data.orderId };
  try {
    const { outcome } = await notifier.notify(event);
    metrics.addMetric(OUTCOME_METRICS[outcome], MetricUnit.Count, 1);
    if (outcome === 'CLAIM_LOST') logger.warn('Notification sent after its claim was taken over: the customer may receive it twice', context);
    else if (outcome === 'DUPLICATE') logger.info('Duplicate event skipped: its notification was already sent', context);
    else logger.info('Notification sent', { ...context, outcome });
  } catch (error) {
    logger.warn('Notification failed; the message will be retried', { ...context, error });
    metrics.addMetric('NotificationFailures', MetricUnit.Count, 1);
    throw error;
  }
}

const processor = new BatchProcessor(EventType.SQS);

/**
 * SQS consumer of order and payment events: each message is notified on its own, and only the
 * ones that fail are returned for retry (ReportBatchItemFailures). Even a batch where every
 * message failed returns its failures rather than throwing: no message ever crashes the batch.
 */
export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  // Local stage only: injected failures of the whole invocation (shared/src/lambda/fault-injection.ts).
  .handler(
    withFaultInjection((event: SQSEvent, context: Context) =>
      processPartialResponse(event, notifyRecord, processor, { context, throwOnFullBatchFailure: false }),
    ),
  );
