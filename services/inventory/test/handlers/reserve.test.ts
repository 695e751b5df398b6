import '../support/env';
import 'aws-sdk-client-mock-jest';
import { mockClient } from 'aws-sdk-client-mock';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ReserveInventoryOutput } from '@order-platform/shared';
import { handler } from '../../src/handlers/reserve';
import { rejected } from '../support/caught';
import { marshall } from '@aws-sdk/util-dynamodb';
import { lambdaContext, throttled, transactionCancelled } from '../support/lambda';

const db = mockClient(DynamoDBDocumentClient);
const addMetric = jest.spyOn(Metrics.prototype, 'addMetric');
const context = lambdaContext('inventory-test-reserve');
const input = {
  orderId: 'o-1',
  executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:order-test-saga:o-1',
  items: [
    { sku: 'A', quantity: 1 },
    { sku: 'B', quantity: 2 },
    { sku: 'A', quantity: 1 },
  ],
};
const catalogue = [
  { sku: 'A', price: 1000, currency: 'EUR' },
  { sku: 'B', price: 250, currency: 'EUR' },
];
const expected = {
  lines: [
    { sku: 'A', quantity: 2, unitPrice: 1000, currency: 'EUR' },
    { sku: 'B', quantity: 2, unitPrice: 250, currency: 'EUR' },
  ],
  total: { amount: 2500, currency: 'EUR' },
};
const stored = { orderId: 'o-1', status: 'RESERVED', ...expected, createdAt: '2026-03-01T10:00:00.000Z', updatedAt: '2026-03-01T10:00:00.000Z' };
const reserve = (event: unknown = input) => handler(event, context);
/** The catalogue read (the only read: a stored reservation comes back with the refused transaction). */
const loads = (stock = catalogue) => db.on(BatchGetCommand).resolves({ Responses: { 'inventory-test-stock': stock } });
/** The transaction refused because the reservation exists; ALL_OLD returns it. */
const refusedFor = (existing: Record<string, unknown>) => {
  const error = transactionCancelled('ConditionalCheckFailed', 'None', 'None');
  error.CancellationReasons![0]!.Item = marshall(existing);
  return error;
};

beforeEach(() => {
  db.reset();
  addMetric.mockClear();
});

test('reserves the merged lines in one transaction and returns the contract output', async () => {
  loads();
  db.on(TransactWriteCommand).resolves({});
  const output = await reserve();
  expect(output).toEqual(expected);
  expect(ReserveInventoryOutput.parse(output)).toEqual(expected);
  expect(db).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  const items = db.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
  expect(items).toHaveLength(3); // the reservation + one update per distinct SKU
  expect(items[0]!.Put!.Item).toMatchObject({ orderId: 'o-1', status: 'RESERVED', executionArn: input.executionArn, total: expected.total });
  expect(addMetric).toHaveBeenCalledWith('StockReserved', 'Count', 1);
});

test('a redelivered reserve answers the stored reservation that the refused transaction returns, with no other read', async () => {
  loads();
  db.on(TransactWriteCommand).rejects(refusedFor(stored));
  expect(await reserve()).toEqual(expected);
  expect(db).not.toHaveReceivedCommand(GetCommand);
  expect(addMetric).toHaveBeenCalledWith('ReserveRepeated', 'Count', 1);
});

test('a duplicate refused without the item (older emulators) reads the stored reservation', async () => {
  loads();
  db.on(TransactWriteCommand).rejects(transactionCancelled('ConditionalCheckFailed', 'None', 'None'));
  db.on(GetCommand).resolves({ Item: stored });
  expect(await reserve()).toEqual(expected);
});

test('OutOfStock names every SKU whose condition failed', async () => {
  loads();
  db.on(TransactWriteCommand).rejects(transactionCancelled('None', 'ConditionalCheckFailed', 'ConditionalCheckFailed'));
  const error = await rejected(reserve());
  expect(error.name).toBe('OutOfStock');
  expect(error.message).toBe('Not enough stock for A, B');
});

test('an unknown SKU is OutOfStock without a transaction', async () => {
  loads([catalogue[0]!]);
  const error = await rejected(reserve());
  expect(error.name).toBe('OutOfStock');
  expect(error.message).toBe('Not enough stock for B');
  expect(db).not.toHaveReceivedCommand(TransactWriteCommand);
});

test('mixed currencies are CurrencyMismatch', async () => {
  loads([catalogue[0]!, { sku: 'B', price: 250, currency: 'USD' }]);
  expect((await rejected(reserve())).name).toBe('CurrencyMismatch');
});

test('more than 99 distinct SKUs are OrderTooLarge, before any read', async () => {
  const items = Array.from({ length: 100 }, (_, i) => ({ sku: `S${i}`, quantity: 1 }));
  expect((await rejected(reserve({ orderId: 'o-1', items }))).name).toBe('OrderTooLarge');
  expect(db).not.toHaveReceivedAnyCommand();
});

test('a released reservation (compensated or swept) is ReservationReleased', async () => {
  loads();
  db.on(TransactWriteCommand).rejects(refusedFor({ orderId: 'o-1', status: 'RELEASED', lines: [], createdAt: stored.createdAt, updatedAt: stored.updatedAt }));
  expect((await rejected(reserve())).name).toBe('ReservationReleased');
});

test.each([
  ['a transaction conflict', () => db.on(TransactWriteCommand).rejects(transactionCancelled('None', 'TransactionConflict', 'None'))],
  ['a throttled transaction', () => db.on(TransactWriteCommand).rejects(throttled())],
  ['an SDK timeout', () => db.on(TransactWriteCommand).rejects(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }))],
])('%s is TransientError (the saga retries)', async (_name, arrange) => {
  loads();
  arrange();
  expect((await rejected(reserve())).name).toBe('TransientError');
});

test('a throttled catalogue read is TransientError', async () => {
  db.on(BatchGetCommand).rejects(throttled());
  expect((await rejected(reserve())).name).toBe('TransientError');
});

test.each([
  ['no items', { orderId: 'o-1', items: [] }],
  ['no orderId', { items: input.items }],
  ['a zero quantity', { orderId: 'o-1', items: [{ sku: 'A', quantity: 0 }] }],
])('input with %s is InvalidStepInput (a state machine bug, not retried)', async (_name, event) => {
  expect((await rejected(reserve(event))).name).toBe('InvalidStepInput');
  expect(db).not.toHaveReceivedAnyCommand();
});
