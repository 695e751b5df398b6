import { HttpProblem, jsonResponse, parseOrProblem, unavailableOnTransient } from '@order-platform/shared';
import { createObservability, httpHandler } from '@order-platform/shared/lambda';
import { orderRepositoryFromEnv } from '../adapters/dynamo-order-repository';
import { customerToList } from '../domain/access';
import { decodeCursor, encodeCursor, InvalidCursor, pageOf, type PageKey } from '../domain/cursor';
import { toView } from '../domain/order';
import { ListOrdersQuery, type OrderPage } from '../schemas';

const observability = createObservability();
const orders = orderRepositoryFromEnv();

function startKeyOf(cursor: string | undefined, customerId: string): PageKey | undefined {
  if (cursor === undefined) return undefined;
  try {
    return decodeCursor(cursor, customerId);
  } catch (error) {
    if (error instanceof InvalidCursor) throw new HttpProblem(400, `Invalid query: /cursor: ${error.message}`);
    throw error;
  }
}

/** The caller's orders (an admin may name any customer with ?customerId=). */
export const handler = httpHandler(observability, { auth: 'customer' }, async (event) => {
  const query = parseOrProblem(ListOrdersQuery, event.queryStringParameters ?? {}, 400, 'query');
  const customer = customerToList(event.principal, query.customerId);
  if (!customer.allowed) throw new HttpProblem(403, customer.reason);
  const customerId = customer.value;
  const startKey = startKeyOf(query.cursor, customerId);
  // One more than asked: it tells whether another page follows.
  const result = await unavailableOnTransient('The order store', () =>
    orders.queryByCustomer(customerId, query.limit + 1, startKey),
  );
  const { page, next } = pageOf(result.orders, query.limit, result.lastEvaluatedKey);
  const body: OrderPage = { items: page.map(toView) };
  if (next) body.nextCursor = encodeCursor(next);
  return jsonResponse(200, body);
});
