import { createHttpInvoker, LambdaInvokeError, type InvokeCallOptions } from '@order-platform/stepfunctions-local';
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

export type InvokeOptions = InvokeCallOptions;

export type FunctionInvoker = (functionName: string, event: unknown, options?: InvokeOptions) => Promise<InvocationOutcome>;

export interface ClosableFunctionInvoker extends FunctionInvoker {
  close(): void;
}

/**
 * Invokes functions through the services' serverless-offline Lambda endpoints, routed by
 * function-name prefix (`order-local-` → order's lambda port), with one SDK client (and one
 * keep-alive connection pool) per endpoint shared by every poller. The invoker is Step Functions
 * local's (one Lambda invoker for the repository); the pollers see its failures as
 * InvokeUnavailableError, since they own retries with AWS's event-source semantics.
 */
export function createFunctionInvoker(routes: Record<string, string>, region: string, deliveries?: DeliveryLog): ClosableFunctionInvoker {
  const http = createHttpInvoker({
    endpoints: routes,
    region,
    maxSockets: 64,
    ...(deliveries ? { onSend: (functionName: string, event: unknown) => deliveries.record(functionName, event) } : {}),
  });

  const invoke: FunctionInvoker = async (functionName, event, options = {}) => {
    try {
      const { payload, functionError } = await http(functionName, event, options);
      return { payload, functionError };
    } catch (error) {
      throw unavailable(error, functionName);
    }
  };
  return Object.assign(invoke, { close: () => http.close() });
}

function unavailable(error: unknown, functionName: string): InvokeUnavailableError {
  const cause = error instanceof LambdaInvokeError ? error.sdkError : undefined;
  // No cause: the call was never sent (no endpoint serves the function).
  if (!cause) return new InvokeUnavailableError((error as Error).message, { cause: error });
  return new InvokeUnavailableError(`invoke of ${functionName} failed: ${cause.name}: ${cause.message}`, { cause });
}
