import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { expiresAtFor, FINISHED_RECORD_RETENTION_DAYS } from '@order-platform/shared/aws/dynamodb';
import { DynamoNotificationRepository } from '../../src/adapters/dynamo-notification-repository';
import type { NotificationRecord } from '../../src/domain/notification';

const ddb = mockClient(DynamoDBDocumentClient);
const TABLE = 'notification-test-notifications';
const repository = new DynamoNotificationRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), TABLE);

const key = { orderId: 'ord-1', notificationId: 'OrderConfirmed:ord-1' };
const record: NotificationRecord = {
  notificationId: 'OrderConfirmed:ord-1',
  orderId: 'ord-1',
  eventType: 'OrderConfirmed',
  channel: 'ses',
  to: 'ada@example.com',
  subject: 'Your order ord-1 is confirmed',
  text: 'Good news',
  status: 'SENDING',
  createdAt: '2025-03-01T10:00:00.000Z',
  claimedAt: '2025-03-01T10:00:00.000Z',
  attempts: 1,
};

function conditionFailed(item?: NotificationRecord) {
  return new ConditionalCheckFailedException({
    message: 'The conditional request failed',
    $metadata: { httpStatusCode: 400 },
    ...(item ? { Item: marshall(item) } : {}),
  });
}

beforeEach(() => ddb.reset());

describe('claim', () => {
  test('puts the record only if none exists, asking for the existing one on failure', async () => {
    ddb.on(PutCommand).resolves({});
    await expect(repository.claim(record)).resolves.toEqual({ claimed: true });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: TABLE,
      // Every record is on the TTL clock from its claim on.
      Item: { ...record, expiresAt: Date.parse(record.claimedAt) / 1000 + FINISHED_RECORD_RETENTION_DAYS * 86_400 },
      ConditionExpression: 'attribute_not_exists(notificationId)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
  });

  test('returns the existing record when the event was already claimed', async () => {
    const existing = { ...record, status: 'SENT' as const, sentAt: '2025-03-01T10:00:01.000Z' };
    ddb.on(PutCommand).rejects(conditionFailed({ ...existing, expiresAt: 1 } as NotificationRecord));
    // The TTL attribute stays in the table.
    await expect(repository.claim(record)).resolves.toEqual({ claimed: false, existing });
  });

  test('a condition failure without the existing item is a bug, not a duplicate', async () => {
    ddb.on(PutCommand).rejects(conditionFailed());
    await expect(repository.claim(record)).rejects.toThrow(/returned no item/);
  });

  test('other errors propagate', async () => {
    ddb.on(PutCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' }));
    await expect(repository.claim(record)).rejects.toThrow('Rate exceeded');
  });
});

describe('takeOver', () => {
  test('moves a SENDING claim still at the time read to the new owner', async () => {
    ddb.on(UpdateCommand).resolves({});
    await expect(repository.takeOver(key, record.claimedAt, '2025-03-01T10:01:00.000Z', 'record')).resolves.toBe(true);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: TABLE,
      Key: key,
      UpdateExpression: 'SET claimedAt = :newClaimedAt, channel = :channel, attempts = attempts + :one',
      ConditionExpression: '#status = :sending AND claimedAt = :claimedAt',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':sending': 'SENDING',
        ':claimedAt': record.claimedAt,
        ':newClaimedAt': '2025-03-01T10:01:00.000Z',
        ':channel': 'record',
        ':one': 1,
      },
    });
  });

  test('is false when another consumer changed the claim first', async () => {
    ddb.on(UpdateCommand).rejects(conditionFailed());
    await expect(repository.takeOver(key, record.claimedAt, '2025-03-01T10:01:00.000Z', 'ses')).resolves.toBe(false);
  });
});

describe('markSent', () => {
  const message = { to: record.to, subject: record.subject, text: record.text };

  test('marks the owner’s claim SENT with the message and the provider id', async () => {
    ddb.on(UpdateCommand).resolves({});
    await expect(
      repository.markSent(key, record.claimedAt, { sentAt: '2025-03-01T10:00:01.000Z', message, providerMessageId: 'ses-1' }),
    ).resolves.toBe(true);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      Key: key,
      UpdateExpression: 'SET #status = :sent, sentAt = :sentAt, #to = :to, subject = :subject, #text = :text, expiresAt = :expiresAt, providerMessageId = :providerMessageId',
      ConditionExpression: '#status = :sending AND claimedAt = :claimedAt',
      ExpressionAttributeNames: { '#status': 'status', '#to': 'to', '#text': 'text' },
      ExpressionAttributeValues: {
        ':sending': 'SENDING',
        ':sent': 'SENT',
        ':claimedAt': record.claimedAt,
        ':sentAt': '2025-03-01T10:00:01.000Z',
        ':to': message.to,
        ':subject': message.subject,
        ':text': message.text,
        ':expiresAt': expiresAtFor('2025-03-01T10:00:01.000Z'),
        ':providerMessageId': 'ses-1',
      },
    });
  });

  test('sets no provider id when the channel has none', async () => {
    ddb.on(UpdateCommand).resolves({});
    await repository.markSent(key, record.claimedAt, { sentAt: '2025-03-01T10:00:01.000Z', message });
    const input = ddb.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(input.UpdateExpression).not.toContain('providerMessageId');
    expect(input.ExpressionAttributeValues).not.toHaveProperty(':providerMessageId');
  });

  test('is false when the claim was taken over meanwhile; other errors propagate', async () => {
    ddb.on(UpdateCommand).rejectsOnce(conditionFailed()).rejectsOnce(new Error('boom'));
    const sent = { sentAt: '2025-03-01T10:00:01.000Z', message };
    await expect(repository.markSent(key, record.claimedAt, sent)).resolves.toBe(false);
    await expect(repository.markSent(key, record.claimedAt, sent)).rejects.toThrow('boom');
  });
});

describe('release', () => {
  test('deletes only the owner’s SENDING claim', async () => {
    ddb.on(DeleteCommand).resolves({});
    await repository.release(key, record.claimedAt);
    expect(ddb).toHaveReceivedCommandWith(DeleteCommand, {
      TableName: TABLE,
      Key: key,
      ConditionExpression: '#status = :sending AND claimedAt = :claimedAt',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':sending': 'SENDING', ':claimedAt': record.claimedAt },
    });
  });

  test('leaves a claim someone else owns alone, quietly; other errors propagate', async () => {
    ddb.on(DeleteCommand).rejectsOnce(conditionFailed()).rejectsOnce(new Error('boom'));
    await expect(repository.release(key, record.claimedAt)).resolves.toBeUndefined();
    await expect(repository.release(key, record.claimedAt)).rejects.toThrow('boom');
  });
});

test('listByOrder reads every page of the order\'s partition (no index), oldest first', async () => {
  // The sort key orders by event id (OrderConfirmed before PaymentRefunded); the list goes by createdAt.
  const first = { ...record, notificationId: 'PaymentRefunded:ord-1', eventType: 'PaymentRefunded' as const, createdAt: '2025-03-01T09:55:00.000Z' };
  ddb
    .on(QueryCommand)
    .resolvesOnce({ Items: [{ ...record, expiresAt: 1 }], LastEvaluatedKey: key })
    .resolvesOnce({ Items: [first] });
  await expect(repository.listByOrder('ord-1')).resolves.toEqual([first, record]);
  expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 2);
  expect(ddb).toHaveReceivedNthSpecificCommandWith(1, QueryCommand, {
    TableName: TABLE,
    KeyConditionExpression: 'orderId = :orderId',
    ExpressionAttributeValues: { ':orderId': 'ord-1' },
  });
  expect(ddb.commandCalls(QueryCommand)[0]!.args[0].input).not.toHaveProperty('IndexName');
  expect(ddb).toHaveReceivedNthSpecificCommandWith(2, QueryCommand, { ExclusiveStartKey: key });
});

test('listByOrder of an order without notifications is empty', async () => {
  ddb.on(QueryCommand).resolves({});
  await expect(repository.listByOrder('ord-none')).resolves.toEqual([]);
});
