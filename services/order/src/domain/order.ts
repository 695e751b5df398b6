import type { FailureReason, Money, PricedLine, SagaInput } from '@order-platform/shared';
import type { CreateOrderBody, OrderItem, OrderStatus, OrderView } from '../schemas';

/** An order as stored in the orders table (one item per order, key `orderId`). */
export interface OrderRecord {
  orderId: string;
  customerId: string;
  email: string;
  items: OrderItem[];
  /**
   * Kept while PENDING so the saga input can be rebuilt from the row alone (replays, stream heal);
   * removed when the order leaves PENDING; never returned.
   */
  paymentToken?: string;
  status: OrderStatus;
  createdAt: string;
  updatedAt: string;
  /** sha256 of the canonical request body: tells a replay from a conflicting reuse of a key. */
  requestHash: string;
  idempotencyKey?: string;
  failureReason?: FailureReason;
  lines?: PricedLine[];
  total?: Money;
  paymentId?: string;
  shipmentId?: string;
  executionArn?: string;
}

export interface NewOrderContext {
  orderId: string;
  now: string;
  requestHash: string;
  idempotencyKey?: string | undefined;
}

/** A new order's content: the request body with its owner settled (src/domain/access.ts). */
export type NewOrderInput = Omit<CreateOrderBody, 'customerId'> & { customerId: string };

export function newOrder(body: NewOrderInput, context: NewOrderContext): OrderRecord {
  return {
    orderId: context.orderId,
    customerId: body.customerId,
    email: body.email,
    items: body.items.map(({ sku, quantity }) => ({ sku, quantity })),
    paymentToken: body.paymentToken,
    status: 'PENDING',
    createdAt: context.now,
    updatedAt: context.now,
    requestHash: context.requestHash,
    ...(context.idempotencyKey !== undefined ? { idempotencyKey: context.idempotencyKey } : {}),
  };
}

/** What a client sees: no payment token, no request hash, optional fields only once known. */
export function toView(order: OrderRecord): OrderView {
  const view: OrderView = {
    orderId: order.orderId,
    status: order.status,
    customerId: order.customerId,
    email: order.email,
    items: order.items.map(({ sku, quantity }) => ({ sku, quantity })),
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
  };
  if (order.failureReason !== undefined) view.failureReason = order.failureReason;
  if (order.lines !== undefined) view.lines = order.lines;
  if (order.total !== undefined) view.total = order.total;
  if (order.paymentId !== undefined) view.paymentId = order.paymentId;
  if (order.shipmentId !== undefined) view.shipmentId = order.shipmentId;
  if (order.executionArn !== undefined) view.executionArn = order.executionArn;
  return view;
}

export function orderLocation(orderId: string): string {
  return `/orders/${orderId}`;
}

/**
 * The saga's execution input, rebuilt from the stored row with a fixed key order: every caller
 * (first start, replay, stream heal) sends byte-identical input, which is what makes a repeated
 * StartExecution with the same name idempotent (a different input would be ExecutionAlreadyExists).
 */
export function sagaInputOf(order: OrderRecord): SagaInput {
  if (order.paymentToken === undefined) {
    throw new Error(`Order ${order.orderId} has no payment token: its saga has finished (${order.status})`);
  }
  return {
    orderId: order.orderId,
    customerId: order.customerId,
    email: order.email,
    items: order.items.map((item) => ({ sku: item.sku, quantity: item.quantity })),
    paymentToken: order.paymentToken,
  };
}

/** Only a pending order still needs its saga; a finished one must never be started again. */
export function needsSaga(order: OrderRecord): boolean {
  return order.status === 'PENDING';
}

/** How a repeated POST with an Idempotency-Key relates to the order already stored under it. */
export function replayOutcome(existing: OrderRecord, requestHash: string): 'REPLAY' | 'CONFLICT' {
  return existing.requestHash === requestHash ? 'REPLAY' : 'CONFLICT';
}
