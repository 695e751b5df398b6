import { PaymentCaptured, PaymentRefunded } from '@order-platform/shared';
import { toEvents } from '../../src/domain/events';
import { capturedPayment, declinedPayment, paymentIdFor, refundedPayment, voidedPayment } from '../../src/domain/payment';

const now = '2025-01-02T03:04:05.000Z';
const later = '2025-01-02T05:00:00.000Z';
const order = { orderId: 'o-1', amount: { amount: 1250, currency: 'EUR' }, customerId: 'c-1', email: 'a@example.com' };
const captured = { ...capturedPayment(order, 'ch_1', now) };
const refunded = { ...refundedPayment(capturedPayment(order, 'ch_1', now), 're_1', later) };
const data = { orderId: 'o-1', customerId: 'c-1', email: 'a@example.com', paymentId: paymentIdFor('o-1'), amount: order.amount };

test('a payment stored as CAPTURED is a PaymentCaptured with a deterministic id', () => {
  const events = toEvents(undefined, captured);
  expect(events).toEqual([
    { eventId: 'PaymentCaptured:o-1', eventType: 'PaymentCaptured', source: 'payment', occurredAt: now, data },
  ]);
  expect(PaymentCaptured.safeParse(events[0]).success).toBe(true);
});

test('CAPTURED becoming REFUNDED is a PaymentRefunded dated at the refund', () => {
  const events = toEvents(captured, refunded);
  expect(events).toEqual([
    { eventId: 'PaymentRefunded:o-1', eventType: 'PaymentRefunded', source: 'payment', occurredAt: later, data },
  ]);
  expect(PaymentRefunded.safeParse(events[0]).success).toBe(true);
});

test('a redelivered stream record yields the identical event', () => {
  expect(toEvents(captured, refunded)).toEqual(toEvents(captured, refunded));
});

test.each([
  ['a decline', undefined, { ...declinedPayment(order, 'card_declined', now) }],
  ['a tombstone', undefined, { ...voidedPayment('o-1', now) }],
  ['a change that keeps the status', captured, { ...captured, updatedAt: later }],
  ['a removed row', captured, undefined],
])('%s means no event', (_name, oldImage, newImage) => {
  expect(toEvents(oldImage, newImage)).toEqual([]);
});

test('a row that would break the event contract fails loudly instead of publishing it', () => {
  expect(() => toEvents(undefined, { ...captured, email: 'not-an-email' })).toThrow(/email/i);
});

test('a TTL delete of a DECLINED or VOIDED payment (a REMOVE record: old image only) publishes nothing', () => {
  expect(toEvents({ ...declinedPayment(order, 'card_declined', now), expiresAt: 1 }, undefined)).toEqual([]);
  expect(toEvents({ ...voidedPayment('o-1', now), expiresAt: 1 }, undefined)).toEqual([]);
});
