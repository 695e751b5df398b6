import '../support/env';
import 'aws-sdk-client-mock-jest';
import { mockClient } from 'aws-sdk-client-mock';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { handler } from '../../src/handlers/release';
import { rejected } from '../support/caught';
import { lambdaContext, throttled, transactionCancelled } from '../support/lambda';

const db = mockClient(DynamoDBDocumentClient);
const addMetric = jest.spyOn(Metrics.prototype, 'addMetric');
const context = lambdaContext('inventory-test-release');
const release = (event: unknown = { orderId: 'o-1' }) => handler(event, context);
const base = {
  orderId: 'o-1',
  lines: [{ sku: 'A', quantity: 2, unitPrice: 1000, currency: 'EUR' }],
  total: { amount: 2000, currency: 'EUR' },
  createdAt: '2026-03-01T10:00:00.000Z',
  updatedAt: '2026-03-01T10:00:00.000Z',
};

beforeEach(() => {
  db.reset();
  addMetric.mockClear();
});

test('RESERVED: released in one transaction conditional on the status; stock held -> available', async () => {
  db.on(GetCommand).resolves({ Item: { ...base, status: 'RESERVED' } });
  db.on(TransactWriteCommand).resolves({});
  expect(await release()).toEqual({ status: 'RELEASED' });
  const [reservation, stock] = db.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
  expect(reservation!.Update).toMatchObject({ ConditionExpression: '#status = :from', ExpressionAttributeValues: expect.objectContaining({ ':from': 'RESERVED', ':to': 'RELEASED' }) });
  expect(stock!.Update).toMatchObject({ Key: { sku: 'A' }, ExpressionAttributeNames: { '#from': 'held', '#to': 'available' }, ExpressionAttributeValues: expect.objectContaining({ ':q': 2 }) });
  expect(addMetric).toHaveBeenCalledWith('StockReleased', 'Count', 1);
});

test('SHIPPED: the shipment is restocked (held -> available, as a reserved one)', async () => {
  db.on(GetCommand).resolves({ Item: { ...base, status: 'SHIPPED', shipmentId: 'shp_o-1', shippedAt: base.createdAt } });
  db.on(TransactWriteCommand).resolves({});
  expect(await release()).toEqual({ status: 'RELEASED' });
  const stock = db.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems![1]!;
  expect(stock.Update!.ExpressionAttributeNames).toEqual({ '#from': 'held', '#to': 'available' });
});

test('RELEASED: ALREADY_RELEASED without writing', async () => {
  db.on(GetCommand).resolves({ Item: { ...base, status: 'RELEASED' } });
  expect(await release()).toEqual({ status: 'ALREADY_RELEASED' });
  expect(db).not.toHaveReceivedCommand(TransactWriteCommand);
  expect(addMetric).toHaveBeenCalledWith('ReleaseRepeated', 'Count', 1);
});

test('absent: a RELEASED tombstone put only if still absent; NOTHING_RESERVED', async () => {
  db.on(GetCommand).resolves({});
  db.on(PutCommand).resolves({});
  expect(await release()).toEqual({ status: 'NOTHING_RESERVED' });
  expect(db).toHaveReceivedCommandWith(PutCommand, {
    TableName: 'inventory-test-reservations',
    Item: expect.objectContaining({ orderId: 'o-1', status: 'RELEASED', lines: [] }),
    ConditionExpression: 'attribute_not_exists(orderId)',
  });
  expect(addMetric).toHaveBeenCalledWith('ReleaseFoundNothing', 'Count', 1);
});

test('a ship that lands between read and write is seen on the re-read and restocked', async () => {
  db.on(GetCommand)
    .resolvesOnce({ Item: { ...base, status: 'RESERVED' } })
    .resolvesOnce({ Item: { ...base, status: 'SHIPPED', shipmentId: 'shp_o-1', shippedAt: base.createdAt } });
  db.on(TransactWriteCommand).rejectsOnce(transactionCancelled('ConditionalCheckFailed', 'None')).resolves({});
  expect(await release()).toEqual({ status: 'RELEASED' });
  expect(db).toHaveReceivedCommandTimes(TransactWriteCommand, 2);
  const second = db.commandCalls(TransactWriteCommand)[1]!.args[0].input.TransactItems!;
  expect(second[0]!.Update!.ExpressionAttributeValues).toMatchObject({ ':from': 'SHIPPED' });
});

test('counters below the reservation: InventoryInconsistent (fails loudly for an operator)', async () => {
  db.on(GetCommand).resolves({ Item: { ...base, status: 'RESERVED' } });
  db.on(TransactWriteCommand).rejects(transactionCancelled('None', 'ConditionalCheckFailed'));
  expect((await rejected(release())).name).toBe('InventoryInconsistent');
});

test.each([
  ['a throttled read', () => db.on(GetCommand).rejects(throttled())],
  [
    'a transaction conflict',
    () => {
      db.on(GetCommand).resolves({ Item: { ...base, status: 'RESERVED' } });
      db.on(TransactWriteCommand).rejects(transactionCancelled('TransactionConflict', 'None'));
    },
  ],
])('%s is TransientError', async (_name, arrange) => {
  arrange();
  expect((await rejected(release())).name).toBe('TransientError');
});

test('input without an orderId is InvalidStepInput', async () => {
  expect((await rejected(release({}))).name).toBe('InvalidStepInput');
});
