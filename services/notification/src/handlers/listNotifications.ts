import { jsonResponse, parseOrProblem, requireEnv } from '@order-platform/shared';
import { createObservability, httpHandler } from '@order-platform/shared/lambda';
import { documentClient } from '../adapters/clients';
import { DynamoNotificationStore } from '../adapters/dynamo-notification-store';
import { toNotificationView } from '../domain/notification';
import { ListNotificationsQuery, type ListNotificationsResponse } from '../schemas';

const observability = createObservability();
const store = new DynamoNotificationStore(documentClient(), requireEnv('NOTIFICATIONS_TABLE'));

/**
 * GET /notifications?orderId=...: what the customer was sent about an order, for support and tests.
 * Operators only: a notification carries the customer's address and what was sent.
 */
export const handler = httpHandler(observability, { auth: 'admin' }, async (event) => {
  const { orderId } = parseOrProblem(ListNotificationsQuery, event.queryStringParameters ?? {}, 400, 'query');
  const records = await store.listByOrder(orderId);
  const body: ListNotificationsResponse = { items: records.map(toNotificationView) };
  return jsonResponse(200, body);
});
