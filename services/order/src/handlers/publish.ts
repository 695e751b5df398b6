import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { requireEnv, type DomainEvent } from '@order-platform/shared';
import { createObservability, SnsEventPublisher, streamPublisher } from '@order-platform/shared/lambda';
import { createDocumentClient, OrderRepository } from '../adapters/order-repository';
import { SagaStarter } from '../adapters/saga-starter';
import { orderEventsOf } from '../domain/order-events';
import { needsSaga, sagaInputOf } from '../domain/order';
import { parseWorkflowType, sagaStartPolicy } from '../domain/saga-start';

const obs = createObservability();
const events = new SnsEventPublisher(new SNSClient({}), requireEnv('ORDER_EVENTS_TOPIC_ARN'));
const orders = new OrderRepository(
  createDocumentClient(new DynamoDBClient({})),
  requireEnv('ORDERS_TABLE_NAME'),
);
const saga = new SagaStarter(new SFNClient({}), requireEnv('SAGA_STATE_MACHINE_ARN'));
const startPolicy = sagaStartPolicy(parseWorkflowType(process.env.SAGA_WORKFLOW_TYPE));

/**
 * Makes sure a placed order's saga runs, whatever happened to the POST that stored it. Reads the
 * row (the stream image is not the saga's source of truth) and starts only a still-pending order.
 */
async function ensureSagaStarted(orderId: string): Promise<void> {
  const order = await orders.get(orderId, true);
  if (order === undefined || !needsSaga(order)) {
    obs.logger.info('No saga to start', { orderId, status: order?.status ?? 'MISSING' });
    return;
  }
  const result = await saga.start(sagaInputOf(order));
  obs.logger.info('Saga ensured', { orderId, result });
}

async function publish(event: DomainEvent): Promise<void> {
  await events.publish(event);
  // Last, so a record retried because of a failed publish never starts an EXPRESS saga twice.
  if (event.eventType === 'OrderPlaced' && startPolicy.onInsert) await ensureSagaStarted(event.data.orderId);
}

export const handler = streamPublisher(obs, { toEvents: orderEventsOf, publish });
