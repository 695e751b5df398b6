import fc from 'fast-check';
import { BusinessError, TransientError } from '@order-platform/shared';
import { chargePayment } from '../../src/domain/charge';
import { refundPayment } from '../../src/domain/refund';
import { FakeProvider, InMemoryPaymentRepository, type Hooks } from '../support/fakes';

/**
 * Random histories of one order: rounds of charges (any token) and refunds, several at once in
 * a round (duplicates, redeliveries, a compensation racing a late charge), interleaved at every
 * read, write and provider call by fast-check's scheduler, with transient faults injected before
 * or after side effects. Each operation is retried on TransientError like the saga's Retry.
 */

const ORDER_ID = 'o-1';
const MAX_ATTEMPTS = 8;

type Operation = { kind: 'charge'; token: string } | { kind: 'refund' };
type Outcome = { kind: Operation['kind']; result: 'ok' | 'business' | 'gave-up'; paymentId?: string };

const operation = fc.oneof(
  fc.record({ kind: fc.constant('charge' as const), token: fc.constantFrom('tok_visa', 'tok_visa', 'tok_decline', 'tok_error', 'tok_other') }),
  fc.constant({ kind: 'refund' as const }),
);
const history = fc.array(fc.array(operation, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 5 });
// Which side effects fail: at most MAX_ATTEMPTS - 2 faults, so every operation can still finish.
const faultPlan = fc.array(fc.boolean(), { maxLength: 40 }).map((plan) => {
  let budget = MAX_ATTEMPTS - 2;
  return plan.map((fail) => fail && budget-- > 0);
});

async function run(op: Operation, deps: Parameters<typeof chargePayment>[1], amount: number): Promise<Outcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      if (op.kind === 'refund') {
        await refundPayment(ORDER_ID, deps);
        return { kind: 'refund', result: 'ok' };
      }
      const payment = await chargePayment(
        { orderId: ORDER_ID, amount: { amount, currency: 'EUR' }, paymentToken: op.token, customerId: 'c-1', email: 'a@example.com' },
        deps,
      );
      return { kind: 'charge', result: 'ok', paymentId: payment.paymentId };
    } catch (error) {
      if (error instanceof BusinessError) return { kind: op.kind, result: 'business' };
      if (!(error instanceof TransientError)) throw error;
      if (attempt === MAX_ATTEMPTS) return { kind: op.kind, result: 'gave-up' };
    }
  }
}

test('net captured money is the order amount when CAPTURED and 0 otherwise; one provider charge at most', async () => {
  await fc.assert(
    fc.asyncProperty(fc.scheduler(), history, faultPlan, fc.integer({ min: 1, max: 1_000_000 }), async (s, rounds, plan, amount) => {
      let call = 0;
      const hooks: Hooks = {
        yieldPoint: (label) => s.schedule(Promise.resolve(), label),
        fault: () => plan[call++] ?? false,
      };
      const repository = new InMemoryPaymentRepository(hooks);
      const provider = new FakeProvider(hooks);
      const deps = { repository, provider, clock: () => new Date('2025-01-02T03:04:05.000Z') };

      const outcomes: Outcome[][] = [];
      for (const round of rounds) {
        outcomes.push(await s.waitFor(Promise.all(round.map((op) => run(op, deps, amount)))));
      }

      const stored = repository.items.get(ORDER_ID);
      // Money: exactly the amount while the payment stands, nothing once declined or compensated.
      expect(provider.netCaptured(ORDER_ID)).toBe(stored?.status === 'CAPTURED' ? amount : 0);
      // The provider charged the order at most once, however many attempts reached it.
      expect(provider.newCaptures).toBeLessThanOrEqual(1);
      // Every successful charge named the same payment.
      const paymentIds = new Set(outcomes.flat().flatMap((o) => (o.paymentId ? [o.paymentId] : [])));
      expect(paymentIds.size).toBeLessThanOrEqual(1);
      // A completed compensation is final: no later round captures.
      const compensatedAt = outcomes.findIndex((round) => round.some((o) => o.kind === 'refund' && o.result === 'ok'));
      if (compensatedAt >= 0) {
        expect(stored?.status).not.toBe('CAPTURED');
        const laterCharges = outcomes.slice(compensatedAt + 1).flat().filter((o) => o.kind === 'charge');
        expect(laterCharges.every((o) => o.result !== 'ok')).toBe(true);
      }
      // Only the provider outage token exhausts its retries; faults alone never do.
      const gaveUp = outcomes.flat().filter((o) => o.result === 'gave-up');
      expect(gaveUp.every((o) => o.kind === 'charge')).toBe(true);
    }),
    { numRuns: 200 },
  );
});
