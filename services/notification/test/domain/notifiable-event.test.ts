import { InvalidMessage, parseQueuedEvent, UnsupportedEvent } from '../../src/domain/notifiable-event';
import { orderConfirmed, orderFailed, orderPlaced, paymentRefunded, snsEnvelope } from '../support/events';

test.each([
  ['OrderConfirmed', orderConfirmed(), 'order'],
  ['OrderFailed', orderFailed(), 'order'],
  ['PaymentRefunded', paymentRefunded(), 'payment'],
] as const)('%s is read from its SNS envelope', (_type, event, topic) => {
  expect(parseQueuedEvent(snsEnvelope(event, topic))).toEqual(event);
});

function invalid(body: string): InvalidMessage {
  try {
    parseQueuedEvent(body);
  } catch (error) {
    if (error instanceof InvalidMessage) return error;
    throw error;
  }
  throw new Error('expected InvalidMessage');
}

test.each([
  ['a body that is not JSON', 'not json', /Invalid JSON/],
  ['a raw event without the SNS envelope', JSON.stringify(orderConfirmed()), /Message/],
  ['an envelope whose Message is not JSON', snsEnvelope('{oops'), /Invalid JSON/],
  ['an event of a type nobody publishes', snsEnvelope({ ...orderConfirmed(), eventType: 'OrderShipped' }), /eventType/],
  ['an event that breaks its schema', snsEnvelope({ ...orderFailed(), data: { ...orderFailed().data, email: 'nope' } }), /Message\.data\.email/],
  ['an event with an unknown failure reason', snsEnvelope({ ...orderFailed(), data: { ...orderFailed().data, failureReason: 'GREMLINS' } }), /failureReason/],
])('%s is an InvalidMessage naming the problem', (_name, body, detail) => {
  const error = invalid(body);
  expect(error.message).toMatch(detail);
  expect(error.issues.length).toBeGreaterThan(0);
});

test('a valid event of a type this service does not notify about is an UnsupportedEvent', () => {
  expect(() => parseQueuedEvent(snsEnvelope(orderPlaced()))).toThrow(UnsupportedEvent);
  expect(() => parseQueuedEvent(snsEnvelope(orderPlaced()))).toThrow(/OrderPlaced/);
});
