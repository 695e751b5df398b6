import { TABLE } from '../support/env';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { handler } from '../../src/handlers/listOrders';
import { encodeCursor } from '../../src/domain/cursor';
import { toView } from '../../src/domain/order';
import { OrderPage } from '../../src/schemas';
import { orderRecord } from '../support/fixtures';
import { ADMIN, answer, httpEvent, OTHER_CUSTOMER } from '../support/http';

const ddb = mockClient(DynamoDBDocumentClient);
beforeEach(() => ddb.reset());

const list = (query: Record<string, string>, claims?: Record<string, unknown> | null) =>
  answer(handler, httpEvent('GET', '/orders', { query, ...(claims !== undefined ? { claims } : {}) }));

// Newest first, as the index returns them with ScanIndexForward = false.
const orders = Array.from({ length: 5 }, (_, i) =>
  orderRecord({ orderId: `ord_${i}`, createdAt: `2025-01-0${9 - i}T00:00:00.000Z`, updatedAt: `2025-01-0${9 - i}T00:00:00.000Z` }),
);
const keyOf = (o: (typeof orders)[number]) => ({ orderId: o.orderId, customerId: o.customerId, createdAt: o.createdAt });

test('the first page: newest first, one more read than shown, and a cursor to the next', async () => {
  ddb.on(QueryCommand).resolves({ Items: orders.slice(0, 3) });
  const res = await list({ customerId: 'cust-1', limit: '2' });

  expect(res.status).toBe(200);
  expect(res.body.items).toEqual(orders.slice(0, 2).map(toView));
  expect(res.body.nextCursor).toBe(encodeCursor(keyOf(orders[1]!)));
  expect(OrderPage.safeParse(res.body).success).toBe(true);
  expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
    TableName: TABLE,
    IndexName: 'byCustomer',
    KeyConditionExpression: 'customerId = :customerId',
    ExpressionAttributeValues: { ':customerId': 'cust-1' },
    ScanIndexForward: false,
    Limit: 3,
  });
  expect(ddb.commandCalls(QueryCommand)[0]!.args[0].input.ExclusiveStartKey).toBeUndefined();
});

test('following the cursor resumes after the last order shown; the last page has no cursor', async () => {
  ddb.on(QueryCommand).resolves({ Items: orders.slice(2, 4) });
  const res = await list({ customerId: 'cust-1', limit: '2', cursor: encodeCursor(keyOf(orders[1]!)) });

  expect(res.status).toBe(200);
  expect(res.body.items).toEqual(orders.slice(2, 4).map(toView));
  expect(res.body).not.toHaveProperty('nextCursor');
  expect(ddb).toHaveReceivedCommandWith(QueryCommand, { ExclusiveStartKey: keyOf(orders[1]!) });
});

test('limit defaults to 20; an empty listing is an empty page', async () => {
  ddb.on(QueryCommand).resolves({ Items: [] });
  const res = await list({}, { sub: 'nobody' });
  expect(res.body).toEqual({ items: [] });
  expect(ddb).toHaveReceivedCommandWith(QueryCommand, { Limit: 21, ExpressionAttributeValues: { ':customerId': 'nobody' } });
});

describe("whose orders: the caller's, from the access token", () => {
  test('without customerId: the caller\'s orders', async () => {
    ddb.on(QueryCommand).resolves({ Items: orders.slice(0, 1) });
    const res = await list({});
    expect(res.status).toBe(200);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, { ExpressionAttributeValues: { ':customerId': 'cust-1' } });
  });

  test("another customer's id: 403 problem+json, without a query", async () => {
    const res = await list({ customerId: 'cust-2' });
    expect(res.status).toBe(403);
    expect(res.headers['Content-Type']).toBe('application/problem+json');
    expect(res.body.detail).toMatch(/you can list only your own orders/);
    expect(ddb).not.toHaveReceivedCommand(QueryCommand);
  });

  test("an admin may list any customer's orders", async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    expect((await list({ customerId: 'cust-2' }, ADMIN)).status).toBe(200);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, { ExpressionAttributeValues: { ':customerId': 'cust-2' } });
  });

  test('no token: 401, without a query', async () => {
    const res = await list({}, null);
    expect(res.status).toBe(401);
    expect(res.headers['WWW-Authenticate']).toMatch(/^Bearer/);
    expect(ddb).not.toHaveReceivedCommand(QueryCommand);
  });

  test("another customer's cursor: 400, without a query", async () => {
    const res = await list({ cursor: encodeCursor(keyOf(orders[0]!)) }, OTHER_CUSTOMER);
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/\/cursor: cursor belongs to another customer/);
    expect(ddb).not.toHaveReceivedCommand(QueryCommand);
  });
});

test('when DynamoDB stops early, its LastEvaluatedKey becomes the cursor', async () => {
  ddb.on(QueryCommand).resolves({ Items: orders.slice(0, 1), LastEvaluatedKey: keyOf(orders[0]!) });
  const res = await list({ customerId: 'cust-1', limit: '2' });
  expect(res.body.nextCursor).toBe(encodeCursor(keyOf(orders[0]!)));
});

test.each([
  ['a bad customerId', { customerId: 'a b' }, /\/customerId: customerId must be/],
  ['limit 0', { customerId: 'cust-1', limit: '0' }, /\/limit: limit must be an integer from 1 to 100/],
  ['limit 101', { customerId: 'cust-1', limit: '101' }, /\/limit: limit must be an integer from 1 to 100/],
  ['limit "ten"', { customerId: 'cust-1', limit: 'ten' }, /\/limit/],
  ['an unknown parameter', { customerId: 'cust-1', sort: 'asc' }, /sort/],
  ['a cursor that is not base64url', { customerId: 'cust-1', cursor: 'a+b' }, /\/cursor: cursor is not base64url/],
  ['a forged cursor', { customerId: 'cust-1', cursor: Buffer.from('{"orderId":1}').toString('base64url') }, /\/cursor: cursor is not one this API issued/],
])('400 problem+json for %s, without a query', async (_name, query, detail) => {
  const res = await list(query);
  expect(res.status).toBe(400);
  expect(res.headers['Content-Type']).toBe('application/problem+json');
  expect(res.body.detail).toMatch(detail);
  expect(ddb).not.toHaveReceivedCommand(QueryCommand);
});
