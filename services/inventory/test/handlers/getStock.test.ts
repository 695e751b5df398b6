import '../support/env';
import 'aws-sdk-client-mock-jest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { handler } from '../../src/handlers/getStock';
import { StockView } from '../../src/schemas';
import { answer, CUSTOMER, httpEvent, lambdaContext, throttled } from '../support/lambda';

const db = mockClient(DynamoDBDocumentClient);
const context = lambdaContext('inventory-test-getStock');
const get = async (sku: string | undefined) => answer(await handler(httpEvent('GET', sku), context));
const item = { sku: 'A', price: 1999, currency: 'EUR', available: 5, held: 3, updatedAt: '2026-03-01T10:00:00.000Z' };

beforeEach(() => db.reset());

test('200 with price and the two counters', async () => {
  db.on(GetCommand).resolves({ Item: item });
  const res = await get('A');
  expect(res).toMatchObject({ status: 200, body: item });
  expect(StockView.parse(res.body)).toEqual(item); // the documented response schema
  expect(res.headers['Content-Type']).toBe('application/json');
  expect(db).toHaveReceivedCommandWith(GetCommand, { TableName: 'inventory-test-stock', Key: { sku: 'A' } });
});

test('404 problem for an unknown SKU', async () => {
  db.on(GetCommand).resolves({});
  const res = await get('NOPE');
  expect(res.status).toBe(404);
  expect(res.headers['Content-Type']).toBe('application/problem+json');
  expect(res.body).toMatchObject({ title: 'Not Found', detail: 'SKU NOPE is not in the catalogue' });
});

test('400 for a SKU outside the pattern (or none), without reading', async () => {
  expect((await get('bad sku!')).status).toBe(400);
  const missing = await get(undefined);
  expect(missing.status).toBe(400);
  expect(missing.body.detail).toContain('/sku: sku is required');
  expect(db).not.toHaveReceivedAnyCommand();
});

test('503 when DynamoDB throttles', async () => {
  db.on(GetCommand).rejects(throttled('ThrottlingException'));
  expect((await get('A')).status).toBe(503);
});

test('any signed-in caller may read the catalogue; without a token: 401 and no read', async () => {
  db.on(GetCommand).resolves({ Item: { sku: 'A', price: 1, currency: 'EUR', available: 1, held: 0, updatedAt: '2026-01-01T00:00:00.000Z' } });
  expect(answer(await handler(httpEvent('GET', 'A', { claims: CUSTOMER }), context)).status).toBe(200);
  db.reset();
  expect(answer(await handler(httpEvent('GET', 'A', { claims: null }), context)).status).toBe(401);
  expect(db).not.toHaveReceivedAnyCommand();
});
