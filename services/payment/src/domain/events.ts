import { eventId, PaymentCaptured, PaymentRefunded, type DomainEvent } from '@order-platform/shared';
import type { PaymentStatus } from './payment';

type Image = Record<string, unknown> | undefined;

/**
 * What a change of a payments row means to the rest of the platform: a payment becoming CAPTURED
 * or REFUNDED, nothing else. Events are built from the row alone (ids and times included), so a
 * redelivered stream record yields the identical event; each is checked against its contract.
 */
export function toEvents(oldImage: Image, newImage: Image): DomainEvent[] {
  const before = oldImage?.status as PaymentStatus | undefined;
  const after = newImage?.status as PaymentStatus | undefined;
  if (!newImage || before === after) return [];

  if (after === 'CAPTURED') {
    return [
      PaymentCaptured.parse({
        eventId: eventId('PaymentCaptured', String(newImage.orderId)),
        eventType: 'PaymentCaptured',
        source: 'payment',
        occurredAt: newImage.updatedAt,
        data: paymentData(newImage),
      }),
    ];
  }
  if (after === 'REFUNDED') {
    return [
      PaymentRefunded.parse({
        eventId: eventId('PaymentRefunded', String(newImage.orderId)),
        eventType: 'PaymentRefunded',
        source: 'payment',
        occurredAt: newImage.refundedAt ?? newImage.updatedAt,
        data: paymentData(newImage),
      }),
    ];
  }
  return [];
}

function paymentData(image: Record<string, unknown>) {
  return {
    orderId: image.orderId,
    customerId: image.customerId,
    email: image.email,
    paymentId: image.paymentId,
    amount: { amount: image.amount, currency: image.currency },
  };
}
