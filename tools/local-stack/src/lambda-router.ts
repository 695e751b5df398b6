import { request, type IncomingMessage, type ServerResponse } from 'node:http';

/** Lambda's Invoke path: POST /2015-03-31/functions/{FunctionName}/invocations (name, partial or full ARN). */
const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/** The function name of an Invoke request path, or undefined for any other path. */
export function invokedFunction(pathname: string): string | undefined {
  const match = INVOKE_PATH.exec(pathname);
  if (!match) return undefined;
  const name = decodeURIComponent(match[1]!);
  // arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]
  const arn = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(name);
  return arn ? arn[1] : name.split(':')[0];
}

/**
 * One Lambda endpoint for the functions of every service, as on AWS: a function that invokes
 * another service's function (the order API asking the inventory's catalogue) has one
 * AWS_ENDPOINT_URL_LAMBDA, while each `serverless offline` serves only its own functions. The
 * request is passed through unchanged to the endpoint whose prefix (`inventory-local-`) names the
 * function; an unknown function gets Lambda's own 404 ResourceNotFoundException.
 */
export interface RouteOptions {
  /**
   * How long an Invoke waits for a service whose process is down (nothing listens: the stack's
   * supervisor is restarting it) before it is answered as Lambda's ServiceException. On AWS a
   * crashed function instance is replaced and the caller never sees the gap; locally the call
   * waits for the restart (measured: 4-15 s) instead of burning the caller's retries.
   */
  waitForRestartMs?: number;
}

export function routeInvocation(routes: Record<string, string>, functionName: string, req: IncomingMessage, res: ServerResponse, options: RouteOptions = {}): void {
  const target = Object.entries(routes)
    .sort(([a], [b]) => b.length - a.length)
    .find(([prefix]) => functionName.startsWith(prefix))?.[1];
  if (!target) {
    res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' });
    res.end(JSON.stringify({ Type: 'User', message: `Function not found: ${functionName}` }));
    return;
  }
  const url = new URL(req.url ?? '/', target);
  const deadline = Date.now() + (options.waitForRestartMs ?? 0);
  // The payload is kept so that the call can be made again once the service is back.
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => forward(Buffer.concat(chunks)));
  const forward = (body: Buffer) => {
    const call = request(url, { method: req.method, headers: { ...req.headers, host: url.host, 'content-length': String(body.length) } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    call.on('error', (error: NodeJS.ErrnoException) => {
      if (res.destroyed) return;
      if (res.headersSent) return res.destroy(error);
      // Nothing listens: the service is being restarted. The call never reached it, so making it again is safe.
      if (error.code === 'ECONNREFUSED' && Date.now() < deadline) {
        setTimeout(() => forward(body), 200);
        return;
      }
      // As Lambda's service errors: retryable by the SDK, transient to the caller. (A process
      // that dies during the call lands here too: the function may have run, as with any timeout.)
      res.writeHead(503, { 'content-type': 'application/json', 'x-amzn-errortype': 'ServiceException' });
      res.end(JSON.stringify({ Type: 'Service', message: `The Lambda endpoint of ${functionName} is unreachable: ${error.message}` }));
    });
    call.end(body);
  };
}
