import {
  capturedPayment,
  chargeOutput,
  declinedPayment,
  paymentIdFor,
  paymentView,
  refundedPayment,
  voidedPayment,
} from '../../src/domain/payment';

const details = { orderId: 'o-1', amount: { amount: 1250, currency: 'EUR' }, customerId: 'c-1', email: 'a@example.com' };
const now = '2025-01-02T03:04:05.000Z';
const later = '2025-01-02T04:00:00.000Z';

test('paymentId is the same for every attempt on one order and differs between orders', () => {
  expect(paymentIdFor('o-1')).toBe(paymentIdFor('o-1'));
  expect(paymentIdFor('o-1')).not.toBe(paymentIdFor('o-2'));
  expect(paymentIdFor('o-1')).toMatch(/^pay_[0-9a-f]{24}$/);
});

test('a captured payment keeps money as minor units plus currency and answers the step contract', () => {
  const payment = capturedPayment(details, 'ch_1', now);
  expect(payment).toEqual({
    orderId: 'o-1',
    paymentId: paymentIdFor('o-1'),
    status: 'CAPTURED',
    amount: 1250,
    currency: 'EUR',
    customerId: 'c-1',
    email: 'a@example.com',
    providerChargeId: 'ch_1',
    createdAt: now,
    updatedAt: now,
  });
  expect(chargeOutput(payment)).toEqual({ paymentId: paymentIdFor('o-1'), status: 'CAPTURED', amount: { amount: 1250, currency: 'EUR' } });
});

test('a refund keeps the charge and records when and how it was refunded', () => {
  const refunded = refundedPayment(capturedPayment(details, 'ch_1', now), 're_1', later);
  expect(refunded).toMatchObject({ status: 'REFUNDED', providerChargeId: 'ch_1', providerRefundId: 're_1', refundedAt: later, createdAt: now, updatedAt: later });
});

test('the view shows the amount except on a tombstone, and the decline code of a decline', () => {
  expect(paymentView(declinedPayment(details, 'card_declined', now))).toEqual({
    orderId: 'o-1',
    paymentId: paymentIdFor('o-1'),
    status: 'DECLINED',
    amount: { amount: 1250, currency: 'EUR' },
    declineCode: 'card_declined',
    createdAt: now,
    updatedAt: now,
  });
  expect(paymentView(voidedPayment('o-1', now))).toEqual({
    orderId: 'o-1',
    paymentId: paymentIdFor('o-1'),
    status: 'VOIDED',
    createdAt: now,
    updatedAt: now,
  });
  expect(paymentView(capturedPayment(details, 'ch_1', now))).not.toHaveProperty('declineCode');
});
