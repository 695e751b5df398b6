import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { ReserveInventoryInput, type ReserveInventoryOutput } from '@order-platform/shared';
import { createObservability, stepHandler } from '@order-platform/shared/lambda';
import { inventoryRepositoryFromEnv } from '../adapters/dynamo-inventory-repository';
import { Inventory } from '../domain/inventory';

const observability = createObservability();
const inventory = new Inventory(inventoryRepositoryFromEnv());

/** Saga step ReserveInventory: all lines or none, priced from the catalogue; idempotent per orderId. */
export const handler = stepHandler(observability, ReserveInventoryInput, async (input): Promise<ReserveInventoryOutput> => {
  const { output, duplicate } = await inventory.reserve(input);
  if (duplicate) {
    observability.metrics.addMetric('ReserveRepeated', MetricUnit.Count, 1);
    observability.logger.info('Reservation already made; answering the stored one', { total: output.total });
  } else {
    observability.metrics.addMetric('StockReserved', MetricUnit.Count, 1);
    observability.logger.info('Stock reserved', { lines: output.lines, total: output.total });
  }
  return output;
});
