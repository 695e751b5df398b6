import { ConditionalCheckFailedException, DynamoDBClient, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DynamoPaymentRepository } from '../../src/adapters/dynamo-payment-repository';
import { expiresAtFor, FINISHED_RECORD_RETENTION_DAYS } from '@order-platform/shared/aws/dynamodb';
import { capturedPayment, declinedPayment, voidedPayment } from '../../src/domain/payment';

const ddb = mockClient(DynamoDBDocumentClient);
const repository = new DynamoPaymentRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'payments');
const now = '2025-01-02T03:04:05.000Z';
const payment = capturedPayment({ orderId: 'o-1', amount: { amount: 100, currency: 'EUR' }, customerId: 'c', email: 'a@example.com' }, 'ch_1', now);
const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

beforeEach(() => ddb.reset());

test('get reads strongly consistent by orderId', async () => {
  ddb.on(GetCommand).resolves({ Item: payment });
  await expect(repository.get('o-1')).resolves.toEqual(payment);
  expect(ddb).toHaveReceivedCommandWith(GetCommand, { TableName: 'payments', Key: { orderId: 'o-1' }, ConsistentRead: true });
});

test('peek reads eventually consistent (half the read cost)', async () => {
  ddb.on(GetCommand).resolves({ Item: payment });
  await expect(repository.peek('o-1')).resolves.toEqual(payment);
  expect(ddb).toHaveReceivedCommandWith(GetCommand, { TableName: 'payments', Key: { orderId: 'o-1' }, ConsistentRead: false });
});

test('get of an unknown order is undefined', async () => {
  ddb.on(GetCommand).resolves({});
  await expect(repository.get('o-2')).resolves.toBeUndefined();
});

test('create writes only when the order has no payment yet', async () => {
  ddb.on(PutCommand).resolves({});
  await expect(repository.create(payment)).resolves.toBe(true);
  expect(ddb).toHaveReceivedCommandWith(PutCommand, { TableName: 'payments', Item: payment, ConditionExpression: 'attribute_not_exists(orderId)' });
});

test('a payment that moved no money (VOIDED, DECLINED) expires FINISHED_RECORD_RETENTION_DAYS after it was written; a CAPTURED one never', async () => {
  ddb.on(PutCommand).resolves({});
  await repository.create(voidedPayment('o-1', now));
  expect(ddb).toHaveReceivedCommandWith(PutCommand, { Item: { ...voidedPayment('o-1', now), expiresAt: Date.parse(now) / 1000 + FINISHED_RECORD_RETENTION_DAYS * 86_400 } });
  const declined = declinedPayment({ orderId: 'o-2', amount: { amount: 100, currency: 'EUR' }, customerId: 'c', email: 'a@example.com' }, 'card_declined', now);
  await repository.create(declined);
  expect(ddb).toHaveReceivedCommandWith(PutCommand, { Item: { ...declined, expiresAt: expiresAtFor(now) } });
  expect(ddb.commandCalls(PutCommand)[0]!.args[0].input.Item).toHaveProperty('expiresAt');
  await repository.create(payment);
  expect(ddb.commandCalls(PutCommand)[2]!.args[0].input.Item).not.toHaveProperty('expiresAt');
});

test('get leaves the TTL attribute in the table', async () => {
  ddb.on(GetCommand).resolves({ Item: { ...voidedPayment('o-1', now), expiresAt: 1 } });
  await expect(repository.get('o-1')).resolves.toEqual(voidedPayment('o-1', now));
});

test('create answers false when the condition fails', async () => {
  ddb.on(PutCommand).rejects(conditionFailed());
  await expect(repository.create(voidedPayment('o-1', now))).resolves.toBe(false);
});

test('any other write failure propagates (the step handler decides whether it is transient)', async () => {
  ddb.on(PutCommand).rejects(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));
  await expect(repository.create(payment)).rejects.toThrow('slow down');
});

test('markRefunded moves CAPTURED to REFUNDED only', async () => {
  ddb.on(UpdateCommand).resolves({});
  await expect(repository.markRefunded('o-1', 're_1', now)).resolves.toBe(true);
  expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
    TableName: 'payments',
    Key: { orderId: 'o-1' },
    ConditionExpression: '#status = :captured',
    ExpressionAttributeValues: { ':refunded': 'REFUNDED', ':captured': 'CAPTURED', ':refundId': 're_1', ':now': now },
  });
});

test('markRefunded answers false when the payment is no longer CAPTURED', async () => {
  ddb.on(UpdateCommand).rejects(conditionFailed());
  await expect(repository.markRefunded('o-1', 're_1', now)).resolves.toBe(false);
});
