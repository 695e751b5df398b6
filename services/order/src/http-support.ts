import { parseOrProblem } from '@order-platform/shared';
import { IdempotencyKey } from './schemas';

/** The optional Idempotency-Key header (headers are lower-cased by the shared http handler); 400 if malformed. */
export function idempotencyKeyOf(headers: Record<string, string | undefined> | undefined): string | undefined {
  const raw = headers?.['idempotency-key'];
  if (raw === undefined) return undefined;
  return parseOrProblem(IdempotencyKey, raw, 400, 'Idempotency-Key header');
}

