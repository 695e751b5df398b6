import { DomainEvent } from '@order-platform/shared';
import { type Image } from '@order-platform/shared';
import { orderEventsOf } from '../../src/domain/order-events';
import { LATER, NOW, orderRecord, RESERVATION } from '../support/fixtures';

// Stream images are plain records (unmarshalled rows).
const image = (row: object): Image => ({ ...row });
const pending = image(orderRecord());
const confirmed = image(orderRecord({ status: 'CONFIRMED', updatedAt: LATER, lines: RESERVATION.lines, total: RESERVATION.total }));
const failed = image(orderRecord({ status: 'FAILED', updatedAt: LATER, failureReason: 'OUT_OF_STOCK' }));
const ref = { orderId: 'ord_abc123', customerId: 'cust-1', email: 'ada@example.com' };

test('INSERT -> OrderPlaced, without the payment token', () => {
  const events = orderEventsOf(undefined, pending);
  expect(events).toEqual([
    {
      eventId: 'OrderPlaced:ord_abc123',
      eventType: 'OrderPlaced',
      source: 'order',
      occurredAt: NOW,
      data: { ...ref, items: orderRecord().items },
    },
  ]);
  expect(JSON.stringify(events)).not.toMatch(/tok_visa/);
});

test('PENDING -> CONFIRMED -> OrderConfirmed with the priced lines and total', () => {
  expect(orderEventsOf(pending, confirmed)).toEqual([
    {
      eventId: 'OrderConfirmed:ord_abc123',
      eventType: 'OrderConfirmed',
      source: 'order',
      occurredAt: LATER,
      data: { ...ref, lines: RESERVATION.lines, total: RESERVATION.total },
    },
  ]);
});

test('PENDING -> FAILED -> OrderFailed with the reason', () => {
  expect(orderEventsOf(pending, failed)).toEqual([
    {
      eventId: 'OrderFailed:ord_abc123',
      eventType: 'OrderFailed',
      source: 'order',
      occurredAt: LATER,
      data: { ...ref, failureReason: 'OUT_OF_STOCK' },
    },
  ]);
});

test.each([
  ['REMOVE', pending, undefined],
  ['an update that keeps PENDING', pending, { ...pending, executionArn: 'arn:x' }],
  ['an update of a CONFIRMED order', confirmed, { ...confirmed, updatedAt: '2025-02-01T00:00:00.000Z' }],
  ['an update of a FAILED order', failed, { ...failed, executionArn: 'arn:x' }],
])('%s -> no event', (_name, oldImage, newImage) => {
  expect(orderEventsOf(oldImage, newImage)).toEqual([]);
});

test('the same change always gives the same events (a redelivery republishes identical events)', () => {
  expect(orderEventsOf(pending, confirmed)).toEqual(orderEventsOf(pending, confirmed));
  for (const event of [...orderEventsOf(undefined, pending), ...orderEventsOf(pending, confirmed), ...orderEventsOf(pending, failed)]) {
    expect(DomainEvent.safeParse(event).success).toBe(true);
  }
});

test('a malformed row fails (its stream record is retried, then parked in the DLQ) instead of publishing garbage', () => {
  expect(() => orderEventsOf(pending, { ...confirmed, total: undefined })).toThrow();
  expect(() => orderEventsOf(undefined, { ...pending, email: 'not-an-email' })).toThrow();
});
