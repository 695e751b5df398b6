import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { HttpProblem, jsonResponse, parseOrProblem, requireEnv } from '@order-platform/shared';
import { createObservability, httpHandler } from '@order-platform/shared/lambda';
import { createDocumentClient, OrderRepository } from '../adapters/order-repository';
import { canReadOrder } from '../domain/access';
import { toView } from '../domain/order';
import { unavailableOnTransient } from '../http-support';
import { GetOrderPath } from '../schemas';

const obs = createObservability();
const orders = new OrderRepository(
  createDocumentClient(new DynamoDBClient({})),
  requireEnv('ORDERS_TABLE_NAME'),
);

/** The caller's order, or any order for an admin; another customer's order is answered as missing (404). */
export const handler = httpHandler(obs, { auth: 'customer' }, async (event) => {
  const { orderId } = parseOrProblem(GetOrderPath, event.pathParameters ?? {}, 400, 'path');
  const order = await unavailableOnTransient('The order store', () => orders.get(orderId));
  if (order === undefined || !canReadOrder(event.principal, order)) throw new HttpProblem(404, `Order ${orderId} does not exist`);
  return jsonResponse(200, toView(order));
});
