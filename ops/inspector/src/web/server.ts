import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type InspectorConfig, type InspectorOptions, resolveConfig } from '../app/config';
import { SagaInspector } from '../app/inspector';
import { HTTP_STATUS, InspectorError } from '../errors';
import { InvalidTimeError } from '../core/time';
import { handleApi } from './api';
import { staticFile } from './static';

/**
 * The inspector's web page and its JSON API on 127.0.0.1 (never another interface: stop and
 * redrive act on real executions). Requests must name this host (no DNS rebinding), and the
 * POST actions need a JSON content type and, when the browser sends one, a same-origin Origin.
 */
export interface WebServerOptions {
  inspector: SagaInspector;
  config: InspectorConfig;
  /** Default 8090; 0 picks a free port. */
  port?: number;
  log?: (line: string) => void;
}

export interface RunningWebServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export const DEFAULT_WEB_PORT = 8090;
const HOST = '127.0.0.1';

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  // Everything is served from here; the graph's inline <style> needs 'unsafe-inline' for styles only.
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

export async function startWebServer(options: WebServerOptions): Promise<RunningWebServer> {
  const log = options.log ?? (() => {});
  let port = options.port ?? DEFAULT_WEB_PORT;
  const server = createServer((req, res) => {
    route(req, res, options, port).catch((error: unknown) => {
      log(`inspector web: ${req.method} ${req.url} failed: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) sendJson(res, 500, { error: { code: 'INTERNAL', message: (error as Error).message } });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://${HOST}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * For `npm start`: the web inspector from plain options (the same ones as the CLI flags), e.g.
 * `startInspectorWeb({ endpoint: sfnUrl, orderApi: orderApiUrl, region, stage: 'local', port: 8090 })`.
 */
export async function startInspectorWeb(options: InspectorOptions & { port?: number; log?: (line: string) => void }): Promise<RunningWebServer> {
  const config = resolveConfig(options);
  return startWebServer({ inspector: SagaInspector.fromConfig(config), config, ...(options.port !== undefined && { port: options.port }), ...(options.log && { log: options.log }) });
}

async function route(req: IncomingMessage, res: ServerResponse, options: WebServerOptions, port: number): Promise<void> {
  const allowedHosts = [`${HOST}:${port}`, `localhost:${port}`];
  if (!allowedHosts.includes(req.headers.host ?? '')) {
    sendJson(res, 421, { error: { code: 'MISDIRECTED', message: `use http://${HOST}:${port}` } });
    return;
  }
  const url = new URL(req.url ?? '/', `http://${HOST}:${port}`);
  if (url.pathname.startsWith('/api/')) {
    await api(req, res, url, options);
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendJson(res, 405, { error: { code: 'METHOD_NOT_ALLOWED', message: 'the page is read-only; actions go through /api' } });
    return;
  }
  const file = await staticFile(url.pathname);
  if (!file) {
    sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `${url.pathname} not found` } });
    return;
  }
  res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': file.type, 'content-length': file.body.length, 'cache-control': 'no-cache' });
  res.end(req.method === 'HEAD' ? undefined : file.body);
}

async function api(req: IncomingMessage, res: ServerResponse, url: URL, options: WebServerOptions): Promise<void> {
  const method = req.method ?? 'GET';
  if (method === 'POST') {
    const refusal = checkPost(req, url);
    if (refusal) {
      sendJson(res, 403, { error: { code: 'FORBIDDEN', message: refusal } });
      return;
    }
    req.resume();
  }
  const segments = url.pathname.slice('/api/'.length).split('/').filter(Boolean).map(decodeURIComponent);
  try {
    const response = await handleApi({ method, segments, query: url.searchParams }, options.inspector, options.config);
    const extra: Record<string, string> = response.filename
      ? { 'content-disposition': `attachment; filename="${response.filename.replace(/[^\w.-]/gu, '_')}"` }
      : {};
    sendJson(res, response.status, response.body, extra);
  } catch (error) {
    if (error instanceof InspectorError) sendJson(res, HTTP_STATUS[error.code], { error: { code: error.code, message: error.message } });
    else if (error instanceof InvalidTimeError) sendJson(res, 400, { error: { code: 'INVALID_ARGUMENT', message: error.message } });
    else throw error;
  }
}

/** A cross-site page cannot send application/json without a preflight this server never answers. */
function checkPost(req: IncomingMessage, url: URL): string | undefined {
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return 'POST needs content-type: application/json';
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== url.origin && origin !== url.origin.replace(HOST, 'localhost')) return `origin ${origin} is not allowed`;
  return undefined;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}
