import '../support/env';
import 'aws-sdk-client-mock-jest';
import { mockClient } from 'aws-sdk-client-mock';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ShipOrderOutput } from '@order-platform/shared';
import { handler } from '../../src/handlers/ship';
import { rejected } from '../support/caught';
import { lambdaContext, throttled, transactionCancelled } from '../support/lambda';

const db = mockClient(DynamoDBDocumentClient);
const addMetric = jest.spyOn(Metrics.prototype, 'addMetric');
const context = lambdaContext('inventory-test-ship');
const ship = (event: unknown = { orderId: 'o-1' }) => handler(event, context);
const base = {
  orderId: 'o-1',
  lines: [
    { sku: 'A', quantity: 2, unitPrice: 1000, currency: 'EUR' },
    { sku: 'B', quantity: 1, unitPrice: 500, currency: 'EUR' },
  ],
  total: { amount: 2500, currency: 'EUR' },
  createdAt: '2026-03-01T10:00:00.000Z',
  updatedAt: '2026-03-01T10:00:00.000Z',
};

beforeEach(() => {
  db.reset();
  addMetric.mockClear();
});

test('RESERVED: shipped with a deterministic shipment id; reserved -> shipped for every line', async () => {
  db.on(GetCommand).resolves({ Item: { ...base, status: 'RESERVED' } });
  db.on(TransactWriteCommand).resolves({});
  const output = await ship();
  expect(ShipOrderOutput.parse(output)).toEqual({ shipmentId: 'shp_o-1', shippedAt: expect.any(String) });
  const [reservation, ...stock] = db.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
  expect(reservation!.Update!.ExpressionAttributeValues).toMatchObject({
    ':from': 'RESERVED',
    ':to': 'SHIPPED',
    ':shipmentId': 'shp_o-1',
    ':shippedAt': output.shippedAt,
  });
  expect(stock.map((item) => [item.Update!.Key, item.Update!.ExpressionAttributeNames])).toEqual([
    [{ sku: 'A' }, { '#from': 'reserved', '#to': 'shipped' }],
    [{ sku: 'B' }, { '#from': 'reserved', '#to': 'shipped' }],
  ]);
  expect(addMetric).toHaveBeenCalledWith('OrdersShipped', 'Count', 1);
});

test('SHIPPED: answers the first shipment without writing', async () => {
  db.on(GetCommand).resolves({ Item: { ...base, status: 'SHIPPED', shipmentId: 'shp_o-1', shippedAt: '2026-03-01T10:01:00.000Z' } });
  expect(await ship()).toEqual({ shipmentId: 'shp_o-1', shippedAt: '2026-03-01T10:01:00.000Z' });
  expect(db).not.toHaveReceivedCommand(TransactWriteCommand);
  expect(addMetric).toHaveBeenCalledWith('ShipRepeated', 'Count', 1);
});

test.each([
  ['RELEASED (expired or compensated)', { Item: { ...base, status: 'RELEASED' } }, /was released/],
  ['absent', {}, /has no reservation/],
])('%s: ShippingFailed', async (_name, read, message) => {
  db.on(GetCommand).resolves(read);
  const error = await rejected(ship());
  expect(error.name).toBe('ShippingFailed');
  expect(error.message).toMatch(message);
  expect(db).not.toHaveReceivedCommand(TransactWriteCommand);
});

test('released by the sweeper between read and write: ShippingFailed after the re-read', async () => {
  db.on(GetCommand)
    .resolvesOnce({ Item: { ...base, status: 'RESERVED' } })
    .resolvesOnce({ Item: { ...base, status: 'RELEASED' } });
  db.on(TransactWriteCommand).rejects(transactionCancelled('ConditionalCheckFailed', 'None', 'None'));
  expect((await rejected(ship())).name).toBe('ShippingFailed');
});

test.each([
  ['a throttled read', () => db.on(GetCommand).rejects(throttled())],
  [
    'a throttled transaction',
    () => {
      db.on(GetCommand).resolves({ Item: { ...base, status: 'RESERVED' } });
      db.on(TransactWriteCommand).rejects(transactionCancelled('None', 'ThrottlingError', 'None'));
    },
  ],
])('%s is TransientError', async (_name, arrange) => {
  arrange();
  expect((await rejected(ship())).name).toBe('TransientError');
});

test('input without an orderId is InvalidStepInput', async () => {
  expect((await rejected(ship({ orderId: '' }))).name).toBe('InvalidStepInput');
});
