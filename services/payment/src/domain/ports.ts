import type { Money } from '@order-platform/shared';
import type { Payment } from './payment';

/** Payments by orderId. Writes are conditional, never blind. */
export interface PaymentRepository {
  /** Strongly consistent: what a decision rests on. */
  get(orderId: string): Promise<Payment | undefined>;
  /**
   * Eventually consistent (half the read cost): may miss a record stored in the last moments, so
   * it only saves work (a provider call); the conditional write and a `get` still decide.
   */
  peek(orderId: string): Promise<Payment | undefined>;
  /** Stores the order's first payment record; false when the order already has one. */
  create(payment: Payment): Promise<boolean>;
  /** CAPTURED -> REFUNDED; false when the payment is no longer CAPTURED (a concurrent refund won). */
  markRefunded(orderId: string, providerRefundId: string, now: string): Promise<boolean>;
}

export interface ChargeRequest {
  /** The provider charges at most once per key: the orderId. */
  idempotencyKey: string;
  token: string;
  amount: Money;
}

export type ChargeResult =
  | { outcome: 'CAPTURED'; chargeId: string }
  | { outcome: 'DECLINED'; declineCode: string };

/**
 * The card processor. A decline is a result, not an exception; an outage throws TransientError.
 * Every call is idempotent on the provider's side.
 */
export interface PaymentProvider {
  charge(request: ChargeRequest): Promise<ChargeResult>;
  refund(request: { chargeId: string; idempotencyKey: string; amount: Money }): Promise<{ refundId: string }>;
  /**
   * Reverses whatever was captured under this idempotency key, if anything (a no-op otherwise).
   * It makes a capture that lost a race to a decline or a compensation harmless, even when the
   * invocation that made it died before reversing it.
   */
  voidCharge(idempotencyKey: string): Promise<void>;
}

export type Clock = () => Date;
