import { TransientError, type RefundPaymentOutput } from '@order-platform/shared';
import { voidedPayment } from './payment';
import type { Clock, PaymentProvider, PaymentRepository } from './ports';

export interface RefundDependencies {
  repository: PaymentRepository;
  provider: PaymentProvider;
  clock: Clock;
}

// Each attempt that loses a conditional write re-reads a record that has moved one step
// (absent -> stored, CAPTURED -> REFUNDED) towards a final state, so three reads always decide.
const MAX_DECISIONS = 3;

/**
 * The saga's compensation for a payment. Safe to run twice or concurrently: the provider refund
 * is idempotent and only one conditional write moves CAPTURED to REFUNDED.
 */
export async function refundPayment(orderId: string, deps: RefundDependencies): Promise<RefundPaymentOutput> {
  const { repository, provider, clock } = deps;
  for (let attempt = 0; attempt < MAX_DECISIONS; attempt++) {
    const payment = await repository.get(orderId);

    if (!payment) {
      // Nothing recorded: leave a tombstone first so that a late charge can never capture, then
      // reverse anything a charge that died before recording may have captured.
      if (await repository.create(voidedPayment(orderId, clock().toISOString()))) {
        await provider.voidCharge(orderId);
        return { status: 'NOTHING_TO_REFUND' };
      }
      continue;
    }

    switch (payment.status) {
      case 'CAPTURED': {
        const { refundId } = await provider.refund({
          chargeId: payment.providerChargeId,
          idempotencyKey: orderId,
          amount: { amount: payment.amount, currency: payment.currency },
        });
        if (await repository.markRefunded(orderId, refundId, clock().toISOString())) return { status: 'REFUNDED' };
        continue;
      }
      case 'REFUNDED':
        return { status: 'ALREADY_REFUNDED' };
      case 'DECLINED':
      case 'VOIDED':
        await provider.voidCharge(orderId);
        return { status: 'NOTHING_TO_REFUND' };
    }
  }
  throw new TransientError(`Payment for order ${orderId} kept changing during its refund`);
}
