import * as z from 'zod/mini';
import * as order from '../../services/order/src/schemas';
import * as inventory from '../../services/inventory/src/schemas';
import * as payment from '../../services/payment/src/schemas';
import * as notification from '../../services/notification/src/schemas';

/**
 * Every HTTP route of the platform with the zod schemas its handler validates with. The OpenAPI
 * document is generated from this table, and a test checks the table against the routes in the
 * packaged templates, so neither the schemas nor the routes can drift from the document.
 */
export interface Route {
  service: 'order' | 'inventory' | 'payment' | 'notification';
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  summary: string;
  pathParams?: z.ZodMiniObject;
  query?: z.ZodMiniObject;
  headers?: Record<string, { schema: z.ZodMiniType; description: string }>;
  body?: z.ZodMiniType;
  /** `admin` routes need the `order-platform/admin` scope; `customer` routes any valid token. */
  access: 'customer' | 'admin';
  responses: Record<number, { description: string; schema?: z.ZodMiniType; headers?: string[] }>;
}

const problem = (description: string) => ({ description });

export const ROUTES: Route[] = [
  {
    service: 'order',
    method: 'POST',
    path: '/orders',
    access: 'customer',
    summary: 'Place an order and start its saga',
    headers: {
      'Idempotency-Key': {
        schema: order.IdempotencyKey,
        description: 'Same key and body: the same order is returned. Same key, another body: 409.',
      },
    },
    body: order.CreateOrderBody,
    responses: {
      201: { description: 'Order accepted (PENDING); the saga runs asynchronously', schema: order.OrderView, headers: ['Location'] },
      202: {
        description:
          'Order stored (PENDING), but its saga could not start yet (Step Functions throttled in a burst): it starts by itself when capacity returns. ' +
          'Do not send it again; GET Location after Retry-After seconds. A replay with the same Idempotency-Key answers the same.',
        schema: order.OrderView,
        headers: ['Location', 'Retry-After'],
      },
      400: problem('Malformed JSON or a malformed Idempotency-Key'),
      409: problem('The Idempotency-Key was used with another body'),
      413: problem('Body too large'),
      415: problem('Content-Type is not application/json'),
      422: problem('The body does not match the schema, or names SKUs the catalogue lacks (`unknownSkus`); `errors` names each field'),
      503: problem('Nothing was stored: the catalogue or the order store is throttled or unavailable; retry after Retry-After seconds with the same Idempotency-Key'),
    },
  },
  {
    service: 'order',
    method: 'GET',
    path: '/orders',
    access: 'customer',
    summary: "A customer's orders, newest first, paginated",
    query: order.ListOrdersQuery,
    responses: {
      200: { description: 'A page of orders', schema: order.OrderPage },
      400: problem('Missing customerId, bad limit or bad cursor'),
    },
  },
  {
    service: 'order',
    method: 'GET',
    path: '/orders/{orderId}',
    access: 'customer',
    summary: 'One order with its status, priced lines and failure reason',
    pathParams: order.GetOrderPath,
    responses: {
      200: { description: 'The order', schema: order.OrderView },
      404: problem('No such order'),
    },
  },
  {
    service: 'inventory',
    method: 'PUT',
    path: '/inventory/{sku}',
    access: 'admin',
    summary: 'Set the price and shelf stock of a SKU',
    pathParams: inventory.SkuPathParameters,
    body: inventory.PutStockBody,
    responses: {
      200: { description: 'Updated: `available` and the price as set, `held` as the saga left it', schema: inventory.StockView },
      201: { description: 'Created: `held` 0', schema: inventory.StockView },
      400: problem('Malformed JSON or a malformed sku'),
      413: problem('Body too large'),
      415: problem('Content-Type is not application/json'),
      422: problem('The body does not match the schema'),
    },
  },
  {
    service: 'inventory',
    method: 'GET',
    path: '/inventory/{sku}',
    access: 'customer',
    summary: 'Stock and price of a SKU',
    pathParams: inventory.SkuPathParameters,
    responses: {
      200: {
        description: 'The stock record: `available` units on the shelf, `held` units held by orders (reserved, or shipped and not given back)',
        schema: inventory.StockView,
      },
      400: problem('Malformed sku'),
      404: problem('Unknown sku'),
    },
  },
  {
    service: 'payment',
    method: 'GET',
    path: '/payments/{orderId}',
    access: 'admin',
    summary: "An order's payment",
    pathParams: payment.PaymentPathParameters,
    responses: {
      200: { description: 'The payment', schema: payment.PaymentResponse },
      400: problem('Malformed orderId'),
      404: problem('No payment for this order'),
    },
  },
  {
    service: 'notification',
    method: 'GET',
    path: '/notifications',
    access: 'admin',
    summary: 'Notifications sent about an order, oldest first',
    query: notification.ListNotificationsQuery,
    responses: {
      200: { description: 'The notifications', schema: notification.ListNotificationsResponse },
      400: problem('Missing or malformed orderId'),
    },
  },
];
