import type { NotificationRecord } from './notification';

/**
 * What to do when an event's notification record already exists:
 * - DUPLICATE: it was sent; this is a redelivered or republished copy of the event.
 * - IN_PROGRESS: another consumer claimed it recently and may be sending right now.
 * - STALE: claimed longer ago than any consumer can live (the queue's visibility timeout, itself
 *   6x the function timeout), so that consumer crashed between claim and send: take it over.
 */
export type ExistingClaimDecision = 'DUPLICATE' | 'IN_PROGRESS' | 'STALE';

export function decideOnExistingClaim(existing: Pick<NotificationRecord, 'status' | 'claimedAt'>, now: Date, claimTimeoutMs: number): ExistingClaimDecision {
  if (existing.status === 'SENT') return 'DUPLICATE';
  const claimedAt = Date.parse(existing.claimedAt);
  // An unreadable claim time can never become fresh: treat it as abandoned rather than stuck forever.
  if (Number.isNaN(claimedAt)) return 'STALE';
  return now.getTime() - claimedAt >= claimTimeoutMs ? 'STALE' : 'IN_PROGRESS';
}
