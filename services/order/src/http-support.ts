import { HttpProblem, isTransientAwsError, parseOrProblem } from '@order-platform/shared';
import { IdempotencyKey } from './schemas';

/** Seconds a client should wait before retrying a 503. */
export const RETRY_AFTER_SECONDS = '2';

/** The optional Idempotency-Key header (headers are lower-cased by the shared http handler); 400 if malformed. */
export function idempotencyKeyOf(headers: Record<string, string | undefined> | undefined): string | undefined {
  const raw = headers?.['idempotency-key'];
  if (raw === undefined) return undefined;
  return parseOrProblem(IdempotencyKey, raw, 400, 'Idempotency-Key header');
}

/**
 * Runs a call to a backing service; a throttled or unavailable one becomes 503 + Retry-After
 * (the client may retry) rather than a 500 (which says the server is broken).
 */
export async function unavailableOnTransient<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isTransientAwsError(error)) {
      throw new HttpProblem(503, `${what} is temporarily unavailable; retry later`, {}, { 'Retry-After': RETRY_AFTER_SECONDS });
    }
    throw error;
  }
}
