import { TransientError } from '@order-platform/shared';
import { chargePayment } from '../../src/domain/charge';
import { PaymentDeclined, PaymentVoided } from '../../src/domain/errors';
import { capturedPayment, declinedPayment, paymentIdFor, refundedPayment, voidedPayment, type Payment } from '../../src/domain/payment';
import { FakeProvider, fixedClock, InMemoryPaymentRepository } from '../support/fakes';

const now = '2025-01-02T03:04:05.000Z';
const order = { orderId: 'o-1', amount: { amount: 1250, currency: 'EUR' }, customerId: 'c-1', email: 'a@example.com' };
const input = (paymentToken: string) => ({ ...order, paymentToken });

function setup() {
  const repository = new InMemoryPaymentRepository();
  const provider = new FakeProvider();
  return { repository, provider, deps: { repository, provider, clock: fixedClock(now) } };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('a first charge', () => {
  test('tok_visa captures once with the orderId as idempotency key and stores CAPTURED', async () => {
    const { repository, provider, deps } = setup();
    const charge = jest.spyOn(provider, 'charge');

    const result = await chargePayment(input('tok_visa'), deps);

    expect(result).toEqual({ paymentId: paymentIdFor('o-1'), status: 'CAPTURED', amount: order.amount });
    expect(charge).toHaveBeenCalledWith({ idempotencyKey: 'o-1', token: 'tok_visa', amount: order.amount });
    expect(repository.items.get('o-1')).toEqual(capturedPayment(order, 'ch_o-1', now));
    expect(provider.netCaptured('o-1')).toBe(1250);
  });

  test.each([
    ['tok_decline', 'card_declined'],
    ['tok_unknown', 'invalid_token'],
  ])('%s is stored as DECLINED (%s) and throws PaymentDeclined', async (token, declineCode) => {
    const { repository, provider, deps } = setup();

    const error = await rejection(chargePayment(input(token), deps));

    expect(error).toBeInstanceOf(PaymentDeclined);
    expect(error.name).toBe('PaymentDeclined');
    expect(error.message).toContain(declineCode);
    expect(repository.items.get('o-1')).toEqual(declinedPayment(order, declineCode, now));
    expect(provider.netCaptured('o-1')).toBe(0);
  });

  test('a provider outage (tok_error) is transient and writes nothing', async () => {
    const { repository, deps } = setup();
    await expect(chargePayment(input('tok_error'), deps)).rejects.toBeInstanceOf(TransientError);
    expect(repository.items.size).toBe(0);
  });
});

describe('a repeated charge answers from the stored payment without charging', () => {
  test('CAPTURED: the same payment again', async () => {
    const { repository, provider, deps } = setup();
    const first = await chargePayment(input('tok_visa'), deps);
    const charge = jest.spyOn(provider, 'charge');

    await expect(chargePayment(input('tok_visa'), deps)).resolves.toEqual(first);
    expect(charge).not.toHaveBeenCalled();
    expect(repository.items.get('o-1')?.status).toBe('CAPTURED');
  });

  test('DECLINED: the same decline, even with another token', async () => {
    const { provider, deps } = setup();
    await rejection(chargePayment(input('tok_decline'), deps));
    const charge = jest.spyOn(provider, 'charge');

    const error = await rejection(chargePayment(input('tok_visa'), deps));

    expect(error).toBeInstanceOf(PaymentDeclined);
    expect((error as PaymentDeclined).declineCode).toBe('card_declined');
    expect(charge).not.toHaveBeenCalled();
  });

  test.each<[string, Payment]>([
    ['REFUNDED', refundedPayment(capturedPayment(order, 'ch_o-1', now), 're_1', now)],
    ['VOIDED', voidedPayment('o-1', now)],
  ])('%s: PaymentVoided, the order was already compensated', async (status, stored) => {
    const { repository, provider, deps } = setup();
    repository.items.set('o-1', stored);
    const charge = jest.spyOn(provider, 'charge');

    const error = await rejection(chargePayment(input('tok_visa'), deps));

    expect(error).toBeInstanceOf(PaymentVoided);
    expect(error.name).toBe('PaymentVoided');
    expect((error as PaymentVoided).status).toBe(status);
    expect(charge).not.toHaveBeenCalled();
  });
});

describe('a charge that loses the conditional write to a concurrent writer', () => {
  // The concurrent writer's record lands between this charge's read and its write.
  function raceWith(repository: InMemoryPaymentRepository, stored: Payment) {
    const create = repository.create.bind(repository);
    jest.spyOn(repository, 'create').mockImplementationOnce(async (payment) => {
      repository.items.set(stored.orderId, stored);
      return create(payment);
    });
  }

  test('returns the duplicate that captured first: the same provider charge, no second one', async () => {
    const { repository, provider, deps } = setup();
    const winner = capturedPayment(order, 'ch_o-1', '2025-01-02T03:04:04.000Z');
    raceWith(repository, winner);

    await expect(chargePayment(input('tok_visa'), deps)).resolves.toEqual({ paymentId: winner.paymentId, status: 'CAPTURED', amount: order.amount });
    expect(repository.items.get('o-1')).toEqual(winner);
    expect(provider.newCaptures).toBe(1);
  });

  test('reverses its own capture when a compensation left a tombstone first, then throws PaymentVoided', async () => {
    const { repository, provider, deps } = setup();
    raceWith(repository, voidedPayment('o-1', now));
    const voidCharge = jest.spyOn(provider, 'voidCharge');

    await expect(chargePayment(input('tok_visa'), deps)).rejects.toBeInstanceOf(PaymentVoided);
    expect(voidCharge).toHaveBeenCalledWith('o-1');
    expect(provider.netCaptured('o-1')).toBe(0);
    expect(repository.items.get('o-1')?.status).toBe('VOIDED');
  });

  test('reverses its own capture when a declined duplicate stored first, then throws PaymentDeclined', async () => {
    const { repository, provider, deps } = setup();
    raceWith(repository, declinedPayment(order, 'card_declined', now));

    await expect(chargePayment(input('tok_visa'), deps)).rejects.toBeInstanceOf(PaymentDeclined);
    expect(provider.netCaptured('o-1')).toBe(0);
  });

  test('a record that vanished after the failed write is transient (retry decides again)', async () => {
    const { repository, deps } = setup();
    jest.spyOn(repository, 'create').mockResolvedValueOnce(false);

    await expect(chargePayment(input('tok_visa'), deps)).rejects.toBeInstanceOf(TransientError);
  });
});

test('a retry after the write failed transiently replays the provider charge instead of charging again', async () => {
  const { repository, provider, deps } = setup();
  jest.spyOn(repository, 'create').mockRejectedValueOnce(new TransientError('throttled'));

  await expect(chargePayment(input('tok_visa'), deps)).rejects.toBeInstanceOf(TransientError);
  await expect(chargePayment(input('tok_visa'), deps)).resolves.toMatchObject({ status: 'CAPTURED' });
  expect(provider.chargeCalls).toBe(2);
  expect(provider.newCaptures).toBe(1);
});

describe('the first read is eventually consistent: a record it misses is still the decision', () => {
  test('a stored CAPTURED the read missed: the provider replays the same charge, the stored payment answers, nothing is charged twice', async () => {
    const { repository, provider, deps } = setup();
    await chargePayment(input('tok_visa'), deps);
    jest.spyOn(repository, 'peek').mockResolvedValueOnce(undefined); // replication lag

    await expect(chargePayment(input('tok_visa'), deps)).resolves.toMatchObject({ status: 'CAPTURED', paymentId: paymentIdFor('o-1') });
    expect(provider.newCaptures).toBe(1);
    expect(provider.netCaptured('o-1')).toBe(1250);
  });

  test('a compensation tombstone the read missed: the charge is reversed and PaymentVoided, as in a race', async () => {
    const { repository, provider, deps } = setup();
    repository.items.set('o-1', voidedPayment('o-1', now));
    jest.spyOn(repository, 'peek').mockResolvedValueOnce(undefined);

    await expect(chargePayment(input('tok_visa'), deps)).rejects.toBeInstanceOf(PaymentVoided);
    expect(provider.netCaptured('o-1')).toBe(0);
    expect(repository.items.get('o-1')?.status).toBe('VOIDED');
  });
});
