import { isTransientAwsError } from '../errors';
import { HttpProblem } from './problem';

/**
 * Seconds a client should wait before retrying a 503; one value for every 503 of the platform.
 * Two rather than one: the AWS SDK has already spent its own retries with backoff before a
 * throttle or an outage reaches the handler, so what outlasted them is rarely over within a
 * second, and an earlier retry only adds to the load that caused it.
 */
export const RETRY_AFTER_SECONDS = 2;

/** 503 with Retry-After: the request may succeed later; the server is not broken. */
export function retryLater(detail: string, extensions: Record<string, unknown> = {}): HttpProblem {
  return new HttpProblem(503, detail, extensions, { 'Retry-After': String(RETRY_AFTER_SECONDS) });
}

/**
 * Runs a call to a backing service; a throttled or unavailable one becomes 503 + Retry-After
 * naming `what` (the client may retry) rather than a 500 (which says the server is broken).
 */
export async function unavailableOnTransient<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isTransientAwsError(error)) throw retryLater(`${what} is temporarily unavailable; retry later`);
    throw error;
  }
}
