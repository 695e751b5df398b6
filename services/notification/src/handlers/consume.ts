import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { intEnv } from '@order-platform/shared';
import { createObservability, queueHandler } from '@order-platform/shared/lambda';
import type { SQSRecord } from 'aws-lambda';
import { deliveryFromEnv } from '../adapters/from-env';
import { notificationRepositoryFromEnv } from '../adapters/dynamo-notification-repository';
import { InvalidMessage, parseQueuedEvent, UnsupportedEvent } from '../domain/notifiable-event';
import { Notifier, type NotifyOutcome } from '../domain/notifier';

const observability = createObservability();
const { logger, metrics } = observability;

const notifier = new Notifier({
  repository: notificationRepositoryFromEnv(),
  delivery: deliveryFromEnv(),
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

/** SQS consumer of order and payment events: each message is notified on its own (shared/src/lambda/queue-handler.ts). */
export const handler = queueHandler(observability, notifyRecord);
