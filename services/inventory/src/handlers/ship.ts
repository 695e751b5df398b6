import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { requireEnv, ShipOrderInput, type ShipOrderOutput } from '@order-platform/shared';
import { createObservability, stepHandler } from '@order-platform/shared/lambda';
import { createDocumentClient, inventoryTablesFromEnv } from '../adapters/dynamodb';
import { DynamoInventoryStore } from '../adapters/dynamo-inventory-store';
import { Inventory } from '../domain/inventory';

const observability = createObservability();
const inventory = new Inventory(new DynamoInventoryStore(createDocumentClient(), inventoryTablesFromEnv(requireEnv)));

/** Saga step ShipOrder: commits the reservation (reserved -> shipped); idempotent per orderId. */
export const handler = stepHandler(observability, ShipOrderInput, async (input): Promise<ShipOrderOutput> => {
  const { output, duplicate } = await inventory.ship(input.orderId);
  observability.metrics.addMetric(duplicate ? 'ShipRepeated' : 'OrdersShipped', MetricUnit.Count, 1);
  observability.logger.info(duplicate ? 'Order already shipped; answering the first shipment' : 'Order shipped', output);
  return output;
});
