import './set-env';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { handler } from '../../src/handlers/listNotifications';
import { ListNotificationsResponse } from '../../src/schemas';

const ddb = mockClient(DynamoDBDocumentClient);
const context = { functionName: 'notification-test-listNotifications', awsRequestId: 'req-1' } as unknown as Context;

const ADMIN = { sub: 'ops-1', scope: 'order-platform/admin' };

/** GET /notifications with an operator's verified claims (default), a customer's, or none (null). */
function get(query?: Record<string, string>, claims: Record<string, unknown> | null = ADMIN): APIGatewayProxyEventV2 {
  const rawQueryString = new URLSearchParams(query ?? {}).toString();
  return {
    version: '2.0',
    routeKey: 'GET /notifications',
    rawPath: '/notifications',
    rawQueryString,
    headers: {},
    ...(query ? { queryStringParameters: query } : {}),
    requestContext: {
      http: { method: 'GET', path: '/notifications' },
      ...(claims === null ? {} : { authorizer: { jwt: { claims, scopes: null } } }),
    } as unknown as APIGatewayProxyEventV2['requestContext'],
    isBase64Encoded: false,
  };
}

async function call(event: APIGatewayProxyEventV2) {
  const res = (await handler(event, context)) as APIGatewayProxyStructuredResultV2;
  return { status: res.statusCode, type: res.headers?.['Content-Type'], body: JSON.parse(String(res.body)) };
}

const sent = {
  notificationId: 'OrderConfirmed:ord-1',
  orderId: 'ord-1',
  eventType: 'OrderConfirmed',
  channel: 'record',
  to: 'ada@example.com',
  subject: 'Your order ord-1 is confirmed',
  text: 'Good news',
  status: 'SENT',
  createdAt: '2025-03-01T10:00:00.000Z',
  claimedAt: '2025-03-01T10:00:00.000Z',
  sentAt: '2025-03-01T10:00:00.120Z',
  attempts: 1,
  providerMessageId: 'ses-1',
};
const sending = { ...sent, notificationId: 'PaymentRefunded:ord-1', eventType: 'PaymentRefunded', status: 'SENDING', createdAt: '2025-03-01T10:05:00.000Z', sentAt: undefined };

beforeEach(() => ddb.reset());

test('200 lists the order’s notifications oldest first, in the documented shape', async () => {
  ddb.on(QueryCommand).resolves({ Items: [sent, { ...sending, sentAt: undefined }] });
  const res = await call(get({ orderId: 'ord-1' }));

  expect(res.status).toBe(200);
  expect(res.type).toBe('application/json');
  expect(ListNotificationsResponse.parse(res.body)).toEqual(res.body);
  expect(res.body.items).toEqual([
    {
      notificationId: 'OrderConfirmed:ord-1',
      orderId: 'ord-1',
      eventType: 'OrderConfirmed',
      channel: 'record',
      to: 'ada@example.com',
      subject: 'Your order ord-1 is confirmed',
      text: 'Good news',
      status: 'SENT',
      createdAt: '2025-03-01T10:00:00.000Z',
      sentAt: '2025-03-01T10:00:00.120Z',
    },
    expect.objectContaining({ notificationId: 'PaymentRefunded:ord-1', status: 'SENDING', sentAt: null }),
  ]);
  expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
    TableName: 'notification-test-notifications',
    KeyConditionExpression: 'orderId = :orderId',
    ExpressionAttributeValues: { ':orderId': 'ord-1' },
  });
});

test('200 with no items for an order nobody was notified about', async () => {
  ddb.on(QueryCommand).resolves({ Items: [] });
  await expect(call(get({ orderId: 'ord-unknown' }))).resolves.toMatchObject({ status: 200, body: { items: [] } });
});

test.each([
  ['no query at all', undefined, /orderId is required/],
  ['an empty orderId', { orderId: '' }, /orderId must not be empty/],
  ['a misspelt parameter', { orderid: 'ord-1' }, /orderId is required.*orderid/],
  ['an extra parameter', { orderId: 'ord-1', limit: '5' }, /limit/],
  ['a repeated orderId (joined with a comma)', { orderId: 'ord-1,ord-2' }, /letters, digits/],
  ['an orderId with spaces', { orderId: 'ord 1' }, /letters, digits/],
  ['an orderId over 64 characters', { orderId: 'o'.repeat(65) }, /at most 64/],
])('400 for %s, without reading the table', async (_name, query, detail) => {
  const res = await call(get(query));
  expect(res.status).toBe(400);
  expect(res.type).toBe('application/problem+json');
  expect(res.body).toMatchObject({ status: 400, title: 'Bad Request' });
  expect(res.body.detail).toMatch(detail);
  expect(res.body.errors[0]).toHaveProperty('pointer');
  expect(ddb.calls()).toHaveLength(0);
});

test('500 problem without internals when the table cannot be read', async () => {
  ddb.on(QueryCommand).rejects(new Error('secret table internals'));
  const res = await call(get({ orderId: 'ord-1' }));
  expect(res.status).toBe(500);
  expect(res.type).toBe('application/problem+json');
  expect(res.body.detail).not.toMatch(/secret/);
});

test.each([
  ['a customer token', { sub: 'cust-1' }, 403],
  ['no token', null, 401],
] as const)('operators only: %s is refused (%i) without a read', async (_name, claims, status) => {
  const res = await call(get({ orderId: 'ord-1' }, claims));
  expect(res.status).toBe(status);
  expect(res.type).toBe('application/problem+json');
  expect(ddb.calls()).toHaveLength(0);
});
