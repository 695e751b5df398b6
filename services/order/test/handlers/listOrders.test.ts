import { TABLE } from '../support/env';
import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { handler } from '../../src/handlers/listOrders';
import { encodeCursor } from '../../src/domain/cursor';
import { toView } from '../../src/domain/order';
import { OrderPage } from '../../src/schemas';
import { orderRecord } from '../support/fixtures';
import { ADMIN, answer, httpEvent, OTHER_CUSTOMER } from '../support/http';

const ddb = mockClient(DynamoDBDocumentClient);

const list = (query: Record<string, string>, claims?: Record<string, unknown> | null) =>
  answer(handler, httpEvent('GET', '/orders', { query, ...(claims !== undefined ? { claims } : {}) }));

// Newest first, as the index returns them with ScanIndexForward = false.
const orders = Array.from({ length: 5 }, (_, i) =>
  orderRecord({ orderId: `ord_${i}`, createdAt: `2025-01-0${9 - i}T00:00:00.000Z`, updatedAt: `2025-01-0${9 - i}T00:00:00.000Z` }),
);
const keyOf = (o: (typeof orders)[number]) => ({ orderId: o.orderId, customerId: o.customerId, createdAt: o.createdAt });

/** The byCustomer index holds keys only: a query answers these orders' keys. */
const indexHolds = (page: typeof orders, lastEvaluatedKey?: Record<string, string>) =>
  ddb.on(QueryCommand).resolves({ Items: page.map(keyOf), ...(lastEvaluatedKey ? { LastEvaluatedKey: lastEvaluatedKey } : {}) });

beforeEach(() => {
  ddb.reset();
  // The table answers a BatchGetItem of order ids, in no particular order (here: reversed).
  ddb.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: { orderId: string }[] }> }) => ({
    Responses: { [TABLE]: input.RequestItems[TABLE]!.Keys.map((key) => orders.find((o) => o.orderId === key.orderId)).filter(Boolean).reverse() },
  }));
});

test('the first page: newest first, one more read than shown, and a cursor to the next', async () => {
  indexHolds(orders.slice(0, 3));
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
  // Then the page's orders from the table, in one request, put back in the index's order.
  expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 1);
  expect(ddb).toHaveReceivedCommandWith(BatchGetCommand, { RequestItems: { [TABLE]: { Keys: orders.slice(0, 3).map((o) => ({ orderId: o.orderId })) } } });
});

test('an order the index lists but the table no longer holds is left out', async () => {
  indexHolds([...orders.slice(0, 2), orderRecord({ orderId: 'ord_gone', createdAt: '2025-01-01T00:00:00.000Z' })]);
  const res = await list({ customerId: 'cust-1', limit: '5' });
  expect(res.body.items).toEqual(orders.slice(0, 2).map(toView));
});

test('unprocessed keys (throttling) are asked again', async () => {
  indexHolds(orders.slice(0, 2));
  ddb
    .on(BatchGetCommand)
    .resolvesOnce({ Responses: { [TABLE]: [orders[1]!] }, UnprocessedKeys: { [TABLE]: { Keys: [{ orderId: orders[0]!.orderId }] } } })
    .resolvesOnce({ Responses: { [TABLE]: [orders[0]!] } });
  const res = await list({ customerId: 'cust-1', limit: '5' });
  expect(res.body.items).toEqual(orders.slice(0, 2).map(toView));
  expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 2);
});

test('following the cursor resumes after the last order shown; the last page has no cursor', async () => {
  indexHolds(orders.slice(2, 4));
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
    indexHolds(orders.slice(0, 1));
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
  indexHolds(orders.slice(0, 1), keyOf(orders[0]!));
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
