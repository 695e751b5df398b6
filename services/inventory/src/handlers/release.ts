import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { createObservability, ReleaseInventoryInput, requireEnv, stepHandler, type ReleaseInventoryOutput } from '@order-platform/shared';
import { createDocumentClient, inventoryTablesFromEnv } from '../adapters/dynamodb';
import { DynamoInventoryStore } from '../adapters/dynamo-inventory-store';
import { Inventory } from '../domain/inventory';

const observability = createObservability();
const inventory = new Inventory(new DynamoInventoryStore(createDocumentClient(), inventoryTablesFromEnv(requireEnv)));

/** Saga compensation ReleaseInventory: gives the order's stock back; safe to run twice or concurrently. */
export const handler = stepHandler(observability, ReleaseInventoryInput, async (input): Promise<ReleaseInventoryOutput> => {
  const output = await inventory.release(input.orderId);
  if (output.status === 'RELEASED') observability.metrics.addMetric('StockReleased', MetricUnit.Count, 1);
  observability.logger.info('Release done', { status: output.status });
  return output;
});
