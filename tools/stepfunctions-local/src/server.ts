import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { actions } from './actions';
import { ApiError } from './errors';
import { createHttpInvoker, type ClosableInvoker, type LambdaInvoker } from './invoker';
import { StepFunctionsService } from './service';

export interface ServerOptions {
  /** Default 8083; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1: this is a development tool, never exposed beyond the machine. */
  host?: string;
  /** Persistence folder; state lives in memory only when absent. */
  dataDir?: string;
  /** Default: AWS_REGION, else eu-west-1. */
  region?: string;
  /** Default 123456789012. */
  accountId?: string;
  /** Custom Lambda invoker (in-process handlers, tests); overrides the endpoints below. */
  invoker?: LambdaInvoker;
  /** Lambda Invoke endpoint for functions no prefix matches. Default $AWS_ENDPOINT_URL_LAMBDA, else http://127.0.0.1:3002 (serverless-offline's). */
  lambdaEndpoint?: string;
  /** Function name prefix → Lambda Invoke endpoint, e.g. { "order-local-": "http://127.0.0.1:3102" }. */
  lambdaEndpoints?: Record<string, string>;
  /** Closed executions kept per state machine (oldest dropped first). Default 10,000. */
  retainExecutions?: number;
  /** Redrive executions interrupted by a restart instead of leaving them ABORTED. Default false. */
  resumeOnRestart?: boolean;
  /** Debounce of persistence writes. Default 100 ms. */
  flushDelayMs?: number;
  /** Where the startup line and operational warnings go. Default console.log. */
  log?: (line: string) => void;
}

export interface RunningServer {
  /** e.g. http://127.0.0.1:8083: the SDK's `endpoint`. */
  url: string;
  port: number;
  /** Stops listening and the engines, and writes pending state; running executions are saved as RUNNING. */
  close(): Promise<void>;
}

export const DEFAULT_PORT = 8083;
export const DEFAULT_ACCOUNT = '123456789012';
export const DEFAULT_LAMBDA_ENDPOINT = 'http://127.0.0.1:3002';
const MAX_BODY = 2 * 1024 * 1024;
const TARGET_PREFIX = 'AWSStepFunctions.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';

/** Starts the Step Functions API server (AWS JSON 1.0 protocol) and resolves once it listens. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const log = options.log ?? ((line: string) => console.log(line));
  const region = options.region ?? process.env['AWS_REGION'] ?? 'eu-west-1';
  const ownInvoker: ClosableInvoker | undefined = options.invoker
    ? undefined
    : createHttpInvoker({
        endpoint: options.lambdaEndpoint ?? process.env['AWS_ENDPOINT_URL_LAMBDA'] ?? DEFAULT_LAMBDA_ENDPOINT,
        endpoints: options.lambdaEndpoints,
        region,
      });
  const service = new StepFunctionsService({
    region,
    accountId: options.accountId ?? DEFAULT_ACCOUNT,
    invoker: options.invoker ?? (ownInvoker as LambdaInvoker),
    retainExecutions: options.retainExecutions ?? 10_000,
    dataDir: options.dataDir,
    resumeOnRestart: options.resumeOnRestart ?? false,
    flushDelayMs: options.flushDelayMs,
    log,
  });

  const server = createServer((req, res) => {
    handle(service, req, res, log).catch((error: unknown) => {
      log(`stepfunctions-local: request failed: ${String(error)}`);
      if (!res.headersSent) send(res, 500, { __type: 'InternalFailure', message: 'Internal failure' });
    });
  });
  server.keepAliveTimeout = 60_000;

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host}:${port}`;
  log(`stepfunctions-local listening on ${url} (region ${region}, data ${options.dataDir ?? 'in memory'})`);

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    close: () => {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await service.close();
        ownInvoker?.close();
        server.closeAllConnections();
        await stopped;
      })();
      return closing;
    },
  };
}

async function handle(service: StepFunctionsService, req: IncomingMessage, res: ServerResponse, log: (line: string) => void): Promise<void> {
  if (req.method === 'GET' && (req.url === '/' || req.url === '/health')) {
    send(res, 200, { status: 'ok', service: 'stepfunctions-local' });
    return;
  }
  const target = req.headers['x-amz-target'];
  const name = typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
  const raw = await readBody(req);
  if (req.method !== 'POST' || !Object.hasOwn(actions, name)) {
    fail(res, new ApiError('UnknownOperationException', `Unknown operation ${String(target ?? req.method)}`));
    return;
  }
  if (raw === undefined) {
    fail(res, new ApiError('SerializationException', `Request body larger than ${MAX_BODY} bytes`, 413));
    return;
  }
  let body: unknown;
  try {
    body = raw.length === 0 ? {} : JSON.parse(raw);
  } catch {
    body = undefined;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    fail(res, new ApiError('SerializationException', 'The request body is not a JSON object'));
    return;
  }
  try {
    const action = actions[name];
    const out = action ? await action(service, body as Record<string, unknown>) : {};
    send(res, 200, out);
  } catch (error) {
    if (error instanceof ApiError) {
      fail(res, error);
      return;
    }
    log(`stepfunctions-local: ${name} failed: ${(error as Error).stack ?? String(error)}`);
    fail(res, new ApiError('InternalFailure', (error as Error).message ?? 'Internal failure', 500));
  }
}

/** The whole body as text, or undefined when it is over the size limit. */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function fail(res: ServerResponse, error: ApiError): void {
  send(res, error.status, error.toBody());
}

function send(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(text);
}
