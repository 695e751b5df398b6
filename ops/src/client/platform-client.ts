import type { StockView } from '../../../services/inventory/src/schemas';

/**
 * The order platform's HTTP APIs as a client calls them, on any stage: the smoke test, the demo,
 * the end-to-end tests and the bench. Tokens come from a {@link Credentials}: the local
 * development issuer's (tools/local-stack's devCredentials) or an identity provider's.
 */

/** Base URLs of the four HTTP APIs (`.local/endpoints.json` locally, the stacks' HttpApiUrl outputs on AWS). */
export interface ApiEndpoints {
  orderApi: string;
  inventoryApi: string;
  paymentApi: string;
  notificationApi: string;
}

/** Authorization headers: a customer's token for their own orders, an operator's for the rest. */
export interface Credentials {
  customer(customerId: string): Promise<Record<string, string>>;
  admin(): Promise<Record<string, string>>;
}

export interface OrderLineInput {
  sku: string;
  quantity: number;
}

export interface PlaceOrderInput {
  customerId: string;
  email: string;
  items: OrderLineInput[];
  paymentToken: string;
}

export interface Order {
  orderId: string;
  status: 'PENDING' | 'CONFIRMED' | 'FAILED';
  failureReason?: string;
  executionArn?: string;
  total?: { amount: number; currency: string };
  [key: string]: unknown;
}

/** The inventory API's own answer type (GET and PUT /inventory/{sku}). */
export type Stock = StockView;

export interface Payment {
  orderId: string;
  paymentId: string;
  status: string;
  amount: { amount: number; currency: string };
}

export interface Notification {
  notificationId: string;
  orderId: string;
  eventType: string;
  status: string;
  subject: string;
  [key: string]: unknown;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    what: string,
  ) {
    super(`${what} answered ${status}: ${body.slice(0, 300)}`);
    this.name = 'HttpError';
  }
}

async function call<T>(
  method: string,
  url: string,
  what: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<{ status: number; json: T | undefined; headers: Headers }> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status === 404 && method === 'GET') return { status: 404, json: undefined, headers: response.headers };
  if (!response.ok) throw new HttpError(response.status, text, what);
  return { status: response.status, json: text ? (JSON.parse(text) as T) : undefined, headers: response.headers };
}

/** What POST /orders answered: the order, and whether it was a replay of an earlier POST under the same Idempotency-Key. */
export interface Placed {
  status: number;
  order: Order;
  replayed: boolean;
}

export class PlatformClient {
  constructor(
    readonly endpoints: ApiEndpoints,
    private readonly credentials: Credentials,
  ) {}

  async putStock(sku: string, stock: { price: number; currency: string; available: number }): Promise<Stock> {
    const url = `${this.endpoints.inventoryApi}/inventory/${encodeURIComponent(sku)}`;
    return (await call<Stock>('PUT', url, `PUT /inventory/${sku}`, await this.credentials.admin(), stock)).json!;
  }

  async getStock(sku: string): Promise<Stock | undefined> {
    const url = `${this.endpoints.inventoryApi}/inventory/${encodeURIComponent(sku)}`;
    return (await call<Stock>('GET', url, `GET /inventory/${sku}`, await this.credentials.admin())).json;
  }

  async placeOrder(order: PlaceOrderInput): Promise<Order> {
    return (await this.place(order)).order;
  }

  /** POST /orders, with an Idempotency-Key when given (a replay answers the first order). */
  async place(order: PlaceOrderInput, idempotencyKey?: string): Promise<Placed> {
    const headers = { ...(await this.credentials.customer(order.customerId)), ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }) };
    const answer = await call<Order>('POST', `${this.endpoints.orderApi}/orders`, 'POST /orders', headers, order);
    return { status: answer.status, order: answer.json!, replayed: answer.headers.get('idempotent-replayed') === 'true' };
  }

  async getOrder(orderId: string): Promise<Order | undefined> {
    const url = `${this.endpoints.orderApi}/orders/${encodeURIComponent(orderId)}`;
    return (await call<Order>('GET', url, `GET /orders/${orderId}`, await this.credentials.admin())).json;
  }

  async getPayment(orderId: string): Promise<Payment | undefined> {
    const url = `${this.endpoints.paymentApi}/payments/${encodeURIComponent(orderId)}`;
    return (await call<Payment>('GET', url, `GET /payments/${orderId}`, await this.credentials.admin())).json;
  }

  async listNotifications(orderId: string): Promise<Notification[]> {
    const url = `${this.endpoints.notificationApi}/notifications?orderId=${encodeURIComponent(orderId)}`;
    return (await call<{ items: Notification[] }>('GET', url, 'GET /notifications', await this.credentials.admin())).json?.items ?? [];
  }

  /** Polls until the order leaves PENDING (or the time is up, which returns the last state seen). */
  async waitForOutcome(orderId: string, timeoutMs = 60_000, intervalMs = 100): Promise<Order> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const order = await this.getOrder(orderId);
      if (order && order.status !== 'PENDING') return order;
      if (Date.now() > deadline) {
        if (!order) throw new Error(`order ${orderId} was not found`);
        return order;
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}

/** Polls `read` until `done` accepts its value; returns the last value when the time is up. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
