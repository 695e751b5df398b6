import { TransientError } from '@order-platform/shared';
import { capturedPayment, declinedPayment, refundedPayment, voidedPayment, type Payment } from '../../src/domain/payment';
import { refundPayment } from '../../src/domain/refund';
import { FakeProvider, fixedClock, InMemoryPaymentRepository } from '../support/fakes';

const now = '2025-01-02T03:04:05.000Z';
const later = '2025-01-02T05:00:00.000Z';
const order = { orderId: 'o-1', amount: { amount: 1250, currency: 'EUR' }, customerId: 'c-1', email: 'a@example.com' };

async function setup(stored?: Payment, capturedAtProvider = false) {
  const repository = new InMemoryPaymentRepository();
  const provider = new FakeProvider();
  if (stored) repository.items.set(stored.orderId, stored);
  if (capturedAtProvider) await provider.charge({ idempotencyKey: 'o-1', token: 'tok_visa', amount: order.amount });
  return { repository, provider, deps: { repository, provider, clock: fixedClock(later) } };
}

test('CAPTURED: refunds the provider charge and stores REFUNDED', async () => {
  const { repository, provider, deps } = await setup(capturedPayment(order, 'ch_o-1', now), true);
  const refund = jest.spyOn(provider, 'refund');

  await expect(refundPayment('o-1', deps)).resolves.toEqual({ status: 'REFUNDED' });

  expect(refund).toHaveBeenCalledWith({ chargeId: 'ch_o-1', idempotencyKey: 'o-1', amount: order.amount });
  expect(repository.items.get('o-1')).toMatchObject({ status: 'REFUNDED', providerRefundId: 're_ch_o-1', refundedAt: later, updatedAt: later });
  expect(provider.netCaptured('o-1')).toBe(0);
});

test('run twice: the second run finds it ALREADY_REFUNDED and calls no provider', async () => {
  const { provider, deps } = await setup(capturedPayment(order, 'ch_o-1', now), true);
  await refundPayment('o-1', deps);
  const refund = jest.spyOn(provider, 'refund');

  await expect(refundPayment('o-1', deps)).resolves.toEqual({ status: 'ALREADY_REFUNDED' });
  expect(refund).not.toHaveBeenCalled();
});

test('REFUNDED: ALREADY_REFUNDED', async () => {
  const { deps } = await setup(refundedPayment(capturedPayment(order, 'ch_o-1', now), 're_1', now));
  await expect(refundPayment('o-1', deps)).resolves.toEqual({ status: 'ALREADY_REFUNDED' });
});

test.each<[string, Payment]>([
  ['DECLINED', declinedPayment(order, 'card_declined', now)],
  ['VOIDED', voidedPayment('o-1', now)],
])('%s: NOTHING_TO_REFUND, the record is left as it is', async (_status, stored) => {
  const { repository, deps } = await setup(stored);
  await expect(refundPayment('o-1', deps)).resolves.toEqual({ status: 'NOTHING_TO_REFUND' });
  expect(repository.items.get('o-1')).toEqual(stored);
});

test('absent: leaves a VOIDED tombstone so that a late charge can never capture', async () => {
  const { repository, provider, deps } = await setup();
  const voidCharge = jest.spyOn(provider, 'voidCharge');

  await expect(refundPayment('o-1', deps)).resolves.toEqual({ status: 'NOTHING_TO_REFUND' });

  expect(repository.items.get('o-1')).toMatchObject({ orderId: 'o-1', status: 'VOIDED', createdAt: later });
  expect(voidCharge).toHaveBeenCalledWith('o-1');
});

test('absent but captured by a charge that died before recording it: the capture is reversed', async () => {
  const { provider, deps } = await setup(undefined, true);
  await refundPayment('o-1', deps);
  expect(provider.netCaptured('o-1')).toBe(0);
});

test('absent, then a concurrent charge records CAPTURED before the tombstone: refunds that capture', async () => {
  const { repository, provider, deps } = await setup(undefined, true);
  const create = repository.create.bind(repository);
  jest.spyOn(repository, 'create').mockImplementationOnce(async (payment) => {
    repository.items.set('o-1', capturedPayment(order, 'ch_o-1', now));
    return create(payment);
  });

  await expect(refundPayment('o-1', deps)).resolves.toEqual({ status: 'REFUNDED' });
  expect(repository.items.get('o-1')?.status).toBe('REFUNDED');
  expect(provider.netCaptured('o-1')).toBe(0);
});

test('CAPTURED, then a concurrent refund wins the conditional update: ALREADY_REFUNDED', async () => {
  const { repository, deps } = await setup(capturedPayment(order, 'ch_o-1', now), true);
  const markRefunded = repository.markRefunded.bind(repository);
  jest.spyOn(repository, 'markRefunded').mockImplementationOnce(async (...args) => {
    await markRefunded(...args);
    return false;
  });

  await expect(refundPayment('o-1', deps)).resolves.toEqual({ status: 'ALREADY_REFUNDED' });
});

test('a record that keeps changing under the refund is transient', async () => {
  const { repository, deps } = await setup();
  jest.spyOn(repository, 'create').mockResolvedValue(false);

  await expect(refundPayment('o-1', deps)).rejects.toBeInstanceOf(TransientError);
  expect(repository.create).toHaveBeenCalledTimes(3);
});
