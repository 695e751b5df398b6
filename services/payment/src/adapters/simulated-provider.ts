import { createHash } from 'node:crypto';
import { TransientError, type Money } from '@order-platform/shared';
import type { ChargeRequest, ChargeResult, PaymentProvider } from '../domain/ports';

/** Test card tokens the simulated provider understands (like a real provider's sandbox). */
export const TEST_TOKENS = {
  success: 'tok_visa',
  declined: 'tok_decline',
  unavailable: 'tok_error',
} as const;

/**
 * A stand-in for a card processor, behaving like a real one's sandbox: ids derive from the
 * idempotency key, so charging one order twice names the same charge (the provider never
 * charges an order twice). Stateless, so it runs unchanged in Lambda and offline.
 */
export class SimulatedProvider implements PaymentProvider {
  constructor(private readonly apiKey: () => Promise<string>) {}

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    await this.authenticate();
    switch (request.token) {
      case TEST_TOKENS.success:
        return { outcome: 'CAPTURED', chargeId: `ch_${digest(request.idempotencyKey)}` };
      case TEST_TOKENS.declined:
        return { outcome: 'DECLINED', declineCode: 'card_declined' };
      case TEST_TOKENS.unavailable:
        throw new TransientError('Payment provider unavailable (simulated outage for tok_error)');
      default:
        return { outcome: 'DECLINED', declineCode: 'invalid_token' };
    }
  }

  async refund(request: { chargeId: string; idempotencyKey: string; amount: Money }): Promise<{ refundId: string }> {
    await this.authenticate();
    return { refundId: `re_${digest(request.chargeId)}` };
  }

  async voidCharge(_idempotencyKey: string): Promise<void> {
    // The simulation keeps no ledger: the charge under this key, if any, is reversed.
    await this.authenticate();
  }

  private async authenticate(): Promise<void> {
    const key = await this.apiKey();
    if (!key) throw new Error('Payment provider API key is empty');
  }
}

function digest(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 24);
}
