import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { HttpProblem, jsonResponse, requireEnv } from '@order-platform/shared';
import { createObservability, httpHandler } from '@order-platform/shared/lambda';
import { InventoryCatalogue } from '../adapters/inventory-catalogue';
import { createDocumentClient, OrderRepository } from '../adapters/order-repository';
import { SagaStarter } from '../adapters/saga-starter';
import { ownerOfNewOrder } from '../domain/access';
import { CachedCatalogue, KnownSkuCache, unknownSkusProblem } from '../domain/catalogue';
import { orderIdFor, requestHash } from '../domain/idempotency';
import { needsSaga, newOrder, orderLocation, replayOutcome, sagaInputOf, toView, type OrderRecord } from '../domain/order';
import { parseWorkflowType, sagaStartPolicy } from '../domain/saga-start';
import { idempotencyKeyOf, RETRY_AFTER_SECONDS, unavailableOnTransient } from '../http-support';
import { CreateOrderBody } from '../schemas';

const obs = createObservability();
const orders = new OrderRepository(
  createDocumentClient(new DynamoDBClient({})),
  requireEnv('ORDERS_TABLE_NAME'),
);
const saga = new SagaStarter(new SFNClient({}), requireEnv('SAGA_STATE_MACHINE_ARN'));
const startPolicy = sagaStartPolicy(parseWorkflowType(process.env.SAGA_WORKFLOW_TYPE));
const catalogue = new CachedCatalogue(
  // One attempt more than the default would hold the HTTP request too long; the client may retry a 503.
  new InventoryCatalogue(new LambdaClient({ maxAttempts: 2 }), requireEnv('CATALOGUE_LOOKUP_FUNCTION')),
  new KnownSkuCache(Number(process.env.KNOWN_SKU_CACHE_SECONDS ?? 300) * 1000),
);

/** Starts the order's saga; if Step Functions cannot be reached the order still exists: 503, not 500. */
async function startSaga(order: OrderRecord): Promise<void> {
  try {
    const result = await saga.start(sagaInputOf(order));
    obs.logger.info('Saga started', { result });
  } catch (error) {
    obs.logger.error('Could not start the saga; the orders stream will start it', error as Error);
    obs.metrics.addMetric('SagaStartFailed', MetricUnit.Count, 1);
    throw new HttpProblem(
      503,
      `Order ${order.orderId} was stored but its processing could not be started yet; it will start automatically. ` +
        `Retry with the same Idempotency-Key or GET ${orderLocation(order.orderId)} later.`,
      { orderId: order.orderId },
      { 'Retry-After': RETRY_AFTER_SECONDS },
    );
  }
}

export const handler = httpHandler(obs, { auth: 'customer', body: CreateOrderBody }, async (event) => {
  const idempotencyKey = idempotencyKeyOf(event.headers);
  const owner = ownerOfNewOrder(event.principal, event.body.customerId);
  if (!owner.allowed) throw new HttpProblem(403, owner.reason);
  // The order as placed, owner included: a retry with or without customerId is the same request.
  const body = { ...event.body, customerId: owner.value };
  // Before anything is stored: an order for SKUs the catalogue lacks is refused, not failed later.
  const unknown = await unavailableOnTransient('The inventory catalogue', () => catalogue.unknownSkus(body.items.map((item) => item.sku)));
  if (unknown.length > 0) {
    const { detail, errors } = unknownSkusProblem(body.items, unknown);
    throw new HttpProblem(422, detail, { unknownSkus: unknown, errors });
  }
  const hash = requestHash(body);
  const order = newOrder(body, {
    orderId: orderIdFor(body.customerId, idempotencyKey),
    now: new Date().toISOString(),
    requestHash: hash,
    idempotencyKey,
  });
  obs.logger.appendKeys({ orderId: order.orderId });

  const result = await unavailableOnTransient('The order store', () => orders.create(order));

  if (!result.created) {
    const existing = result.existing;
    if (replayOutcome(existing, hash) === 'CONFLICT') {
      throw new HttpProblem(
        409,
        'This Idempotency-Key was already used for a different request; use a new key for a new order',
      );
    }
    // Heals an order whose first start failed; a no-op for one already started.
    if (startPolicy.onReplay && needsSaga(existing)) await startSaga(existing);
    obs.metrics.addMetric('OrderReplayed', MetricUnit.Count, 1);
    return jsonResponse(201, toView(existing), {
      Location: orderLocation(existing.orderId),
      'Idempotent-Replayed': 'true',
    });
  }

  obs.metrics.addMetric('OrderCreated', MetricUnit.Count, 1);
  if (startPolicy.onCreate) await startSaga(order);
  return jsonResponse(201, toView(order), { Location: orderLocation(order.orderId) });
});
