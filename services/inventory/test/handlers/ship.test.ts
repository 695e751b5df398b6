import '../support/env';
import 'aws-sdk-client-mock-jest';
import { mockClient } from 'aws-sdk-client-mock';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { marshall } from '@aws-sdk/util-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ShipOrderOutput } from '@order-platform/shared';
import { handler } from '../../src/handlers/ship';
import { rejected } from '../support/caught';
import { lambdaContext, throttled } from '../support/lambda';

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

/** The refusal of a conditional write that asked for ALL_OLD: the stored item, if there is one. */
const refused = (item?: Record<string, unknown>) =>
  Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException', ...(item ? { Item: marshall(item) } : {}) });

test('RESERVED: shipped with a deterministic shipment id, in one conditional UpdateItem (no read, no stock move)', async () => {
  db.on(UpdateCommand).resolves({});
  const output = await ship();
  expect(ShipOrderOutput.parse(output)).toEqual({ shipmentId: 'shp_o-1', shippedAt: expect.any(String) });
  expect(db).toHaveReceivedCommandTimes(UpdateCommand, 1);
  expect(db.commandCalls(UpdateCommand)[0]!.args[0].input).toMatchObject({
    Key: { orderId: 'o-1' },
    ConditionExpression: '#status = :from',
    ExpressionAttributeValues: { ':from': 'RESERVED', ':to': 'SHIPPED', ':shipmentId': 'shp_o-1', ':shippedAt': output.shippedAt },
  });
  expect(db).not.toHaveReceivedCommand(GetCommand);
  expect(db).not.toHaveReceivedCommand(TransactWriteCommand);
  expect(addMetric).toHaveBeenCalledWith('OrdersShipped', 'Count', 1);
});

test('SHIPPED: the refused write returns it, and the first shipment is answered', async () => {
  db.on(UpdateCommand).rejects(refused({ ...base, status: 'SHIPPED', shipmentId: 'shp_o-1', shippedAt: '2026-03-01T10:01:00.000Z' }));
  expect(await ship()).toEqual({ shipmentId: 'shp_o-1', shippedAt: '2026-03-01T10:01:00.000Z' });
  expect(db).toHaveReceivedCommandTimes(UpdateCommand, 1);
  expect(addMetric).toHaveBeenCalledWith('ShipRepeated', 'Count', 1);
});

test('RELEASED (expired or compensated, returned by the refused write): ShippingFailed', async () => {
  db.on(UpdateCommand).rejects(refused({ ...base, status: 'RELEASED' }));
  const error = await rejected(ship());
  expect(error.name).toBe('ShippingFailed');
  expect(error.message).toMatch(/was released/);
});

test('absent (the refusal carries no item; a consistent read confirms): ShippingFailed', async () => {
  db.on(UpdateCommand).rejects(refused());
  db.on(GetCommand).resolves({});
  const error = await rejected(ship());
  expect(error.name).toBe('ShippingFailed');
  expect(error.message).toMatch(/has no reservation/);
});

test.each([
  ['a throttled write', () => db.on(UpdateCommand).rejects(throttled())],
  [
    'a refusal whose reservation cannot be read',
    () => {
      db.on(UpdateCommand).rejects(refused());
      db.on(GetCommand).rejects(throttled());
    },
  ],
])('%s is TransientError', async (_name, arrange) => {
  arrange();
  expect((await rejected(ship())).name).toBe('TransientError');
});

test('input without an orderId is InvalidStepInput', async () => {
  expect((await rejected(ship({ orderId: '' }))).name).toBe('InvalidStepInput');
});
