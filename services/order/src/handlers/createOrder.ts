import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { isTransientAwsError, jsonResponse, RETRY_AFTER_SECONDS } from '@order-platform/shared';
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
      // A throttled start in a burst is expected back-pressure (a warning); anything else is an error.
      if (isTransientAwsError(error)) logger.warn('Saga start deferred (throttled or unavailable); the orders stream will start it', error as Error);
      else logger.error('Could not start the saga; the orders stream will start it', error as Error);
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
  const { order, replayed, sagaDeferred } = await placeOrder(input, deps);
  // 202: stored, and its processing starts when Step Functions has capacity (the orders stream
  // starts it); Retry-After says when to look at Location, not to send the order again.
  return jsonResponse(sagaDeferred ? 202 : 201, toView(order), {
    Location: orderLocation(order.orderId),
    ...(replayed ? { 'Idempotent-Replayed': 'true' } : {}),
    ...(sagaDeferred ? { 'Retry-After': String(RETRY_AFTER_SECONDS) } : {}),
  });
});
