import { TABLE } from '../support/env';
import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { handler } from '../../src/handlers/getOrder';
import { toView } from '../../src/domain/order';
import { orderRecord, RESERVATION } from '../support/fixtures';
import { ADMIN, answer, httpEvent, OTHER_CUSTOMER } from '../support/http';

const ddb = mockClient(DynamoDBDocumentClient);
beforeEach(() => ddb.reset());

const get = (orderId: string, claims?: Record<string, unknown> | null) =>
  answer(
    handler,
    httpEvent('GET', `/orders/${orderId}`, { routeKey: 'GET /orders/{orderId}', pathParameters: { orderId }, ...(claims !== undefined ? { claims } : {}) }),
  );

test('200 with the representation', async () => {
  const order = orderRecord({ status: 'CONFIRMED', lines: RESERVATION.lines, total: RESERVATION.total, paymentId: 'pay_1' });
  ddb.on(GetCommand, { TableName: TABLE, Key: { orderId: 'ord_abc123' } }).resolves({ Item: order });
  const res = await get('ord_abc123');
  expect(res.status).toBe(200);
  expect(res.headers['Content-Type']).toBe('application/json');
  expect(res.body).toEqual(toView(order));
  expect(res.body).not.toHaveProperty('paymentToken');
});

test('404 problem+json for an unknown order', async () => {
  ddb.on(GetCommand).resolves({});
  const res = await get('ord_missing1');
  expect(res.status).toBe(404);
  expect(res.headers['Content-Type']).toBe('application/problem+json');
  expect(res.body).toMatchObject({ status: 404, title: 'Not Found', detail: 'Order ord_missing1 does not exist' });
});

test.each([['not-an-order'], ['ord_'], ['ord_has.dot']])('400 for the malformed id %p, without a read', async (orderId) => {
  const res = await get(orderId);
  expect(res.status).toBe(400);
  expect(res.body.detail).toMatch(/\/orderId: orderId must look like "ord_"/);
  expect(ddb).not.toHaveReceivedCommand(GetCommand);
});

describe("another customer's order", () => {
  test('is answered exactly like a missing one (404), so ids reveal nothing', async () => {
    ddb.on(GetCommand).resolves({ Item: orderRecord() });
    const theirs = await get('ord_abc123', OTHER_CUSTOMER);
    ddb.on(GetCommand).resolves({});
    const missing = await get('ord_abc123', OTHER_CUSTOMER);
    expect(theirs).toEqual(missing);
    expect(theirs.status).toBe(404);
  });

  test('an admin reads any order', async () => {
    ddb.on(GetCommand).resolves({ Item: orderRecord() });
    const res = await get('ord_abc123', ADMIN);
    expect(res.status).toBe(200);
    expect(res.body.customerId).toBe('cust-1');
  });

  test('no token: 401 without a read', async () => {
    const res = await get('ord_abc123', null);
    expect(res.status).toBe(401);
    expect(ddb).not.toHaveReceivedCommand(GetCommand);
  });
});

test('503 with Retry-After while the table throttles', async () => {
  ddb.on(GetCommand).rejects(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));
  const res = await get('ord_abc123');
  expect(res.status).toBe(503);
  expect(res.headers['Retry-After']).toBe('2');
});
