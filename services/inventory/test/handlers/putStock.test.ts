import '../support/env';
import 'aws-sdk-client-mock-jest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { handler } from '../../src/handlers/putStock';
import { StockView } from '../../src/schemas';
import { answer, CUSTOMER, httpEvent, lambdaContext, throttled } from '../support/lambda';

const db = mockClient(DynamoDBDocumentClient);
const context = lambdaContext('inventory-test-putStock');
const put = async (sku: string | undefined, body?: string, headers?: Record<string, string>) =>
  answer(await handler(httpEvent('PUT', sku, { ...(body !== undefined ? { body } : {}), ...(headers ? { headers } : {}) }), context));
const valid = JSON.stringify({ price: 1999, currency: 'EUR', available: 25 });

beforeEach(() => db.reset());

test('201 with Location for a new SKU; nothing is held yet', async () => {
  db.on(UpdateCommand).resolves({});
  const res = await put('TSHIRT-RED-M', valid);
  expect(res.status).toBe(201);
  expect(res.headers).toMatchObject({ 'Content-Type': 'application/json', Location: '/inventory/TSHIRT-RED-M' });
  expect(res.body).toEqual({
    sku: 'TSHIRT-RED-M',
    price: 1999,
    currency: 'EUR',
    available: 25,
    held: 0,
    updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
  });
  expect(StockView.parse(res.body)).toEqual(res.body); // the documented response schema
  expect(db).toHaveReceivedCommandWith(UpdateCommand, {
    TableName: 'inventory-test-stock',
    Key: { sku: 'TSHIRT-RED-M' },
    ExpressionAttributeValues: expect.objectContaining({ ':price': 1999, ':currency': 'EUR', ':available': 25 }),
  });
});

test('200 for an existing SKU, keeping what the saga holds', async () => {
  db.on(UpdateCommand).resolves({
    Attributes: { sku: 'A', price: 1, currency: 'EUR', available: 1, held: 5, updatedAt: '2026-01-01T00:00:00.000Z' },
  });
  const res = await put('A', valid);
  expect(res.status).toBe(200);
  expect(res.headers.Location).toBeUndefined();
  expect(res.body).toMatchObject({ price: 1999, available: 25, held: 5 });
});

test.each([
  ['a price in major units', { price: 19.99, currency: 'EUR', available: 1 }, '/price: price must be a whole number of minor units'],
  ['a negative price', { price: -1, currency: 'EUR', available: 1 }, '/price: price must be >= 0'],
  ['a price as a string', { price: '1999', currency: 'EUR', available: 1 }, '/price: price must be a number'],
  ['a lower-case currency', { price: 1, currency: 'eur', available: 1 }, '/currency: currency must be an ISO 4217 code such as "EUR"'],
  ['too much stock', { price: 1, currency: 'EUR', available: 1_000_001 }, '/available: available must be <= 1000000'],
  ['negative stock', { price: 1, currency: 'EUR', available: -1 }, '/available: available must be >= 0'],
  ['a missing field', { price: 1, currency: 'EUR' }, '/available: available is required'],
  ['an extra field (held belongs to the saga)', { price: 1, currency: 'EUR', available: 1, held: 5 }, 'unknown field(s) "held": only price, currency and available can be set'],
  ['an array', [1, 2], 'expected object'],
])('422 for %s, nothing written', async (_name, body, detail) => {
  const res = await put('A', JSON.stringify(body));
  expect(res.status).toBe(422);
  expect(res.headers['Content-Type']).toBe('application/problem+json');
  expect(res.body.detail).toContain(detail);
  expect(db).not.toHaveReceivedAnyCommand();
});

test.each([
  ['a SKU with a slash-free but invalid character', 'A B'],
  ['a SKU starting with a dot', '.hidden'],
  ['a SKU longer than 64 characters', 'x'.repeat(65)],
])('400 for %s, nothing written', async (_name, sku) => {
  const res = await put(sku, valid);
  expect(res.status).toBe(400);
  expect(res.body.detail).toMatch(/^Invalid path: \/sku: sku must be 1-64 characters/);
  expect(db).not.toHaveReceivedAnyCommand();
});

test('400 for malformed JSON and for a missing body', async () => {
  expect((await put('A', '{"price":')).status).toBe(400);
  expect((await put('A', undefined, { 'content-type': 'application/json' })).body.detail).toBe('Request body is required');
  expect(db).not.toHaveReceivedAnyCommand();
});

test('415 for another media type, 413 for an oversized body', async () => {
  expect((await put('A', valid, { 'content-type': 'text/plain' })).status).toBe(415);
  expect((await put('A', JSON.stringify({ price: 1, currency: 'EUR', available: 1, pad: 'x'.repeat(70_000) }))).status).toBe(413);
  expect(db).not.toHaveReceivedAnyCommand();
});

test('503 with Retry-After when DynamoDB throttles', async () => {
  db.on(UpdateCommand).rejects(throttled());
  const res = await put('A', valid);
  expect(res.status).toBe(503);
  // The platform's one Retry-After (shared/src/http/unavailable.ts).
  expect(res.headers['Retry-After']).toBe('2');
  expect(res.body.detail).toBe('The inventory is temporarily unavailable; retry later');
});

test('500 without internals for anything unexpected', async () => {
  db.on(UpdateCommand).rejects(Object.assign(new Error('Requested resource not found: table secret-name'), { name: 'ResourceNotFoundException' }));
  const res = await put('A', valid);
  expect(res.status).toBe(500);
  expect(JSON.stringify(res.body)).not.toContain('secret-name');
});

describe('operators only', () => {
  test.each([
    ['a customer token: 403 insufficient_scope', CUSTOMER, 403, /insufficient_scope/],
    ['no token: 401', null, 401, /^Bearer realm="order-platform"$/],
  ] as const)('%s, before the body is read, nothing written', async (_name, claims, status, challenge) => {
    const res = answer(await handler(httpEvent('PUT', 'A', { body: '{"price":', claims }), context));
    expect(res.status).toBe(status);
    expect(res.headers['Content-Type']).toBe('application/problem+json');
    expect(String(res.headers['WWW-Authenticate'])).toMatch(challenge);
    expect(db).not.toHaveReceivedAnyCommand();
  });
});
