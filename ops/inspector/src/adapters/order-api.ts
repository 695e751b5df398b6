/**
 * The order service's own API (GET /orders/{orderId}), to show an order's current record beside
 * its saga. Optional: when it is not configured or not reachable, the inspector says so and goes on.
 */
export type OrderLookup =
  | { state: 'found'; record: Record<string, unknown> }
  | { state: 'missing' }
  | { state: 'unavailable'; reason: string };

export interface OrderApiOptions {
  baseUrl: string;
  timeoutMs?: number;
  /** Extra headers (e.g. a bearer token), or a function giving them per call. */
  headers?: Record<string, string> | (() => Promise<Record<string, string>>);
}

export class OrderApi {
  constructor(private readonly options: OrderApiOptions) {}

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  async getOrder(orderId: string): Promise<OrderLookup> {
    const url = `${this.options.baseUrl.replace(/\/+$/u, '')}/orders/${encodeURIComponent(orderId)}`;
    try {
      const extra = typeof this.options.headers === 'function' ? await this.options.headers() : this.options.headers;
      const response = await fetch(url, {
        headers: { accept: 'application/json', ...extra },
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 3000),
      });
      if (response.status === 404) return { state: 'missing' };
      if (!response.ok) return { state: 'unavailable', reason: `GET ${url} answered ${response.status}` };
      const body = (await response.json()) as unknown;
      if (typeof body !== 'object' || body === null) return { state: 'unavailable', reason: `GET ${url} did not return an object` };
      return { state: 'found', record: body as Record<string, unknown> };
    } catch (error) {
      const err = error as Error & { cause?: { code?: string } };
      return { state: 'unavailable', reason: `GET ${url} failed: ${err.cause?.code ?? err.name}: ${err.message}` };
    }
  }
}
