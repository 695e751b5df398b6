import '../support/env';
import 'aws-sdk-client-mock-jest';
import { mockClient } from 'aws-sdk-client-mock';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { handler } from '../../src/handlers/lookupSkus';
import { lambdaContext, throttled } from '../support/lambda';

const db = mockClient(DynamoDBDocumentClient);
const context = lambdaContext('inventory-test-lookupSkus');
const lookup = (event: unknown) => handler(event, context);
const STOCK = process.env.STOCK_TABLE_NAME!;

beforeEach(() => db.reset());

test('answers the SKUs the catalogue lacks, in request order, reading keys only', async () => {
  db.on(BatchGetCommand).resolves({ Responses: { [STOCK]: [{ sku: 'B' }] } });
  expect(await lookup({ skus: ['C', 'B', 'A'] })).toEqual({ unknown: ['C', 'A'] });
  expect(db).toHaveReceivedCommandWith(BatchGetCommand, {
    RequestItems: { [STOCK]: { Keys: [{ sku: 'C' }, { sku: 'B' }, { sku: 'A' }], ProjectionExpression: 'sku' } },
  });
});

test('a repeated SKU is asked and answered once (BatchGetItem refuses duplicate keys)', async () => {
  db.on(BatchGetCommand).resolves({ Responses: { [STOCK]: [] } });
  expect(await lookup({ skus: ['A', 'A'] })).toEqual({ unknown: ['A'] });
  expect(db.commandCalls(BatchGetCommand)[0]!.args[0].input.RequestItems![STOCK]!.Keys).toEqual([{ sku: 'A' }]);
});

test('unprocessed keys are asked again until answered', async () => {
  db.on(BatchGetCommand)
    .resolvesOnce({ Responses: { [STOCK]: [{ sku: 'A' }] }, UnprocessedKeys: { [STOCK]: { Keys: [{ sku: 'B' }], ProjectionExpression: 'sku' } } })
    .resolvesOnce({ Responses: { [STOCK]: [{ sku: 'B' }] } });
  expect(await lookup({ skus: ['A', 'B', 'C'] })).toEqual({ unknown: ['C'] });
  expect(db).toHaveReceivedCommandTimes(BatchGetCommand, 2);
});

test('a throttled table is a TransientError (the order API answers 503)', async () => {
  db.on(BatchGetCommand).rejects(throttled());
  await expect(lookup({ skus: ['A'] })).rejects.toMatchObject({ name: 'TransientError' });
});

test.each([
  ['no skus', {}],
  ['an empty list', { skus: [] }],
  ['more than one BatchGetItem', { skus: Array.from({ length: 101 }, (_, i) => `S${i}`) }],
  ['an extra field', { skus: ['A'], orderId: 'o-1' }],
])('input outside the contract (%s) is a defect of the caller: InvalidStepInput, nothing read', async (_name, event) => {
  await expect(lookup(event)).rejects.toMatchObject({ name: 'InvalidStepInput' });
  expect(db).not.toHaveReceivedCommand(BatchGetCommand);
});
