/**
 * Errors that cross a Step Functions Task boundary. The Lambda runtime reports `error.name` as
 * the errorType, which is what the state machine's Retry and Catch match on, so each class
 * pins its name explicitly (minifiers rename classes).
 */

/** A failure worth retrying: throttling, timeouts, a provider hiccup. Retried with backoff. */
export class TransientError extends Error {
  override readonly name: string = 'TransientError';
}

/** A business outcome that no retry can change (out of stock, card declined): compensate. */
export abstract class BusinessError extends Error {
  abstract override readonly name: string;
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Error names the saga retries (transient) and the AWS Lambda service errors Step Functions raises. */
export const TRANSIENT_ERROR_NAMES = [
  'TransientError',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
  // The function crashed (out of memory, the runtime died): a crash is a retry, as on AWS.
  'Lambda.Unknown',
  // A step's Lambda timed out; every step is idempotent, so running it again is safe.
  'Sandbox.Timedout',
  'States.Timeout',
] as const;

/** True when a Task error caught by the saga is one of {@link TRANSIENT_ERROR_NAMES}. */
export function isTransientErrorName(name: string): boolean {
  return (TRANSIENT_ERROR_NAMES as readonly string[]).includes(name);
}

const TRANSIENT_AWS_ERROR_NAMES = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'TransactionConflictException',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  // Lambda Invoke: the function's concurrency is exhausted.
  'TooManyRequestsException',
]);
const TRANSIENT_NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND']);

/** AWS SDK errors that mean "try again later" rather than "you asked for something wrong". */
export function isTransientAwsError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error instanceof TransientError) return true;
  const meta = error as { $metadata?: { httpStatusCode?: number }; $retryable?: unknown; code?: unknown };
  if (meta.$retryable) return true;
  const status = meta.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return true;
  // Network failures reach us as a plain Error whose reason is only in `code`.
  if (typeof meta.code === 'string' && TRANSIENT_NETWORK_CODES.has(meta.code)) return true;
  return TRANSIENT_AWS_ERROR_NAMES.has(error.name);
}

/** Rethrows transient AWS failures as TransientError so the saga retries them by name. */
export function asStepError(error: unknown): Error {
  if (error instanceof BusinessError || error instanceof TransientError) return error;
  if (isTransientAwsError(error)) {
    return new TransientError((error as Error).message, { cause: error });
  }
  return error instanceof Error ? error : new Error(String(error));
}
