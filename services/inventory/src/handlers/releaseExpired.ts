import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { intEnv } from '@order-platform/shared';
import { createObservability, scheduledHandler } from '@order-platform/shared/lambda';
import { inventoryRepositoryFromEnv } from '../adapters/dynamo-inventory-repository';
import { Inventory, type ExpirySummary } from '../domain/inventory';
import { expiryCutoff } from '../domain/reservation';

/** Reservations read per shard of the sweep index per round; a run reads rounds until the window is empty or time runs out. */
export const SWEEP_ENTRIES_PER_SHARD = 200;
/** Stop starting releases when less than this is left of the function's timeout. */
const SAFETY_MARGIN_MS = 5_000;

const observability = createObservability();
const maxAgeMinutes = intEnv('RESERVATION_MAX_AGE_MINUTES', 30);
expiryCutoff(new Date(), maxAgeMinutes); // fails the cold start on a max age the saga could still be using
const inventory = new Inventory(inventoryRepositoryFromEnv());

/**
 * Scheduled sweeper: releases reservations still RESERVED after the saga's longest possible run
 * (a lost or stopped execution would otherwise hold the stock forever). It reads each reservation
 * once, past the cut-off, from its shard's checkpoint on. Races with a running saga are settled by
 * the same conditional transitions the saga uses.
 */
export const handler = scheduledHandler(observability, async (_event, context): Promise<Omit<ExpirySummary, 'failed'> & { failed: string[] }> => {
  const { logger, metrics } = observability;
  const createdBefore = expiryCutoff(new Date(), maxAgeMinutes);
  const summary = await inventory.releaseExpired(
    createdBefore,
    SWEEP_ENTRIES_PER_SHARD,
    () => context.getRemainingTimeInMillis() > SAFETY_MARGIN_MS,
  );
  metrics.addMetric('ExpiredReservationsReleased', MetricUnit.Count, summary.released);
  metrics.addMetric('ExpiredReservationReleaseFailures', MetricUnit.Count, summary.failed.length);
  for (const { orderId, error } of summary.failed) logger.error('Expired reservation not released', { orderId, error });
  const report = { ...summary, failed: summary.failed.map((failure) => failure.orderId) };
  logger.info('Expired reservations swept', { createdBefore, maxAgeMinutes, ...report });
  if (summary.failed.length > 0) {
    // Fail the run so that the Errors metric and its alarm see it; the next run retries these.
    throw new Error(`${summary.failed.length} expired reservation(s) could not be released: ${report.failed.join(', ')}`);
  }
  return report;
});
