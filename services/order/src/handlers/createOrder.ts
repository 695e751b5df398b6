import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { jsonResponse } from '@order-platform/shared';
import { createObservability, httpHandler, type Observability } from '@order-platform/shared/lambda';
import { catalogueFromEnv } from '../adapters/inventory-catalogue';
import { orderRepositoryFromEnv } from '../adapters/dynamo-order-repository';
import { sagaStarterFromEnv, sagaStartPolicyFromEnv } from '../adapters/saga-starter';
import { orderLocation, toView } from '../domain/order';
import { placeOrder, type PlaceOrderObserver } from '../domain/place-order';
import { idempotencyKeyOf } from '../http-support';
import { CreateOrderBody } from '../schemas';

/** What placeOrder reports, as log lines and metrics. */
function observer({ logger, metrics }: Observability): PlaceOrderObserver {
  return {
    identified: (orderId) => logger.appendKeys({ orderId }),
    created: () => metrics.addMetric('OrderCreated', MetricUnit.Count, 1),
    replayed: () => metrics.addMetric('OrderReplayed', MetricUnit.Count, 1),
    sagaStarted: (result) => logger.info('Saga started', { result }),
    sagaStartFailed: (_order, error) => {
      logger.error('Could not start the saga; the orders stream will start it', error as Error);
      metrics.addMetric('SagaStartFailed', MetricUnit.Count, 1);
    },
  };
}

const observability = createObservability();
const deps = {
  orders: orderRepositoryFromEnv(),
  catalogue: catalogueFromEnv(),
  saga: sagaStarterFromEnv(),
  startPolicy: sagaStartPolicyFromEnv(),
  clock: () => new Date(),
  observer: observer(observability),
};

/** POST /orders: places the caller's order (src/domain/place-order.ts). */
export const handler = httpHandler(observability, { auth: 'customer', body: CreateOrderBody }, async (event) => {
  const input = { body: event.body, principal: event.principal, idempotencyKey: idempotencyKeyOf(event.headers) };
  const { order, replayed } = await placeOrder(input, deps);
  return jsonResponse(201, toView(order), {
    Location: orderLocation(order.orderId),
    ...(replayed ? { 'Idempotent-Replayed': 'true' } : {}),
  });
});
