import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type StubHandler = (event: unknown, call: number) => unknown;

export interface StubCall {
  name: string;
  payload: unknown;
}

/**
 * A Lambda Invoke endpoint over real HTTP, answering like Lambda (and serverless-offline):
 * 200 + payload; a thrown error → 200 + X-Amz-Function-Error: Unhandled + {errorType, errorMessage, trace};
 * an unknown function → 404 ResourceNotFoundException. Each function's behaviour is scripted per test.
 */
export class LambdaStub {
  readonly calls: StubCall[] = [];
  /** TCP connections accepted: shows whether callers reuse keep-alive connections. */
  connections = 0;
  private readonly handlers = new Map<string, StubHandler>();
  private readonly counts = new Map<string, number>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly errorTypeOf: (error: Error) => string,
  ) {}

  /** `errorType` lets a stub mimic serverless-offline, which reports every thrown error as "Error". */
  static async start(options: { errorType?: (error: Error) => string } = {}): Promise<LambdaStub> {
    let stub: LambdaStub | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        void stub?.respond(req.method ?? '', req.url ?? '', Buffer.concat(chunks).toString('utf8'), (status, headers, body) => {
          res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID(), ...headers });
          res.end(body);
        });
      });
    });
    server.on('connection', () => {
      if (stub) stub.connections += 1;
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    stub = new LambdaStub(server, `http://127.0.0.1:${port}`, options.errorType ?? ((error) => error.name));
    return stub;
  }

  /** Scripts a function; `call` counts from 1 so a test can fail the first attempts only. */
  on(name: string, handler: StubHandler): this {
    this.handlers.set(name, handler);
    return this;
  }

  callsTo(name: string): unknown[] {
    return this.calls.filter((c) => c.name === name).map((c) => c.payload);
  }

  reset(): void {
    this.calls.length = 0;
    this.connections = 0;
    this.handlers.clear();
    this.counts.clear();
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async respond(
    method: string,
    url: string,
    body: string,
    reply: (status: number, headers: Record<string, string>, body: string) => void,
  ): Promise<void> {
    const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations/u.exec(url);
    const name = match?.[1] ? decodeURIComponent(match[1]) : '';
    const handler = this.handlers.get(name);
    if (method !== 'POST' || !handler) {
      reply(404, { 'x-amzn-errortype': 'ResourceNotFoundException' }, JSON.stringify({ Type: 'User', Message: `Function not found: ${name}` }));
      return;
    }
    const payload: unknown = body === '' ? {} : JSON.parse(body);
    this.calls.push({ name, payload });
    const call = (this.counts.get(name) ?? 0) + 1;
    this.counts.set(name, call);
    try {
      const result = await handler(payload, call);
      reply(200, { 'x-amz-executed-version': '$LATEST' }, JSON.stringify(result ?? null));
    } catch (error) {
      const err = error as Error;
      const errorBody = { errorType: this.errorTypeOf(err), errorMessage: err.message, trace: (err.stack ?? '').split('\n') };
      reply(200, { 'x-amz-function-error': 'Unhandled', 'x-amz-executed-version': '$LATEST' }, JSON.stringify(errorBody));
    }
  }
}

/** An error as a Lambda handler throws it: a named Error subclass (class PaymentDeclined extends Error). */
export function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}
