import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { createDocumentClient, isConditionFailure, putIfAbsent, refusedItem, whenConditionHolds } from '../src/aws/dynamodb';

const conditionFailed = (item?: Record<string, unknown>) =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {}, ...(item ? { Item: marshall(item) } : {}) });

test('the document client leaves undefined attributes out instead of refusing the item', () => {
  const doc = createDocumentClient(new DynamoDBClient({ region: 'eu-west-1' }));
  expect(doc.config.translateConfig?.marshallOptions?.removeUndefinedValues).toBe(true);
  expect(createDocumentClient().config.translateConfig?.marshallOptions?.removeUndefinedValues).toBe(true);
});

test.each([
  ['the SDK exception', conditionFailed(), true],
  ['another copy of the SDK (same name, other class)', Object.assign(new Error('refused'), { name: 'ConditionalCheckFailedException' }), true],
  ['a transaction cancellation', Object.assign(new Error('cancelled'), { name: 'TransactionCanceledException' }), false],
  ['throttling', Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' }), false],
  ['not an error', { name: 'ConditionalCheckFailedException' }, false],
])('a condition failure, by name: %s -> %s', (_name, error, expected) => {
  expect(isConditionFailure(error)).toBe(expected);
});

test('the refused item comes back unmarshalled; none when the write did not ask for it', () => {
  expect(refusedItem(conditionFailed({ orderId: 'o-1', status: 'CONFIRMED' }))).toEqual({ orderId: 'o-1', status: 'CONFIRMED' });
  expect(refusedItem(conditionFailed())).toBeUndefined();
});

describe('whenConditionHolds', () => {
  test('true when the write applied, false when its condition did not hold', async () => {
    await expect(whenConditionHolds(async () => ({}))).resolves.toBe(true);
    await expect(whenConditionHolds(() => Promise.reject(conditionFailed()))).resolves.toBe(false);
  });

  test('any other error is thrown as it is', async () => {
    const throttled = Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
    await expect(whenConditionHolds(() => Promise.reject(throttled))).rejects.toBe(throttled);
  });
});

describe('putIfAbsent', () => {
  const ddb = mockClient(DynamoDBDocumentClient);
  const doc = createDocumentClient();
  const item = { orderId: 'o-1', status: 'PENDING' };
  beforeEach(() => ddb.reset());

  test('stores the item only where its key is absent, asking for the stored one back on refusal', async () => {
    ddb.on(PutCommand).resolves({});
    await expect(putIfAbsent(doc, 'orders', 'orderId', item)).resolves.toEqual({ stored: true });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'orders',
      Item: item,
      ConditionExpression: 'attribute_not_exists(orderId)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
  });

  test('a refusal answers the stored item, or none where DynamoDB left it out', async () => {
    ddb.on(PutCommand).rejectsOnce(conditionFailed({ orderId: 'o-1', status: 'CONFIRMED' })).rejectsOnce(conditionFailed());
    await expect(putIfAbsent(doc, 'orders', 'orderId', item)).resolves.toEqual({ stored: false, existing: { orderId: 'o-1', status: 'CONFIRMED' } });
    await expect(putIfAbsent(doc, 'orders', 'orderId', item)).resolves.toEqual({ stored: false, existing: undefined });
  });

  test('any other error is thrown as it is', async () => {
    const throttled = Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' });
    ddb.on(PutCommand).rejects(throttled);
    await expect(putIfAbsent(doc, 'orders', 'orderId', item)).rejects.toBe(throttled);
  });
});
