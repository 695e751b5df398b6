import { Agent } from 'node:http';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';

/** What a Lambda Invoke returns, with the payload already parsed. */
export interface InvokeResult {
  /** The function's result; for a function error, `{ errorType, errorMessage, trace }`. */
  payload: unknown;
  /** Lambda's X-Amz-Function-Error ("Unhandled") when the function itself failed. */
  functionError?: string;
  statusCode?: number;
  executedVersion?: string;
  requestId?: string;
}

export interface InvokeCallOptions {
  /** Abandon the call after this long (the function's timeout plus a margin). */
  timeoutMs?: number;
  /** InvocationType Event: fire and forget (schedules). */
  async?: boolean;
}

/**
 * Runs a Lambda function by name. Resolve for a completed call (including a function error);
 * reject only when the call could not be made, preferably with a {@link LambdaInvokeError}.
 */
export type LambdaInvoker = (functionName: string, payload: unknown, options?: InvokeCallOptions) => Promise<InvokeResult>;

/** An invoker holding connections, to be closed with the server. */
export interface ClosableInvoker extends LambdaInvoker {
  close(): void;
}

/** A call that failed before the function ran; `name` is the States error, e.g. Lambda.ResourceNotFoundException. */
export class LambdaInvokeError extends Error {
  constructor(
    name: string,
    message: string,
    /** The SDK's own error, for callers that report it in their words. Not `cause`: the engine makes `cause` the States cause. */
    readonly sdkError?: Error,
  ) {
    super(message);
    this.name = name;
  }
}

export interface HttpInvokerOptions {
  /** Endpoint for functions that match no prefix, e.g. http://127.0.0.1:3002. */
  endpoint?: string;
  /** Function name prefix → endpoint; the longest matching prefix wins. */
  endpoints?: Record<string, string>;
  region?: string;
  /** Connections per endpoint (default 128). */
  maxSockets?: number;
  /** Called for each call about to be sent (after its endpoint is found): the local stack's delivery log. */
  onSend?: (functionName: string, payload: unknown) => void;
}

/**
 * Invokes through any Lambda Invoke endpoint (serverless-offline's included), with one SDK client
 * and one keep-alive connection pool per endpoint: the engine's own path builds a client per task.
 */
export function createHttpInvoker(options: HttpInvokerOptions): ClosableInvoker {
  const region = options.region ?? 'eu-west-1';
  const routes = Object.entries(options.endpoints ?? {}).sort(([a], [b]) => b.length - a.length);
  const clients = new Map<string, LambdaClient>();

  const clientFor = (functionName: string): LambdaClient => {
    const endpoint = routes.find(([prefix]) => functionName.startsWith(prefix))?.[1] ?? options.endpoint;
    if (!endpoint) {
      const known = routes.length > 0 ? ` (known prefixes: ${routes.map(([prefix]) => prefix).join(', ')})` : '';
      throw new LambdaInvokeError('Lambda.ServiceException', `No Lambda endpoint configured for function ${functionName}${known}`);
    }
    let client = clients.get(endpoint);
    if (!client) {
      client = new LambdaClient({
        region,
        endpoint,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        // Retries belong to the state machine's Retry fields, not to a hidden SDK loop.
        maxAttempts: 1,
        requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 128 }) },
      });
      clients.set(endpoint, client);
    }
    return client;
  };

  const invoke = async (functionName: string, payload: unknown, call: InvokeCallOptions = {}): Promise<InvokeResult> => {
    const client = clientFor(functionName);
    options.onSend?.(functionName, payload);
    try {
      const out = await client.send(
        new InvokeCommand({
          FunctionName: functionName,
          ...(call.async ? { InvocationType: 'Event' } : {}),
          Payload: Buffer.from(JSON.stringify(payload ?? {})),
        }),
        call.timeoutMs ? { abortSignal: AbortSignal.timeout(call.timeoutMs) } : {},
      );
      const text = out.Payload ? Buffer.from(out.Payload).toString('utf8') : '';
      return {
        payload: parsePayload(text),
        functionError: out.FunctionError,
        statusCode: out.StatusCode,
        executedVersion: out.ExecutedVersion,
        requestId: out.$metadata.requestId,
      };
    } catch (error) {
      throw toInvokeError(error, functionName);
    }
  };

  return Object.assign(invoke, {
    close: () => {
      for (const client of clients.values()) client.destroy();
      clients.clear();
    },
  });
}

function parsePayload(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** SDK failures in the words Step Functions uses (Lambda.<ErrorCode> and a Java-SDK-like cause). */
function toInvokeError(error: unknown, functionName: string): LambdaInvokeError {
  if (error instanceof LambdaInvokeError) return error;
  const err = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number; requestId?: string } };
  const status = err.$metadata?.httpStatusCode;
  if (status !== undefined) {
    const code = err.name && err.name !== 'Error' ? err.name : 'ServiceException';
    const message = err.message || `Invoke of ${functionName} failed`;
    return new LambdaInvokeError(
      `Lambda.${code}`,
      `${message} (Service: AWSLambda; Status Code: ${status}; Error Code: ${code}; Request ID: ${err.$metadata?.requestId ?? 'n/a'}; Proxy: null)`,
      error as Error,
    );
  }
  return new LambdaInvokeError('Lambda.SdkClientException', `Unable to execute HTTP request: ${err.message ?? String(error)}`, error instanceof Error ? error : undefined);
}

export type LocalHandler = (event: unknown) => unknown;

/**
 * An in-process invoker: handlers called directly, results and errors shaped as Lambda returns
 * them (a thrown error becomes a function error named after the error). For tests and benches.
 */
export function createLocalInvoker(handlers: Record<string, LocalHandler>): LambdaInvoker {
  return async (functionName, payload) => {
    const handler = handlers[functionName];
    if (!handler) {
      throw new LambdaInvokeError('Lambda.ResourceNotFoundException', `Function not found: ${functionName}`);
    }
    try {
      const result = await handler(payload);
      // A real invoke serialises the result; so does this one.
      return { payload: result === undefined ? null : JSON.parse(JSON.stringify(result)), statusCode: 200 };
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      return {
        functionError: 'Unhandled',
        statusCode: 200,
        payload: { errorType: err.name, errorMessage: err.message, trace: (err.stack ?? '').split('\n') },
      };
    }
  };
}
