import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { jsonResponse, parseOrProblem, unavailableOnTransient } from '@order-platform/shared';
import { createObservability, httpHandler } from '@order-platform/shared/lambda';
import { stockRepositoryFromEnv } from '../adapters/dynamo-stock-repository';
import { PutStockBody, SkuPathParameters } from '../schemas';

const observability = createObservability();
const stock = stockRepositoryFromEnv();

/** PUT /inventory/{sku}: sets price and shelf stock; 201 for a new SKU, 200 for an update. Operators only. */
export const handler = httpHandler(observability, { auth: 'admin', body: PutStockBody }, async (event) => {
  const { sku } = parseOrProblem(SkuPathParameters, event.pathParameters ?? {}, 400, 'path');
  const { item, created } = await unavailableOnTransient('The inventory', () => stock.put(sku, event.body, new Date().toISOString()));
  observability.metrics.addMetric(created ? 'StockCreated' : 'StockUpdated', MetricUnit.Count, 1);
  observability.logger.info(created ? 'Stock created' : 'Stock updated', { by: event.principal.customerId, sku, price: item.price, currency: item.currency, available: item.available });
  return jsonResponse(created ? 201 : 200, item, created ? { Location: `/inventory/${encodeURIComponent(sku)}` } : {});
});
