import '../support/env';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { handler } from '../../src/handlers/getPayment';
import { capturedPayment, paymentIdFor, voidedPayment } from '../../src/domain/payment';
import { PaymentResponse } from '../../src/schemas';
import { answer, context, CUSTOMER, httpEvent } from '../support/lambda';

const ddb = mockClient(DynamoDBDocumentClient);
const now = '2025-01-02T03:04:05.000Z';
const get = (orderId: string, overrides = {}) =>
  answer(handler(httpEvent('GET', `/payments/${orderId}`, { pathParameters: { orderId }, ...overrides }), context));

beforeEach(() => ddb.reset());

test('200: the payment of the order', async () => {
  ddb.on(GetCommand).resolves({ Item: capturedPayment({ orderId: 'o-1', amount: { amount: 1250, currency: 'EUR' }, customerId: 'c', email: 'a@example.com' }, 'ch_1', now) });

  const res = await get('o-1');

  expect(res.status).toBe(200);
  expect(res.headers).toMatchObject({ 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  expect(res.body).toEqual({ orderId: 'o-1', paymentId: paymentIdFor('o-1'), status: 'CAPTURED', amount: { amount: 1250, currency: 'EUR' }, createdAt: now, updatedAt: now });
  expect(PaymentResponse.safeParse(res.body).success).toBe(true);
  expect(ddb).toHaveReceivedCommandWith(GetCommand, { TableName: 'payment-test-payments', Key: { orderId: 'o-1' } });
});

test('200: a compensation tombstone has no amount', async () => {
  ddb.on(GetCommand).resolves({ Item: voidedPayment('o-1', now) });
  const res = await get('o-1');
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ orderId: 'o-1', paymentId: paymentIdFor('o-1'), status: 'VOIDED', createdAt: now, updatedAt: now });
  expect(PaymentResponse.safeParse(res.body).success).toBe(true);
});

test('404: no payment for the order', async () => {
  ddb.on(GetCommand).resolves({});
  const res = await get('o-404');
  expect(res.status).toBe(404);
  expect(res.headers['Content-Type']).toBe('application/problem+json');
  expect(res.body).toMatchObject({ status: 404, detail: 'Order o-404 has no payment' });
});

test('400: an orderId longer than any order id, before any read', async () => {
  const res = await get('x'.repeat(65));
  expect(res.status).toBe(400);
  expect(res.body).toMatchObject({ status: 400, errors: [{ pointer: '/orderId', message: 'orderId must be at most 64 characters' }] });
  expect(ddb).not.toHaveReceivedAnyCommand();
});

test.each([['a control character', 'o\u0000'], ['unicode', 'ordé'], ['a space', 'o 1']])('400: an orderId with %s, before any read', async (_what, orderId) => {
  const res = await get(orderId);
  expect(res.status).toBe(400);
  expect(res.body).toMatchObject({ status: 400, errors: [{ pointer: '/orderId', message: 'orderId may contain only letters, digits and . _ : -' }] });
  expect(ddb).not.toHaveReceivedAnyCommand();
});

test('413: a body over the size limit, before any read', async () => {
  const res = await get('o-1', { body: 'x'.repeat(70 * 1024) });
  expect(res.status).toBe(413);
  expect(ddb).not.toHaveReceivedAnyCommand();
});

test('500: a DynamoDB failure is a generic problem, the cause stays in the log', async () => {
  ddb.on(GetCommand).rejects(new Error('arn:aws:dynamodb secret details'));
  const res = await get('o-1');
  expect(res.status).toBe(500);
  expect(res.headers['Content-Type']).toBe('application/problem+json');
  expect(JSON.stringify(res.body)).not.toMatch(/secret/);
});

describe('operators only', () => {
  test('a customer token: 403 insufficient_scope, no read', async () => {
    const res = await answer(handler(httpEvent('GET', '/payments/o-1', { pathParameters: { orderId: 'o-1' } }, CUSTOMER), context));
    expect(res.status).toBe(403);
    expect(res.headers['Content-Type']).toBe('application/problem+json');
    expect(res.headers['WWW-Authenticate']).toBe('Bearer realm="order-platform", error="insufficient_scope", scope="order-platform/admin"');
    expect(ddb).not.toHaveReceivedAnyCommand();
  });

  test('no token: 401, no read', async () => {
    const res = await answer(handler(httpEvent('GET', '/payments/o-1', { pathParameters: { orderId: 'o-1' } }, null), context));
    expect(res.status).toBe(401);
    expect(ddb).not.toHaveReceivedAnyCommand();
  });
});
