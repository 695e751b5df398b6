import '../support/env';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { handler } from '../../src/handlers/publish';
import { capturedPayment, declinedPayment, refundedPayment } from '../../src/domain/payment';
import { context } from '../support/lambda';

const sns = mockClient(SNSClient);
const now = '2025-01-02T03:04:05.000Z';
const order = (orderId: string) => ({ orderId, amount: { amount: 1250, currency: 'EUR' }, customerId: 'c-1', email: 'a@example.com' });

function record(sequenceNumber: string, oldImage: object | undefined, newImage: object | undefined): DynamoDBRecord {
  return {
    eventID: sequenceNumber,
    eventName: oldImage ? 'MODIFY' : 'INSERT',
    eventSource: 'aws:dynamodb',
    awsRegion: 'eu-west-1',
    eventSourceARN: 'arn:aws:dynamodb:eu-west-1:123456789012:table/payment-test-payments/stream/2025-01-01T00:00:00.000',
    dynamodb: {
      SequenceNumber: sequenceNumber,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
      ...(oldImage ? { OldImage: marshall(oldImage) as never } : {}),
      ...(newImage ? { NewImage: marshall(newImage) as never } : {}),
    },
  };
}

beforeEach(() => sns.reset());

test('CAPTURED and REFUNDED changes are published with eventType attributes; others are not', async () => {
  sns.on(PublishCommand).resolves({ MessageId: 'm' });
  const captured = capturedPayment(order('o-1'), 'ch_1', now);
  const event: DynamoDBStreamEvent = {
    Records: [
      record('1', undefined, captured),
      record('2', captured, refundedPayment(captured, 're_1', now)),
      record('3', undefined, declinedPayment(order('o-2'), 'card_declined', now)),
    ],
  };

  await expect(handler(event, context)).resolves.toEqual({ batchItemFailures: [] });

  expect(sns).toHaveReceivedCommandTimes(PublishCommand, 2);
  expect(sns).toHaveReceivedNthSpecificCommandWith(1, PublishCommand, {
    TopicArn: 'arn:aws:sns:eu-west-1:123456789012:payment-test-events',
    MessageAttributes: {
      eventType: { DataType: 'String', StringValue: 'PaymentCaptured' },
      source: { DataType: 'String', StringValue: 'payment' },
    },
  });
  const second = JSON.parse(String(sns.commandCalls(PublishCommand)[1]?.args[0].input.Message));
  expect(second).toMatchObject({ eventId: 'PaymentRefunded:o-1', eventType: 'PaymentRefunded', data: { orderId: 'o-1', amount: { amount: 1250, currency: 'EUR' } } });
});

test('a record whose publish fails is reported alone, so only it is retried', async () => {
  sns.on(PublishCommand).rejectsOnce(new Error('SNS unavailable')).resolves({ MessageId: 'm' });
  const event: DynamoDBStreamEvent = {
    Records: [record('10', undefined, capturedPayment(order('o-1'), 'ch_1', now)), record('11', undefined, capturedPayment(order('o-2'), 'ch_2', now))],
  };

  await expect(handler(event, context)).resolves.toEqual({ batchItemFailures: [{ itemIdentifier: '10' }] });
  expect(sns).toHaveReceivedCommandTimes(PublishCommand, 2);
});
