import { STATE_MACHINE_ARN, TABLE, TOPIC_ARN } from '../support/env';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { handler } from '../../src/handlers/publish';
import type { OrderRecord } from '../../src/domain/order';
import { LATER, orderRecord, RESERVATION } from '../support/fixtures';
import { context } from '../support/http';

const ddb = mockClient(DynamoDBDocumentClient);
const sns = mockClient(SNSClient);
const sfn = mockClient(SFNClient);

beforeEach(() => {
  ddb.reset();
  sns.reset();
  sfn.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec', startDate: new Date() });
});

let sequence = 0;
function record(eventName: 'INSERT' | 'MODIFY' | 'REMOVE', oldImage?: OrderRecord, newImage?: OrderRecord): DynamoDBRecord {
  sequence += 1;
  return {
    eventID: `e-${sequence}`,
    eventName,
    eventSource: 'aws:dynamodb',
    awsRegion: 'eu-west-1',
    eventSourceARN: `arn:aws:dynamodb:eu-west-1:123456789012:table/${TABLE}/stream/2025-01-01T00:00:00.000`,
    dynamodb: {
      Keys: { orderId: { S: (newImage ?? oldImage)!.orderId } },
      SequenceNumber: String(sequence),
      StreamViewType: 'NEW_AND_OLD_IMAGES',
      ...(oldImage ? { OldImage: marshall(oldImage) as never } : {}),
      ...(newImage ? { NewImage: marshall(newImage) as never } : {}),
    },
  };
}
const batch = (...records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });

const pending = orderRecord();
const confirmed = orderRecord({ status: 'CONFIRMED', updatedAt: LATER, lines: RESERVATION.lines, total: RESERVATION.total });
const failed = orderRecord({ status: 'FAILED', updatedAt: LATER, failureReason: 'PAYMENT_DECLINED' });

function published(): Array<{ eventType: string; eventId: string }> {
  return sns.commandCalls(PublishCommand).map((c) => JSON.parse(c.args[0].input.Message!));
}

test('INSERT publishes OrderPlaced with its eventType attribute, then makes sure the saga runs', async () => {
  ddb.on(GetCommand).resolves({ Item: pending });
  await expect(handler(batch(record('INSERT', undefined, pending)), context)).resolves.toEqual({ batchItemFailures: [] });

  expect(sns).toHaveReceivedCommandWith(PublishCommand, {
    TopicArn: TOPIC_ARN,
    MessageAttributes: {
      eventType: { DataType: 'String', StringValue: 'OrderPlaced' },
      source: { DataType: 'String', StringValue: 'order' },
    },
  });
  expect(published()).toEqual([expect.objectContaining({ eventType: 'OrderPlaced', eventId: 'OrderPlaced:ord_abc123' })]);
  // One eventually consistent read when it finds the row (half a strong read's cost).
  expect(ddb).toHaveReceivedCommandTimes(GetCommand, 1);
  expect(ddb).toHaveReceivedCommandWith(GetCommand, { TableName: TABLE, Key: { orderId: 'ord_abc123' }, ConsistentRead: false });
  expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, {
    stateMachineArn: STATE_MACHINE_ARN,
    name: 'ord_abc123',
    input: JSON.stringify({ orderId: 'ord_abc123', customerId: 'cust-1', email: 'ada@example.com', items: pending.items, paymentToken: 'tok_visa' }),
  });
});

test('an eventually consistent read that misses the new row reads it again, consistently, and starts the saga', async () => {
  ddb.on(GetCommand, { ConsistentRead: false }).resolves({});
  ddb.on(GetCommand, { ConsistentRead: true }).resolves({ Item: pending });
  await expect(handler(batch(record('INSERT', undefined, pending)), context)).resolves.toEqual({ batchItemFailures: [] });
  expect(ddb).toHaveReceivedCommandTimes(GetCommand, 2);
  expect(sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
});

test('a saga the POST already started counts as started', async () => {
  ddb.on(GetCommand).resolves({ Item: pending });
  sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
  await expect(handler(batch(record('INSERT', undefined, pending)), context)).resolves.toEqual({ batchItemFailures: [] });
});

test('an order no longer pending gets no new saga', async () => {
  ddb.on(GetCommand).resolves({ Item: confirmed });
  await handler(batch(record('INSERT', undefined, pending)), context);
  expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
});

test('status changes publish OrderConfirmed and OrderFailed; other changes publish nothing; none starts a saga', async () => {
  await handler(
    batch(
      record('MODIFY', pending, confirmed),
      record('MODIFY', orderRecord({ orderId: 'ord_2' }), { ...failed, orderId: 'ord_2' }),
      record('MODIFY', confirmed, { ...confirmed, executionArn: 'arn:x' }),
      record('REMOVE', failed, undefined),
    ),
    context,
  );
  expect(published().map((e) => e.eventId)).toEqual(['OrderConfirmed:ord_abc123', 'OrderFailed:ord_2']);
  expect(ddb).not.toHaveReceivedCommand(GetCommand);
  expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
});

test('a record whose publish fails is reported alone, so only it is retried', async () => {
  sns.on(PublishCommand).rejectsOnce(new Error('SNS unavailable')).resolves({ MessageId: 'm-2' });
  const first = record('MODIFY', pending, confirmed);
  const second = record('MODIFY', orderRecord({ orderId: 'ord_2' }), { ...failed, orderId: 'ord_2' });
  await expect(handler(batch(first, second), context)).resolves.toEqual({
    batchItemFailures: [{ itemIdentifier: first.dynamodb!.SequenceNumber }],
  });
});

test('an INSERT whose saga cannot be started fails its record (retried, OrderPlaced republished with the same id)', async () => {
  ddb.on(GetCommand).resolves({ Item: pending });
  sfn.on(StartExecutionCommand).rejects(new Error('Step Functions unavailable'));
  const insert = record('INSERT', undefined, pending);
  const other = record('MODIFY', orderRecord({ orderId: 'ord_2' }), { ...failed, orderId: 'ord_2' });
  await expect(handler(batch(insert, other), context)).resolves.toEqual({
    batchItemFailures: [{ itemIdentifier: insert.dynamodb!.SequenceNumber }],
  });
});

test('a batch whose every record fails throws, so Lambda retries (and bisects) it', async () => {
  sns.on(PublishCommand).rejects(new Error('SNS unavailable'));
  await expect(handler(batch(record('MODIFY', pending, confirmed)), context)).rejects.toThrow();
});
