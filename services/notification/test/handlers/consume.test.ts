import { marshall } from '@aws-sdk/util-dynamodb';
import type { SQSBatchResponse, SQSEvent, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { orderConfirmed, orderFailed, orderPlaced, paymentRefunded, snsEnvelope, sqsRecord } from '../support/events';

type LibDynamoDb = typeof import('@aws-sdk/lib-dynamodb');
type ClientDynamoDb = typeof import('@aws-sdk/client-dynamodb');
type SesV2 = typeof import('@aws-sdk/client-sesv2');
type ConsumeModule = typeof import('../../src/handlers/consume');

const context = { functionName: 'notification-test-consume', awsRequestId: 'req-1', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

const BASE_ENV = {
  NOTIFICATIONS_TABLE: 'notification-test-notifications',
  SES_FROM_ADDRESS: 'notifications@example.com',
  CLAIM_TIMEOUT_SECONDS: '60',
};

/**
 * Loads the handler module afresh with the given environment (it reads its configuration once,
 * at init, like a Lambda container) and mocks the SDK classes of that same module registry.
 */
function load(env: Record<string, string>) {
  let modules!: { lib: LibDynamoDb; client: ClientDynamoDb; ses: SesV2; consume: ConsumeModule };
  Object.assign(process.env, BASE_ENV, env);
  jest.isolateModules(() => {
    modules = {
      lib: require('@aws-sdk/lib-dynamodb'),
      client: require('@aws-sdk/client-dynamodb'),
      ses: require('@aws-sdk/client-sesv2'),
      consume: require('../../src/handlers/consume'),
    };
  });
  return {
    ...modules,
    ddb: mockClient(modules.lib.DynamoDBDocumentClient),
    sesMock: mockClient(modules.ses.SESv2Client),
    invoke: (event: SQSEvent) => modules.consume.handler(event, context) as Promise<SQSBatchResponse>,
  };
}

const batch = (...records: SQSEvent['Records']): SQSEvent => ({ Records: records });

describe('with SES delivery (AWS stages)', () => {
  const { lib, client, ses, ddb, sesMock, invoke } = load({ DELIVERY_CHANNEL: 'ses' });
  const conditionFailed = (item: object) =>
    new client.ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {}, Item: marshall(item) });

  beforeEach(() => {
    ddb.reset();
    sesMock.reset();
    ddb.on(lib.PutCommand).resolves({});
    ddb.on(lib.UpdateCommand).resolves({});
    ddb.on(lib.DeleteCommand).resolves({});
    sesMock.on(ses.SendEmailCommand).resolves({ MessageId: 'ses-1' });
  });

  test('each event of a batch is claimed, e-mailed once and marked SENT; nothing is reported failed', async () => {
    const events = [orderConfirmed('ord-1'), orderFailed('PAYMENT_DECLINED', 'ord-2'), paymentRefunded('ord-3')];
    const response = await invoke(batch(...events.map((e, i) => sqsRecord(snsEnvelope(e, e.source as 'order' | 'payment'), `m${i}`))));

    expect(response).toEqual({ batchItemFailures: [] });
    expect(sesMock).toHaveReceivedCommandTimes(ses.SendEmailCommand, 3);
    expect(sesMock).toHaveReceivedCommandWith(ses.SendEmailCommand, {
      FromEmailAddress: 'notifications@example.com',
      Destination: { ToAddresses: ['ada@example.com'] },
    });
    expect(ddb).toHaveReceivedCommandWith(lib.PutCommand, {
      TableName: 'notification-test-notifications',
      Item: expect.objectContaining({ notificationId: 'OrderFailed:ord-2', orderId: 'ord-2', status: 'SENDING', channel: 'ses' }),
    });
    expect(ddb).toHaveReceivedCommandWith(lib.UpdateCommand, {
      Key: { orderId: 'ord-3', notificationId: 'PaymentRefunded:ord-3' },
      ExpressionAttributeValues: expect.objectContaining({ ':sent': 'SENT', ':providerMessageId': 'ses-1' }),
    });
  });

  test('a bad message fails alone: the rest of the batch is delivered', async () => {
    const response = await invoke(
      batch(
        sqsRecord(snsEnvelope(orderConfirmed('ord-1')), 'good-1'),
        sqsRecord('this is not json', 'bad-json'),
        sqsRecord(snsEnvelope({ ...orderFailed(), data: {} }), 'bad-event'),
        sqsRecord(snsEnvelope(orderPlaced()), 'unsupported'),
        sqsRecord(snsEnvelope(paymentRefunded('ord-3'), 'payment'), 'good-2'),
      ),
    );
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'bad-json' }, { itemIdentifier: 'bad-event' }, { itemIdentifier: 'unsupported' }]);
    expect(sesMock).toHaveReceivedCommandTimes(ses.SendEmailCommand, 2);
    expect(ddb).toHaveReceivedCommandTimes(lib.PutCommand, 2);
  });

  test('a batch where every message fails returns every failure instead of throwing', async () => {
    const response = await invoke(batch(sqsRecord('{}', 'a'), sqsRecord('[]', 'b')));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'a' }, { itemIdentifier: 'b' }]);
  });

  test('a copy of an event already sent is skipped: no second e-mail, no failure', async () => {
    const event = orderConfirmed('ord-1');
    ddb.on(lib.PutCommand).rejects(conditionFailed({ notificationId: event.eventId, status: 'SENT', claimedAt: '2025-03-01T10:00:00.000Z' }));
    const response = await invoke(batch(sqsRecord(snsEnvelope(event), 'dup', 2)));
    expect(response).toEqual({ batchItemFailures: [] });
    expect(sesMock).not.toHaveReceivedCommand(ses.SendEmailCommand);
    expect(ddb).not.toHaveReceivedCommand(lib.UpdateCommand);
  });

  test('a copy of an event another consumer is sending right now fails for a later retry', async () => {
    const event = orderConfirmed('ord-1');
    ddb.on(lib.PutCommand).rejects(conditionFailed({ notificationId: event.eventId, status: 'SENDING', claimedAt: new Date().toISOString() }));
    const response = await invoke(batch(sqsRecord(snsEnvelope(event), 'busy')));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'busy' }]);
    expect(sesMock).not.toHaveReceivedCommand(ses.SendEmailCommand);
  });

  test('a claim abandoned longer than the claim timeout is taken over and sent', async () => {
    const event = orderConfirmed('ord-1');
    const abandonedAt = new Date(Date.now() - 61_000).toISOString();
    ddb.on(lib.PutCommand).rejects(conditionFailed({ notificationId: event.eventId, status: 'SENDING', claimedAt: abandonedAt }));
    const response = await invoke(batch(sqsRecord(snsEnvelope(event), 'orphan', 3)));
    expect(response).toEqual({ batchItemFailures: [] });
    expect(ddb).toHaveReceivedCommandWith(lib.UpdateCommand, {
      ConditionExpression: '#status = :sending AND claimedAt = :claimedAt',
      ExpressionAttributeValues: expect.objectContaining({ ':claimedAt': abandonedAt, ':one': 1 }),
    });
    expect(sesMock).toHaveReceivedCommandTimes(ses.SendEmailCommand, 1);
  });

  test('an SES failure releases the claim and fails the message for a retry', async () => {
    sesMock.on(ses.SendEmailCommand).rejects(Object.assign(new Error('Maximum sending rate exceeded'), { name: 'TooManyRequestsException' }));
    const response = await invoke(batch(sqsRecord(snsEnvelope(orderConfirmed('ord-1')), 'throttled')));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'throttled' }]);
    expect(ddb).toHaveReceivedCommandWith(lib.DeleteCommand, { Key: { orderId: 'ord-1', notificationId: 'OrderConfirmed:ord-1' } });
    expect(ddb).not.toHaveReceivedCommand(lib.UpdateCommand);
  });

  test('a DynamoDB failure fails the message without sending anything', async () => {
    ddb.on(lib.PutCommand).rejects(Object.assign(new Error('Throughput exceeded'), { name: 'ProvisionedThroughputExceededException' }));
    const response = await invoke(batch(sqsRecord(snsEnvelope(orderConfirmed('ord-1')), 'ddb-down')));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'ddb-down' }]);
    expect(sesMock).not.toHaveReceivedCommand(ses.SendEmailCommand);
  });

  test('a send whose claim was taken over meanwhile still succeeds (the e-mail is out)', async () => {
    ddb.on(lib.UpdateCommand).rejects(new client.ConditionalCheckFailedException({ message: 'lost', $metadata: {} }));
    const response = await invoke(batch(sqsRecord(snsEnvelope(orderConfirmed('ord-1')), 'slow')));
    expect(response).toEqual({ batchItemFailures: [] });
    expect(sesMock).toHaveReceivedCommandTimes(ses.SendEmailCommand, 1);
  });
});

describe('with record delivery (local stage)', () => {
  const { lib, ddb, sesMock, invoke } = load({ DELIVERY_CHANNEL: 'record' });

  beforeEach(() => {
    ddb.reset();
    sesMock.reset();
    ddb.on(lib.PutCommand).resolves({});
    ddb.on(lib.UpdateCommand).resolves({});
  });

  test('the notification is stored SENT with its message and nothing is e-mailed', async () => {
    const response = await invoke(batch(sqsRecord(snsEnvelope(orderConfirmed('ord-1')), 'm1')));
    expect(response).toEqual({ batchItemFailures: [] });
    expect(sesMock.calls()).toHaveLength(0);
    expect(ddb).toHaveReceivedCommandWith(lib.PutCommand, { Item: expect.objectContaining({ channel: 'record' }) });
    expect(ddb).toHaveReceivedCommandWith(lib.UpdateCommand, {
      ExpressionAttributeValues: expect.objectContaining({ ':sent': 'SENT', ':subject': 'Your order ord-1 is confirmed' }),
    });
  });
});

test('an unknown DELIVERY_CHANNEL stops the container at init', () => {
  expect(() => load({ DELIVERY_CHANNEL: 'pigeon' })).toThrow(/DELIVERY_CHANNEL must be one of ses, record, got "pigeon"/);
});
