import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { eventId, type DomainEvent } from '../src';
import { snsEventPublisherFromEnv } from '../src/aws/event-publisher';

const sns = mockClient(SNSClient);
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:test-events';

const event = {
  eventId: eventId('OrderConfirmed', 'o-1'),
  eventType: 'OrderConfirmed',
  source: 'order',
  occurredAt: '2025-01-02T03:04:05.000Z',
  data: { orderId: 'o-1' },
} as unknown as DomainEvent;

afterEach(() => {
  sns.reset();
  delete process.env.TEST_EVENTS_TOPIC_ARN;
});

test('publishes to the topic the variable names, with eventType and source as message attributes', async () => {
  process.env.TEST_EVENTS_TOPIC_ARN = TOPIC;
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  await snsEventPublisherFromEnv('TEST_EVENTS_TOPIC_ARN').publish(event);
  expect(sns).toHaveReceivedCommandWith(PublishCommand, {
    TopicArn: TOPIC,
    Message: JSON.stringify(event),
    MessageAttributes: {
      eventType: { DataType: 'String', StringValue: 'OrderConfirmed' },
      source: { DataType: 'String', StringValue: 'order' },
    },
  });
});

test('a missing topic variable fails at init, not at the first publish', () => {
  expect(() => snsEventPublisherFromEnv('TEST_EVENTS_TOPIC_ARN')).toThrow('Missing required environment variable TEST_EVENTS_TOPIC_ARN');
});
