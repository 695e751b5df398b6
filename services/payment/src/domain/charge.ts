import { TransientError, type ProcessPaymentInput, type ProcessPaymentOutput } from '@order-platform/shared';
import { PaymentDeclined, PaymentVoided } from './errors';
import { capturedPayment, chargeOutput, declinedPayment, type Payment } from './payment';
import type { Clock, PaymentProvider, PaymentRepository } from './ports';

export interface ChargeDependencies {
  repository: PaymentRepository;
  provider: PaymentProvider;
  clock: Clock;
}

/**
 * Charges an order once. The stored record is the decision: a retry or a concurrent duplicate
 * returns the first outcome (the same paymentId, or the same decline) and never charges again.
 * The first read only spares the provider a call (a record it misses is found by the conditional
 * write, and the provider's idempotency key makes the repeated charge the same charge).
 */
export async function chargePayment(input: ProcessPaymentInput, deps: ChargeDependencies): Promise<ProcessPaymentOutput> {
  const { repository, provider, clock } = deps;
  const existing = await repository.peek(input.orderId);
  if (existing) return settle(existing, provider);

  const result = await provider.charge({ idempotencyKey: input.orderId, token: input.paymentToken, amount: input.amount });
  const now = clock().toISOString();
  const payment =
    result.outcome === 'CAPTURED'
      ? capturedPayment(input, result.chargeId, now)
      : declinedPayment(input, result.declineCode, now);

  if (await repository.create(payment)) return settle(payment, provider);

  // A concurrent duplicate (or a compensation's tombstone) stored first: its record decides.
  const stored = await repository.get(input.orderId);
  if (!stored) throw new TransientError(`Payment for order ${input.orderId} vanished after a conditional write failed`);
  return settle(stored, provider);
}

/**
 * Turns a stored payment into the step's answer. Any answer other than CAPTURED first reverses
 * whatever the provider may hold under the order's key: a capture that lost the race to a
 * decline or a compensation must not keep the customer's money.
 */
async function settle(payment: Payment, provider: PaymentProvider): Promise<ProcessPaymentOutput> {
  switch (payment.status) {
    case 'CAPTURED':
      return chargeOutput(payment);
    case 'DECLINED':
      await provider.voidCharge(payment.orderId);
      throw new PaymentDeclined(payment.orderId, payment.declineCode);
    case 'REFUNDED':
    case 'VOIDED':
      await provider.voidCharge(payment.orderId);
      throw new PaymentVoided(payment.orderId, payment.status);
  }
}
