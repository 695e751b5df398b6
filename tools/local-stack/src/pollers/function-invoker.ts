import { Agent } from 'node:http';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { localCredentials } from '../aws-clients';
import type { DeliveryLog } from './delivery-log';

/** A call that completed: the function ran (and may have failed: `functionError`). */
export interface InvocationOutcome {
  payload: unknown;
  /** Lambda's X-Amz-Function-Error, e.g. "Unhandled", when the function itself failed. */
  functionError?: string;
}

/** The call could not be made or was refused before the function ran (endpoint down, unknown function). */
export class InvokeUnavailableError extends Error {
  override readonly name = 'InvokeUnavailableError';
}

export interface InvokeOptions {
  /** Abandon the call after this long (the function's timeout plus a margin). */
  timeoutMs?: number;
  /** InvocationType Event: fire and forget (schedules). */
  async?: boolean;
}

export type FunctionInvoker = (functionName: string, event: unknown, options?: InvokeOptions) => Promise<InvocationOutcome>;

export interface ClosableFunctionInvoker extends FunctionInvoker {
  close(): void;
}

/**
 * Invokes functions through the services' serverless-offline Lambda endpoints, routed by
 * function-name prefix (`order-local-` → order's lambda port), with one SDK client (and one
 * keep-alive connection pool) per endpoint shared by every poller.
 */
export function createFunctionInvoker(routes: Record<string, string>, region: string, deliveries?: DeliveryLog): ClosableFunctionInvoker {
  const ordered = Object.entries(routes).sort(([a], [b]) => b.length - a.length);
  const clients = new Map<string, LambdaClient>();
  const clientFor = (functionName: string) => {
    const endpoint = ordered.find(([prefix]) => functionName.startsWith(prefix))?.[1];
    if (!endpoint) throw new InvokeUnavailableError(`no Lambda endpoint serves ${functionName} (known prefixes: ${ordered.map(([p]) => p).join(', ')})`);
    let client = clients.get(endpoint);
    if (!client) {
      client = new LambdaClient({
        region,
        endpoint,
        credentials: localCredentials,
        // The pollers own retries (with AWS's semantics); a hidden SDK retry would double-deliver.
        maxAttempts: 1,
        requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: 64 }) },
      });
      clients.set(endpoint, client);
    }
    return client;
  };

  const invoke: FunctionInvoker = async (functionName, event, options = {}) => {
    const client = clientFor(functionName);
    deliveries?.record(functionName, event);
    let output;
    try {
      output = await client.send(
        new InvokeCommand({
          FunctionName: functionName,
          InvocationType: options.async ? 'Event' : 'RequestResponse',
          Payload: Buffer.from(JSON.stringify(event)),
        }),
        options.timeoutMs ? { abortSignal: AbortSignal.timeout(options.timeoutMs) } : {},
      );
    } catch (error) {
      throw new InvokeUnavailableError(`invoke of ${functionName} failed: ${(error as Error).name}: ${(error as Error).message}`, { cause: error });
    }
    const text = output.Payload ? Buffer.from(output.Payload).toString('utf8') : '';
    return { payload: parsePayload(text), functionError: output.FunctionError };
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
