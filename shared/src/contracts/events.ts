import * as z from 'zod/mini';
import { schema } from './schema';

/**
 * Event contracts. Each publisher owns its events' schemas (here, in one place, so consumers
 * parse with the publisher's schema and never a private copy). Every event is an envelope whose
 * eventId is deterministic (`<eventType>:<orderId>`), so a redelivered or republished event is
 * recognisably the same event and consumers can act on it exactly once.
 */

export const Money = /* @__PURE__ */ schema(() => z.object({
  amount: z.number().check(z.int(), z.nonnegative()),
  currency: z.string().check(z.regex(/^[A-Z]{3}$/)),
}));
export type Money = z.infer<typeof Money>;

export const PricedLine = /* @__PURE__ */ schema(() => z.object({
  sku: z.string(),
  quantity: z.number().check(z.int(), z.positive()),
  unitPrice: z.number().check(z.int(), z.nonnegative()),
  currency: z.string().check(z.regex(/^[A-Z]{3}$/)),
}));
export type PricedLine = z.infer<typeof PricedLine>;

/**
 * Why an order failed. Three kinds, so that a client, the customer and ops can tell them apart:
 * - a business refusal no retry can change: OUT_OF_STOCK, PAYMENT_DECLINED, SHIPPING_FAILED
 *   (the carrier refused, or the reservation was gone);
 * - a step whose transient failures outlasted its retries (a dependency down for minutes):
 *   INVENTORY_UNAVAILABLE, PAYMENT_UNAVAILABLE, SHIPPING_UNAVAILABLE; ordering again later may work;
 * - INTERNAL_ERROR: a step failed with an error that is neither (a defect); the saga history names it.
 */
export const FailureReason = /* @__PURE__ */ schema(() => z.enum([
  'OUT_OF_STOCK',
  'PAYMENT_DECLINED',
  'SHIPPING_FAILED',
  'INVENTORY_UNAVAILABLE',
  'PAYMENT_UNAVAILABLE',
  'SHIPPING_UNAVAILABLE',
  'INTERNAL_ERROR',
]));
export type FailureReason = z.infer<typeof FailureReason>;

function envelope<T extends string, D extends z.ZodMiniType>(eventType: T, source: string, data: D) {
  return z.object({
    eventId: z.string(),
    eventType: z.literal(eventType),
    source: z.literal(source),
    occurredAt: z.iso.datetime(),
    data,
  });
}

const OrderRef = /* @__PURE__ */ schema(() => z.object({ orderId: z.string(), customerId: z.string(), email: z.email() }));

export const OrderPlaced = /* @__PURE__ */ schema(() => envelope(
  'OrderPlaced',
  'order',
  z.extend(OrderRef, { items: z.array(z.object({ sku: z.string(), quantity: z.number().check(z.int(), z.positive()) })) }),
));
export const OrderConfirmed = /* @__PURE__ */ schema(() => envelope(
  'OrderConfirmed',
  'order',
  z.extend(OrderRef, { lines: z.array(PricedLine), total: Money }),
));
export const OrderFailed = /* @__PURE__ */ schema(() => envelope(
  'OrderFailed',
  'order',
  z.extend(OrderRef, { failureReason: FailureReason }),
));
export const OrderEvent = /* @__PURE__ */ schema(() => z.discriminatedUnion('eventType', [OrderPlaced, OrderConfirmed, OrderFailed]));
export type OrderEvent = z.infer<typeof OrderEvent>;

export const PaymentCaptured = /* @__PURE__ */ schema(() => envelope(
  'PaymentCaptured',
  'payment',
  z.extend(OrderRef, { paymentId: z.string(), amount: Money }),
));
export const PaymentRefunded = /* @__PURE__ */ schema(() => envelope(
  'PaymentRefunded',
  'payment',
  z.extend(OrderRef, { paymentId: z.string(), amount: Money }),
));
export const PaymentEvent = /* @__PURE__ */ schema(() => z.discriminatedUnion('eventType', [PaymentCaptured, PaymentRefunded]));
export type PaymentEvent = z.infer<typeof PaymentEvent>;

export const DomainEvent = /* @__PURE__ */ schema(() => z.discriminatedUnion('eventType', [
  OrderPlaced,
  OrderConfirmed,
  OrderFailed,
  PaymentCaptured,
  PaymentRefunded,
]));
export type DomainEvent = z.infer<typeof DomainEvent>;
export type DomainEventType = DomainEvent['eventType'];

export function eventId(eventType: DomainEventType, orderId: string): string {
  return `${eventType}:${orderId}`;
}
