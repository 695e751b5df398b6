import { jsonResponse, parseOrProblem } from '@order-platform/shared';
import { createObservability, httpHandler } from '@order-platform/shared/lambda';
import { notificationRepositoryFromEnv } from '../adapters/dynamo-notification-repository';
import { toNotificationView } from '../domain/notification';
import { ListNotificationsQuery, type ListNotificationsResponse } from '../schemas';

const observability = createObservability();
const repository = notificationRepositoryFromEnv();

/**
 * GET /notifications?orderId=...: what the customer was sent about an order, for support and tests.
 * Operators only: a notification carries the customer's address and what was sent.
 */
export const handler = httpHandler(observability, { auth: 'admin' }, async (event) => {
  const { orderId } = parseOrProblem(ListNotificationsQuery, event.queryStringParameters ?? {}, 400, 'query');
  const records = await repository.listByOrder(orderId);
  const body: ListNotificationsResponse = { items: records.map(toNotificationView) };
  return jsonResponse(200, body);
});
