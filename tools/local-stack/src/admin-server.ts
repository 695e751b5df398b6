import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { invokedFunction, routeInvocation } from './lambda-router';
import type { DeliveryLog } from './pollers/delivery-log';

export interface AdminState {
  deliveries: DeliveryLog;
  /** Pollers and schedules that run, for /health. */
  describe(): Record<string, unknown>;
  /** The child components (pids, restarts), for /components. */
  components(): Record<string, unknown>;
  /** Lambda endpoint per function-name prefix, for the Invoke route. */
  lambdaRoutes: Record<string, string>;
  /** How long an Invoke waits for a service that is being restarted (default: not at all). */
  waitForRestartMs?: number;
}

/**
 * A small HTTP API of the stack itself, on the loopback address:
 *   GET /health                       → { status: "ok", ... }
 *   GET /deliveries?functionName=...  → the last events delivered to that function (or to all)
 *   GET /components                   → the child processes (pid, state, restarts, last recovery time)
 *   POST /2015-03-31/functions/{name}/invocations → Lambda Invoke of any service's function
 *     (the functions' AWS_ENDPOINT_URL_LAMBDA; see lambda-router.ts)
 */
export async function startAdminServer(port: number, host: string, state: AdminState): Promise<{ url: string; stop(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${host}`);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const invoked = invokedFunction(url.pathname);
    if (invoked !== undefined && req.method === 'POST') return routeInvocation(state.lambdaRoutes, invoked, req, res, { waitForRestartMs: state.waitForRestartMs });
    if (req.method !== 'GET') return send(405, { message: 'GET only' });
    if (url.pathname === '/health') return send(200, { status: 'ok', ...state.describe() });
    if (url.pathname === '/components') return send(200, state.components());
    if (url.pathname === '/deliveries') {
      return send(200, { items: state.deliveries.recent(url.searchParams.get('functionName') ?? undefined) });
    }
    return send(404, { message: `No route ${url.pathname}; try /health, /components or /deliveries` });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    // The port it got (0 asks the system for a free one).
    url: `http://${host}:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
