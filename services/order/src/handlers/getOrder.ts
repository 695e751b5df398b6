import { HttpProblem, jsonResponse, parseOrProblem, unavailableOnTransient } from '@order-platform/shared';
import { createObservability, httpHandler } from '@order-platform/shared/lambda';
import { orderRepositoryFromEnv } from '../adapters/dynamo-order-repository';
import { canReadOrder } from '../domain/access';
import { toView } from '../domain/order';
import { GetOrderPath } from '../schemas';

const observability = createObservability();
const orders = orderRepositoryFromEnv();

/** The caller's order, or any order for an admin; another customer's order is answered as missing (404). */
export const handler = httpHandler(observability, { auth: 'customer' }, async (event) => {
  const { orderId } = parseOrProblem(GetOrderPath, event.pathParameters ?? {}, 400, 'path');
  const order = await unavailableOnTransient('The order store', () => orders.get(orderId));
  if (order === undefined || !canReadOrder(event.principal, order)) throw new HttpProblem(404, `Order ${orderId} does not exist`);
  return jsonResponse(200, toView(order));
});
