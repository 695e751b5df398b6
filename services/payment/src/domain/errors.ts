import { BusinessError, SagaErrors } from '@order-platform/shared';

/** The provider refused the card: final for this order (a retry gets the same answer). */
export class PaymentDeclined extends BusinessError {
  override readonly name = SagaErrors.PaymentDeclined;
  constructor(
    readonly orderId: string,
    readonly declineCode: string,
  ) {
    super(`Payment for order ${orderId} was declined: ${declineCode}`, { orderId, declineCode });
  }
}

/** The order's payment was already compensated (refunded or voided): it can never be charged again. */
export class PaymentVoided extends BusinessError {
  override readonly name = 'PaymentVoided';
  constructor(
    readonly orderId: string,
    readonly status: 'REFUNDED' | 'VOIDED',
  ) {
    super(`Payment for order ${orderId} was already compensated (${status}); it cannot be charged again`, { orderId, status });
  }
}
