import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../../services/inventory/test/integration/dynamodb-local';
import { runMigrateStock } from '../../src/migrate-stock';

/* The migration's update expression and condition against DynamoDB Local's real semantics. */

jest.setTimeout(60_000);

const stage = 'mig';
const table = `inventory-${stage}-stock`;
let local: DynamoDbLocal;
let db: DynamoDBDocumentClient;

beforeAll(async () => {
  local = await startDynamoDbLocal(stage);
  db = DynamoDBDocumentClient.from(local.client);
});
afterAll(async () => local?.stop());

const run = (...argv: string[]) => runMigrateStock([...argv, '--stage', stage], { stdout: () => undefined, stderr: () => undefined, env: {}, db });
const read = async (sku: string) => (await db.send(new GetCommand({ TableName: table, Key: { sku }, ConsistentRead: true }))).Item;

test('legacy counters become held; an item already migrated, or half-migrated by the new code, comes out right; a second run finds nothing', async () => {
  await db.send(new PutCommand({ TableName: table, Item: { sku: 'OLD', price: 100, currency: 'EUR', available: 3, reserved: 2, shipped: 5, stockedAvailable: 10, stockedHeld: 0 } }));
  await db.send(new PutCommand({ TableName: table, Item: { sku: 'MIXED', price: 100, currency: 'EUR', available: 3, reserved: 1, shipped: 4, held: 2 } }));
  await db.send(new PutCommand({ TableName: table, Item: { sku: 'NEW', price: 100, currency: 'EUR', available: 3, held: 6 } }));

  expect(await run('--dry-run')).toBe(0);
  expect(await read('OLD')).toMatchObject({ reserved: 2, shipped: 5 });

  expect(await run()).toBe(0);
  const old = await read('OLD');
  expect(old).toMatchObject({ available: 3, held: 7, stockedAvailable: 10, stockedHeld: 0 });
  expect(old).not.toHaveProperty('reserved');
  expect(old).not.toHaveProperty('shipped');
  expect(await read('MIXED')).toEqual({ sku: 'MIXED', price: 100, currency: 'EUR', available: 3, held: 7 });
  expect(await read('NEW')).toEqual({ sku: 'NEW', price: 100, currency: 'EUR', available: 3, held: 6 });

  expect(await run()).toBe(0);
  expect((await read('OLD'))!.held).toBe(7);
});
