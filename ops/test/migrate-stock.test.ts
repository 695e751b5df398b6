import 'aws-sdk-client-mock-jest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { planStockMigration, runMigrateStock } from '../src/migrate-stock';

const ddb = mockClient(DynamoDBDocumentClient);
const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runMigrateStock([...argv, '--stage', 'dev'], { stdout: (l) => out.push(l), stderr: (l) => err.push(l), env: {}, db });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

beforeEach(() => ddb.reset());

describe('planStockMigration', () => {
  test('folds reserved and shipped into held, adding to a held the new code already wrote', () => {
    expect(planStockMigration({ sku: 'A', available: 5, reserved: 2, shipped: 7 })).toEqual({ sku: 'A', reserved: 2, shipped: 7, held: 9 });
    expect(planStockMigration({ sku: 'A', available: 5, reserved: 1, shipped: 0, held: 3 })).toEqual({ sku: 'A', reserved: 1, shipped: 0, held: 4 });
    expect(planStockMigration({ sku: 'A', shipped: 4 })).toEqual({ sku: 'A', reserved: 0, shipped: 4, held: 4 });
  });

  test('an item already on held needs nothing', () => {
    expect(planStockMigration({ sku: 'A', available: 5, held: 3 })).toBeUndefined();
  });
});

test('scans the stage\'s stock table for legacy items, page by page, and moves each with a conditional update', async () => {
  ddb
    .on(ScanCommand)
    .resolvesOnce({ Items: [{ sku: 'A', available: 1, reserved: 2, shipped: 3 }], LastEvaluatedKey: { sku: 'A' } })
    .resolvesOnce({ Items: [{ sku: 'B', available: 0, reserved: 0, shipped: 4 }] });
  ddb.on(UpdateCommand).resolves({});
  const { code, out } = await run();
  expect(code).toBe(0);
  expect(ddb).toHaveReceivedCommandWith(ScanCommand, {
    TableName: 'inventory-dev-stock',
    FilterExpression: 'attribute_exists(reserved) OR attribute_exists(shipped)',
    ExclusiveStartKey: { sku: 'A' },
  });
  expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
    TableName: 'inventory-dev-stock',
    Key: { sku: 'A' },
    UpdateExpression: 'SET held = if_not_exists(held, :zero) + :legacy REMOVE reserved, shipped',
    ExpressionAttributeValues: { ':zero': 0, ':legacy': 5, ':reserved': 2, ':shipped': 3 },
  });
  expect(out).toMatch(/moved A: reserved 2 \+ shipped 3 -> held 5/);
  expect(out).toMatch(/2 SKU\(s\) migrated$/);
});

test('--dry-run lists and writes nothing', async () => {
  ddb.on(ScanCommand).resolves({ Items: [{ sku: 'A', reserved: 2, shipped: 3 }] });
  const { code, out } = await run('--dry-run');
  expect(code).toBe(0);
  expect(out).toMatch(/would move A: reserved 2 \+ shipped 3 -> held 5/);
  expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
});

test('an item that changed while read is skipped and the exit code asks for another run', async () => {
  ddb.on(ScanCommand).resolves({ Items: [{ sku: 'A', reserved: 2, shipped: 3 }] });
  ddb.on(UpdateCommand).rejects(Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' }));
  const { code, out } = await run();
  expect(code).toBe(1);
  expect(out).toMatch(/skipped A: it changed while being read/);
});

test('a bad stage is refused before any request', async () => {
  const err: string[] = [];
  const code = await runMigrateStock(['--stage', 'Prod!'], { stdout: () => undefined, stderr: (l) => err.push(l), env: {}, db });
  expect(code).toBe(1);
  expect(err.join('\n')).toMatch(/--stage must be a stage name/);
  expect(ddb).not.toHaveReceivedAnyCommand();
});
