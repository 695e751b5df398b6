import { TransientError, type Money } from '@order-platform/shared';
import type { Payment } from '../../src/domain/payment';
import type { ChargeRequest, ChargeResult, PaymentProvider, PaymentRepository } from '../../src/domain/ports';
import { TEST_TOKENS } from '../../src/adapters/simulated-provider';

/**
 * Called around every side effect of the fakes: lets a test interleave concurrent calls
 * (fast-check's scheduler) and inject failures before or after the effect.
 */
export interface Hooks {
  /** Awaited before and after each effect: a point where another call may run. */
  yieldPoint: (label: string) => Promise<void>;
  /** Whether the call fails with TransientError at this point (after = the effect happened, the reply was lost). */
  fault: (label: string, when: 'before' | 'after') => boolean;
}

export const noHooks: Hooks = { yieldPoint: async () => undefined, fault: () => false };

async function effect<T>(hooks: Hooks, label: string, run: () => T): Promise<T> {
  await hooks.yieldPoint(`${label}:before`);
  if (hooks.fault(label, 'before')) throw new TransientError(`injected fault before ${label}`);
  const result = run();
  await hooks.yieldPoint(`${label}:after`);
  if (hooks.fault(label, 'after')) throw new TransientError(`injected fault after ${label}`);
  return result;
}

/** The repository port with DynamoDB's semantics: consistent reads, conditional writes. */
export class InMemoryPaymentRepository implements PaymentRepository {
  readonly items = new Map<string, Payment>();
  constructor(private readonly hooks: Hooks = noHooks) {}

  get(orderId: string): Promise<Payment | undefined> {
    return effect(this.hooks, 'repository.get', () => structuredClone(this.items.get(orderId)));
  }

  /** As `get`: the fake has no replication lag (tests of a missed record stub it). */
  peek(orderId: string): Promise<Payment | undefined> {
    return effect(this.hooks, 'repository.peek', () => structuredClone(this.items.get(orderId)));
  }

  create(payment: Payment): Promise<boolean> {
    return effect(this.hooks, 'repository.create', () => {
      if (this.items.has(payment.orderId)) return false;
      this.items.set(payment.orderId, structuredClone(payment));
      return true;
    });
  }

  markRefunded(orderId: string, providerRefundId: string, now: string): Promise<boolean> {
    return effect(this.hooks, 'repository.markRefunded', () => {
      const payment = this.items.get(orderId);
      if (payment?.status !== 'CAPTURED') return false;
      this.items.set(orderId, { ...payment, status: 'REFUNDED', providerRefundId, refundedAt: now, updatedAt: now });
      return true;
    });
  }
}

interface Charge {
  chargeId: string;
  idempotencyKey: string;
  amount: number;
  refunded: boolean;
}

/**
 * A card processor's ledger. Like a real provider it charges once per idempotency key (a repeated
 * request replays the first charge) and refunds idempotently; it answers tokens like the
 * simulated provider does.
 */
export class FakeProvider implements PaymentProvider {
  readonly charges = new Map<string, Charge>();
  /** Every charge request, and the ones that moved money. */
  chargeCalls = 0;
  newCaptures = 0;
  constructor(private readonly hooks: Hooks = noHooks) {}

  charge(request: ChargeRequest): Promise<ChargeResult> {
    return effect(this.hooks, 'provider.charge', (): ChargeResult => {
      this.chargeCalls++;
      if (request.token === TEST_TOKENS.unavailable) throw new TransientError('provider unavailable');
      if (request.token === TEST_TOKENS.declined) return { outcome: 'DECLINED', declineCode: 'card_declined' };
      if (request.token !== TEST_TOKENS.success) return { outcome: 'DECLINED', declineCode: 'invalid_token' };
      const existing = this.charges.get(request.idempotencyKey);
      if (existing) return { outcome: 'CAPTURED', chargeId: existing.chargeId };
      const charge = { chargeId: `ch_${request.idempotencyKey}`, idempotencyKey: request.idempotencyKey, amount: request.amount.amount, refunded: false };
      this.charges.set(request.idempotencyKey, charge);
      this.newCaptures++;
      return { outcome: 'CAPTURED', chargeId: charge.chargeId };
    });
  }

  refund(request: { chargeId: string; idempotencyKey: string; amount: Money }): Promise<{ refundId: string }> {
    return effect(this.hooks, 'provider.refund', () => {
      const charge = [...this.charges.values()].find((c) => c.chargeId === request.chargeId);
      if (!charge) throw new Error(`No such charge ${request.chargeId}`);
      charge.refunded = true;
      return { refundId: `re_${request.chargeId}` };
    });
  }

  voidCharge(idempotencyKey: string): Promise<void> {
    return effect(this.hooks, 'provider.voidCharge', () => {
      const charge = this.charges.get(idempotencyKey);
      if (charge) charge.refunded = true;
    });
  }

  /** Money the provider holds for the order: captured minus refunded. */
  netCaptured(orderId: string): number {
    const charge = this.charges.get(orderId);
    return charge && !charge.refunded ? charge.amount : 0;
  }
}

export const fixedClock = (iso = '2025-01-02T03:04:05.000Z') => () => new Date(iso);
