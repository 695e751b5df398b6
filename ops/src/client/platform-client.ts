import { authHeader } from '../../../devauth/src/index';
import type { StackEndpoints } from '../endpoints';
import type { StockView } from '../../../../services/inventory/src/schemas';

/** Authorization headers: a customer's token for their own orders, an operator's for the rest. */
export interface Credentials {
  customer(customerId: string): Promise<Record<string, string>>;
  admin(): Promise<Record<string, string>>;
}

/**
 * Tokens signed by the local development issuer (devauth, keys in .local/auth), minted once per
 * customer and reused for their lifetime (an hour).
 */
export function devCredentials(dir?: string): Credentials {
  const cache = new Map<string, { headers: Promise<Record<string, string>>; until: number }>();
  const cached = (key: string, mint: () => Promise<Record<string, string>>) => {
    const hit = cache.get(key);
    if (hit && hit.until > Date.now()) return hit.headers;
    const headers = mint();
    cache.set(key, { headers, until: Date.now() + 50 * 60_000 });
    return headers;
  };
  return {
    customer: (customerId) => cached(`customer:${customerId}`, () => authHeader({ customerId, expiresIn: '1h', dir })),
    admin: () => cached('admin', () => authHeader({ customerId: 'local-operator', admin: true, expiresIn: '1h', dir })),
  };
}

/** The order platform's HTTP APIs as the demo, the end-to-end tests and the bench use them. */
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
): Promise<{ status: number; json: T | undefined }> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status === 404 && method === 'GET') return { status: 404, json: undefined };
  if (!response.ok) throw new HttpError(response.status, text, what);
  return { status: response.status, json: text ? (JSON.parse(text) as T) : undefined };
}

export class PlatformClient {
  constructor(
    readonly endpoints: Pick<StackEndpoints, 'orderApi' | 'inventoryApi' | 'paymentApi' | 'notificationApi'>,
    private readonly credentials: Credentials = devCredentials(),
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
    const headers = await this.credentials.customer(order.customerId);
    return (await call<Order>('POST', `${this.endpoints.orderApi}/orders`, 'POST /orders', headers, order)).json!;
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
