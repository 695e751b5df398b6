import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { ReleaseInventoryInput, type ReleaseInventoryOutput } from '@order-platform/shared';
import { createObservability, stepHandler } from '@order-platform/shared/lambda';
import { inventoryRepositoryFromEnv } from '../adapters/dynamo-inventory-repository';
import { Inventory } from '../domain/inventory';

/** NOTHING_RESERVED means the compensation ran before (or instead of) the reserve. */
const RELEASE_METRICS = {
  RELEASED: 'StockReleased',
  ALREADY_RELEASED: 'ReleaseRepeated',
  NOTHING_RESERVED: 'ReleaseFoundNothing',
} as const satisfies Record<ReleaseInventoryOutput['status'], string>;

const observability = createObservability();
const inventory = new Inventory(inventoryRepositoryFromEnv());

/** Saga compensation ReleaseInventory: gives the order's stock back; safe to run twice or concurrently. */
export const handler = stepHandler(observability, ReleaseInventoryInput, async (input): Promise<ReleaseInventoryOutput> => {
  const output = await inventory.release(input.orderId);
  observability.metrics.addMetric(RELEASE_METRICS[output.status], MetricUnit.Count, 1);
  observability.logger.info('Release done', { status: output.status });
  return output;
});
