import { HttpProblem, retryLater, unavailableOnTransient } from '@order-platform/shared';
import type { Principal } from '@order-platform/shared/auth';
import type { CreateOrderBody } from '../schemas';
import { ownerOfNewOrder } from './access';
import { unknownSkusProblem, type Catalogue } from './catalogue';
import { orderIdFor, requestHash } from './idempotency';
import { needsSaga, newOrder, orderLocation, replayOutcome, sagaInputOf, type OrderRecord } from './order';
import type { OrderRepository, SagaStarter, StartResult } from './ports';
import type { SagaStartPolicy } from './saga-start';

export interface PlaceOrderInput {
  /** The validated request body. */
  body: CreateOrderBody;
  /** The caller (from the access token). */
  principal: Principal;
  /** The validated Idempotency-Key header, if any. */
  idempotencyKey?: string | undefined;
}

/** What placing an order reports for logs and metrics (the handler forwards it to Powertools). */
export interface PlaceOrderObserver {
  /** The order's id is settled: every later log line may name it. */
  identified(orderId: string): void;
  created(order: OrderRecord): void;
  replayed(order: OrderRecord): void;
  sagaStarted(result: StartResult): void;
  /** The order is stored, but its saga could not be started now (throttled, or down): the orders stream starts it. */
  sagaStartFailed(order: OrderRecord, error: unknown): void;
}

export interface PlaceOrderDependencies {
  orders: Pick<OrderRepository, 'create'>;
  catalogue: Catalogue;
  saga: SagaStarter;
  startPolicy: SagaStartPolicy;
  clock: () => Date;
  observer: PlaceOrderObserver;
}

export interface PlacedOrder {
  order: OrderRecord;
  /** True when the request repeats one already stored under its Idempotency-Key. */
  replayed: boolean;
  /**
   * The order is stored but its saga could not start now (StartExecution throttled or failing):
   * the orders stream starts it when Step Functions takes it (202 Accepted, not 201).
   */
  sagaDeferred?: true;
}

/**
 * POST /orders as a use case. The order belongs to the caller (403 for another customer's id),
 * names only SKUs the catalogue holds (422, before anything is stored), and is stored once per
 * Idempotency-Key: a repeat with the same body answers the stored order (and heals its saga start),
 * one with another body is a 409. A backing service that is throttled or down before the order is
 * stored is a 503 the client may retry (nothing was stored). Once it is stored, a saga that cannot
 * start now (StartExecution throttled in a burst) is not the client's problem: the orders stream
 * starts it when capacity returns, and the answer says so (`sagaDeferred`: 202) rather than asking
 * for a retry that would only spend more of the throttled quota.
 */
export async function placeOrder(input: PlaceOrderInput, deps: PlaceOrderDependencies): Promise<PlacedOrder> {
  const { orders, catalogue, startPolicy, clock, observer } = deps;
  const owner = ownerOfNewOrder(input.principal, input.body.customerId);
  if (!owner.allowed) throw new HttpProblem(403, owner.reason);
  // The order as placed, owner included: a retry with or without customerId is the same request.
  const body = { ...input.body, customerId: owner.value };
  // Before anything is stored: an order for SKUs the catalogue lacks is refused, not failed later.
  const unknown = await unavailableOnTransient('The inventory catalogue', () => catalogue.unknownSkus(body.items.map((item) => item.sku)));
  if (unknown.length > 0) {
    const { detail, errors } = unknownSkusProblem(body.items, unknown);
    throw new HttpProblem(422, detail, { unknownSkus: unknown, errors });
  }
  const hash = requestHash(body);
  const order = newOrder(body, {
    orderId: orderIdFor(body.customerId, input.idempotencyKey),
    now: clock().toISOString(),
    requestHash: hash,
    idempotencyKey: input.idempotencyKey,
  });
  observer.identified(order.orderId);

  const result = await unavailableOnTransient('The order store', () => orders.create(order));
  if (!result.created) {
    const existing = result.existing;
    if (replayOutcome(existing, hash) === 'CONFLICT') {
      throw new HttpProblem(409, 'This Idempotency-Key was already used for a different request; use a new key for a new order');
    }
    // Heals an order whose first start failed; a no-op for one already started.
    const deferred = startPolicy.onReplay && needsSaga(existing) && !(await startSaga(existing, deps));
    observer.replayed(existing);
    return { order: existing, replayed: true, ...(deferred ? { sagaDeferred: true as const } : {}) };
  }

  observer.created(order);
  const deferred = startPolicy.onCreate && !(await startSaga(order, deps));
  return { order, replayed: false, ...(deferred ? { sagaDeferred: true as const } : {}) };
}

/**
 * Starts the order's saga; false when it cannot start now and the orders stream will start it.
 * Without a stream start to fall back on, the order still exists: 503 (retry), not 500.
 */
async function startSaga(order: OrderRecord, { saga, observer, startPolicy }: PlaceOrderDependencies): Promise<boolean> {
  try {
    observer.sagaStarted(await saga.start(sagaInputOf(order)));
    return true;
  } catch (error) {
    observer.sagaStartFailed(order, error);
    if (startPolicy.onInsert) return false;
    throw retryLater(
      `Order ${order.orderId} was stored but its processing could not be started yet; it will start automatically. ` +
        `Retry with the same Idempotency-Key or GET ${orderLocation(order.orderId)} later.`,
      { orderId: order.orderId },
    );
  }
}
