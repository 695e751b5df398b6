import { HttpProblem, jsonResponse, parseOrProblem, requireEnv } from '@order-platform/shared';
import { createObservability, httpHandler } from '@order-platform/shared/lambda';
import { createDocumentClient } from '../adapters/dynamodb';
import { StockTable } from '../adapters/stock-table';
import { unavailableOnTransient } from '../http';
import { SkuPathParameters } from '../schemas';

const observability = createObservability();
const stockTable = new StockTable(createDocumentClient(), requireEnv('STOCK_TABLE_NAME'));

/** GET /inventory/{sku}: price and the three stock counters of a SKU, for any signed-in caller. */
export const handler = httpHandler(observability, { auth: 'customer' }, async (event) => {
  const { sku } = parseOrProblem(SkuPathParameters, event.pathParameters ?? {}, 400, 'path');
  const item = await unavailableOnTransient(() => stockTable.get(sku));
  if (!item) throw new HttpProblem(404, `SKU ${sku} is not in the catalogue`);
  return jsonResponse(200, item);
});
