import type { DomainEvent } from '@order-platform/shared';
import { createObservability, snsEventPublisherFromEnv, streamPublisher } from '@order-platform/shared/lambda';
import { orderRepositoryFromEnv } from '../adapters/dynamo-order-repository';
import { sagaStarterFromEnv, sagaStartPolicyFromEnv, STREAM_SAGA_CLIENT } from '../adapters/saga-starter';
import { orderEventsOf } from '../domain/order-events';
import { needsSaga, sagaInputOf } from '../domain/order';

const observability = createObservability();
const events = snsEventPublisherFromEnv('ORDER_EVENTS_TOPIC_ARN');
const orders = orderRepositoryFromEnv();
const saga = sagaStarterFromEnv(STREAM_SAGA_CLIENT);
const startPolicy = sagaStartPolicyFromEnv();

/**
 * Makes sure a placed order's saga runs, whatever happened to the POST that stored it. Reads the
 * row (the stream image is not the saga's source of truth) and starts only a still-pending order.
 * The read is eventually consistent (half the cost): it can only lag behind the insert this record
 * reports, so only a miss is read again, consistently. A lagging status is harmless: every saga
 * step is idempotent per order.
 */
async function ensureSagaStarted(orderId: string): Promise<void> {
  const order = (await orders.get(orderId)) ?? (await orders.get(orderId, true));
  if (order === undefined || !needsSaga(order)) {
    observability.logger.info('No saga to start', { orderId, status: order?.status ?? 'MISSING' });
    return;
  }
  const result = await saga.start(sagaInputOf(order));
  observability.logger.info('Saga ensured', { orderId, result });
}

async function publish(event: DomainEvent): Promise<void> {
  await events.publish(event);
  // Last, so a record retried because of a failed publish never starts an EXPRESS saga twice.
  if (event.eventType === 'OrderPlaced' && startPolicy.onInsert) await ensureSagaStarted(event.data.orderId);
}

export const handler = streamPublisher(observability, { toEvents: orderEventsOf, publish });
