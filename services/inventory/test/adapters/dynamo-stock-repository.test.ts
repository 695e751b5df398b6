import 'aws-sdk-client-mock-jest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '@order-platform/shared/aws/dynamodb';
import { DynamoStockRepository } from '../../src/adapters/dynamo-stock-repository';

const db = mockClient(DynamoDBDocumentClient);
const table = new DynamoStockRepository(createDocumentClient(), 'inventory-test-stock');
const at = '2026-03-01T10:00:00.000Z';
const setting = { price: 1999, currency: 'EUR', available: 5 };

beforeEach(() => db.reset());

test('put sets price and shelf stock in one update that keeps what orders hold', async () => {
  db.on(UpdateCommand).resolves({});
  expect(await table.put('A', setting, at)).toEqual({
    created: true,
    item: { sku: 'A', ...setting, held: 0, updatedAt: at },
  });
  expect(db).toHaveReceivedCommandWith(UpdateCommand, {
    TableName: 'inventory-test-stock',
    Key: { sku: 'A' },
    UpdateExpression:
      'SET price = :price, currency = :currency, available = :available, updatedAt = :at, ' +
      'held = if_not_exists(held, :zero), stockedAvailable = :available, stockedHeld = if_not_exists(held, :zero)',
    ExpressionAttributeValues: { ':price': 1999, ':currency': 'EUR', ':available': 5, ':at': at, ':zero': 0 },
    ReturnValues: 'ALL_OLD',
  });
});

test('put over an existing SKU is an update and reports the counters it kept', async () => {
  db.on(UpdateCommand).resolves({
    Attributes: { sku: 'A', price: 100, currency: 'EUR', available: 1, held: 7, updatedAt: '2026-01-01T00:00:00.000Z' },
  });
  expect(await table.put('A', setting, at)).toEqual({
    created: false,
    item: { sku: 'A', ...setting, held: 7, updatedAt: at },
  });
});

test('get reads the item; an absent SKU is undefined', async () => {
  const item = { sku: 'A', ...setting, held: 2, updatedAt: at };
  db.on(GetCommand).resolvesOnce({ Item: item }).resolvesOnce({});
  expect(await table.get('A')).toEqual(item);
  expect(await table.get('B')).toBeUndefined();
  expect(db).toHaveReceivedCommandWith(GetCommand, { TableName: 'inventory-test-stock', Key: { sku: 'A' } });
});
