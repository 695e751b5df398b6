import { eventId, OrderConfirmed, OrderFailed, OrderPlaced, type DomainEvent } from '@order-platform/shared';
import { type Image } from '@order-platform/shared';

/**
 * What a change of an order row means to the rest of the platform (the stream side of "no dual
 * write"). Pure: the same images always give the same events with the same ids and times, so a
 * redelivered stream record republishes exactly the same events.
 *
 * - INSERT                      -> OrderPlaced
 * - status becomes CONFIRMED    -> OrderConfirmed
 * - status becomes FAILED       -> OrderFailed
 * - anything else (REMOVE, unrelated updates) -> nothing
 * Events are parsed with the published contracts, so a malformed row fails its record instead of
 * leaving as a malformed event.
 */
export function orderEventsOf(oldImage: Image, newImage: Image): DomainEvent[] {
  if (newImage === undefined) return [];
  const orderId = String(newImage.orderId);
  const ref = { orderId, customerId: newImage.customerId, email: newImage.email };

  if (oldImage === undefined) {
    return [
      OrderPlaced.parse({
        eventId: eventId('OrderPlaced', orderId),
        eventType: 'OrderPlaced',
        source: 'order',
        occurredAt: newImage.createdAt,
        data: { ...ref, items: newImage.items },
      }),
    ];
  }

  const becameStatus = (status: string) => oldImage.status !== status && newImage.status === status;

  if (becameStatus('CONFIRMED')) {
    return [
      OrderConfirmed.parse({
        eventId: eventId('OrderConfirmed', orderId),
        eventType: 'OrderConfirmed',
        source: 'order',
        occurredAt: newImage.updatedAt,
        data: { ...ref, lines: newImage.lines, total: newImage.total },
      }),
    ];
  }

  if (becameStatus('FAILED')) {
    return [
      OrderFailed.parse({
        eventId: eventId('OrderFailed', orderId),
        eventType: 'OrderFailed',
        source: 'order',
        occurredAt: newImage.updatedAt,
        data: { ...ref, failureReason: newImage.failureReason },
      }),
    ];
  }

  return [];
}
