import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Stand-in for the order service: an in-memory order table (written by the saga's ConfirmOrder and
 * MarkOrderFailed stubs) and its GET /orders/{orderId} route over real HTTP.
 */
export interface OrderRecord {
  orderId: string;
  customerId: string;
  status: 'PENDING' | 'CONFIRMED' | 'FAILED';
  failureReason?: string;
  updatedAt: string;
}

export class OrderStore {
  private readonly orders = new Map<string, OrderRecord>();

  put(order: Omit<OrderRecord, 'updatedAt'>): void {
    this.orders.set(order.orderId, { ...order, updatedAt: new Date().toISOString() });
  }

  update(orderId: string, change: Partial<OrderRecord>): void {
    const order = this.orders.get(orderId);
    if (order) this.orders.set(orderId, { ...order, ...change, updatedAt: new Date().toISOString() });
  }

  get(orderId: string): OrderRecord | undefined {
    return this.orders.get(orderId);
  }
}

export interface RunningStub {
  url: string;
  close(): Promise<void>;
}

export async function startOrderApiStub(store: OrderStore): Promise<RunningStub> {
  const server = createServer((req, res) => {
    const match = /^\/orders\/([^/?]+)$/u.exec(req.url ?? '');
    const order = req.method === 'GET' && match?.[1] ? store.get(decodeURIComponent(match[1])) : undefined;
    res.writeHead(order ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(order ?? { title: 'Not Found', status: 404 }));
  });
  return listen(server);
}

export async function listen(server: Server): Promise<RunningStub> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
