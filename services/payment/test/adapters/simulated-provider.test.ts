import { TransientError } from '@order-platform/shared';
import { SimulatedProvider } from '../../src/adapters/simulated-provider';

const provider = new SimulatedProvider(async () => 'sk_test');
const amount = { amount: 500, currency: 'EUR' };
const charge = (token: string, idempotencyKey = 'o-1') => provider.charge({ idempotencyKey, token, amount });

test('tok_visa captures; the charge id derives from the idempotency key alone', async () => {
  const first = await charge('tok_visa');
  expect(first).toEqual({ outcome: 'CAPTURED', chargeId: expect.stringMatching(/^ch_[0-9a-f]{24}$/) });
  await expect(charge('tok_visa')).resolves.toEqual(first);
  await expect(charge('tok_visa', 'o-2')).resolves.not.toEqual(first);
});

test('tok_decline is declined as card_declined; any other token as invalid_token', async () => {
  await expect(charge('tok_decline')).resolves.toEqual({ outcome: 'DECLINED', declineCode: 'card_declined' });
  await expect(charge('tok_mastercard')).resolves.toEqual({ outcome: 'DECLINED', declineCode: 'invalid_token' });
});

test('tok_error is a transient outage', async () => {
  await expect(charge('tok_error')).rejects.toBeInstanceOf(TransientError);
});

test('refunds succeed with an id derived from the charge; voids succeed', async () => {
  const refund = await provider.refund({ chargeId: 'ch_1', idempotencyKey: 'o-1', amount });
  expect(refund.refundId).toMatch(/^re_[0-9a-f]{24}$/);
  await expect(provider.refund({ chargeId: 'ch_1', idempotencyKey: 'o-1', amount })).resolves.toEqual(refund);
  await expect(provider.voidCharge('o-1')).resolves.toBeUndefined();
});

test('every call needs an API key', async () => {
  const keyless = new SimulatedProvider(async () => '');
  await expect(keyless.charge({ idempotencyKey: 'o-1', token: 'tok_visa', amount })).rejects.toThrow(/API key/);
  await expect(keyless.voidCharge('o-1')).rejects.toThrow(/API key/);
});
