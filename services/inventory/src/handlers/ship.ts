import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { ShipOrderInput, type ShipOrderOutput } from '@order-platform/shared';
import { createObservability, stepHandler } from '@order-platform/shared/lambda';
import { inventoryRepositoryFromEnv } from '../adapters/dynamo-inventory-repository';
import { Inventory } from '../domain/inventory';

const observability = createObservability();
const inventory = new Inventory(inventoryRepositoryFromEnv());

/** Saga step ShipOrder: marks the reservation SHIPPED (one conditional write; the stock stays held); idempotent per orderId. */
export const handler = stepHandler(observability, ShipOrderInput, async (input): Promise<ShipOrderOutput> => {
  const { output, duplicate } = await inventory.ship(input.orderId);
  observability.metrics.addMetric(duplicate ? 'ShipRepeated' : 'OrdersShipped', MetricUnit.Count, 1);
  observability.logger.info(duplicate ? 'Order already shipped; answering the first shipment' : 'Order shipped', output);
  return output;
});
