import type { StackEndpoints } from '../endpoints';

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

export interface Stock {
  sku: string;
  price: number;
  currency: string;
  available: number;
  reserved: number;
  shipped: number;
}

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

async function call<T>(method: string, url: string, what: string, body?: unknown): Promise<{ status: number; json: T | undefined }> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status === 404 && method === 'GET') return { status: 404, json: undefined };
  if (!response.ok) throw new HttpError(response.status, text, what);
  return { status: response.status, json: text ? (JSON.parse(text) as T) : undefined };
}

export class PlatformClient {
  constructor(readonly endpoints: Pick<StackEndpoints, 'orderApi' | 'inventoryApi' | 'paymentApi' | 'notificationApi'>) {}

  async putStock(sku: string, stock: { price: number; currency: string; available: number }): Promise<Stock> {
    const { json } = await call<Stock>('PUT', `${this.endpoints.inventoryApi}/inventory/${encodeURIComponent(sku)}`, `PUT /inventory/${sku}`, stock);
    return json!;
  }

  async getStock(sku: string): Promise<Stock | undefined> {
    return (await call<Stock>('GET', `${this.endpoints.inventoryApi}/inventory/${encodeURIComponent(sku)}`, `GET /inventory/${sku}`)).json;
  }

  async placeOrder(order: PlaceOrderInput): Promise<Order> {
    const { json } = await call<Order>('POST', `${this.endpoints.orderApi}/orders`, 'POST /orders', order);
    return json!;
  }

  async getOrder(orderId: string): Promise<Order | undefined> {
    return (await call<Order>('GET', `${this.endpoints.orderApi}/orders/${encodeURIComponent(orderId)}`, `GET /orders/${orderId}`)).json;
  }

  async getPayment(orderId: string): Promise<Payment | undefined> {
    return (await call<Payment>('GET', `${this.endpoints.paymentApi}/payments/${encodeURIComponent(orderId)}`, `GET /payments/${orderId}`)).json;
  }

  async listNotifications(orderId: string): Promise<Notification[]> {
    const url = `${this.endpoints.notificationApi}/notifications?orderId=${encodeURIComponent(orderId)}`;
    return (await call<{ items: Notification[] }>('GET', url, 'GET /notifications')).json?.items ?? [];
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
