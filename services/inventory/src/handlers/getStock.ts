import { HttpProblem, jsonResponse, parseOrProblem, unavailableOnTransient } from '@order-platform/shared';
import { createObservability, httpHandler } from '@order-platform/shared/lambda';
import { stockRepositoryFromEnv } from '../adapters/dynamo-stock-repository';
import { SkuPathParameters } from '../schemas';

const observability = createObservability();
const stock = stockRepositoryFromEnv();

/** GET /inventory/{sku}: price and the two stock counters (available, held) of a SKU, for any signed-in caller. */
export const handler = httpHandler(observability, { auth: 'customer' }, async (event) => {
  const { sku } = parseOrProblem(SkuPathParameters, event.pathParameters ?? {}, 400, 'path');
  const item = await unavailableOnTransient('The inventory', () => stock.get(sku));
  if (!item) throw new HttpProblem(404, `SKU ${sku} is not in the catalogue`);
  return jsonResponse(200, item);
});
