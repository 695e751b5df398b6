import { SagaErrors } from '@order-platform/shared';
import { failureReasonOf, MarkOrderFailedInput, NoSagaError } from '../../src/domain/saga-steps';
import { PAYMENT, RESERVATION } from '../support/fixtures';

const caught = (Error: string) => ({ Error, Cause: '{"errorMessage":"..."}' });

describe('failureReasonOf', () => {
  test.each([
    ['reserveError', SagaErrors.OutOfStock, 'OUT_OF_STOCK'],
    ['reserveError', 'TransientError', 'INVENTORY_UNAVAILABLE'],
    ['reserveError', 'States.Timeout', 'INVENTORY_UNAVAILABLE'],
    ['reserveError', 'Lambda.Unknown', 'INVENTORY_UNAVAILABLE'],
    ['paymentError', SagaErrors.PaymentDeclined, 'PAYMENT_DECLINED'],
    ['paymentError', 'TransientError', 'PAYMENT_FAILED'],
    ['paymentError', 'States.TaskFailed', 'PAYMENT_FAILED'],
    ['shippingError', SagaErrors.ShippingFailed, 'SHIPPING_FAILED'],
    ['shippingError', 'States.Timeout', 'SHIPPING_FAILED'],
  ])('%s %s -> %s', (field, errorName, reason) => {
    expect(failureReasonOf({ [field]: caught(errorName) })).toBe(reason);
  });

  test('the latest step wins should several errors be present', () => {
    expect(failureReasonOf({ reserveError: caught('X'), paymentError: caught('PaymentDeclined') })).toBe('PAYMENT_DECLINED');
    expect(failureReasonOf({ paymentError: caught('X'), shippingError: caught('Y') })).toBe('SHIPPING_FAILED');
  });

  test('a state without any caught error is a defect', () => {
    expect(() => failureReasonOf({ reservation: RESERVATION, payment: PAYMENT })).toThrow(NoSagaError);
  });
});

test('MarkOrderFailedInput accepts the whole saga state (extra keys such as the SagaInput fields)', () => {
  const parsed = MarkOrderFailedInput.parse({
    orderId: 'ord_1',
    executionArn: 'arn:x',
    saga: { orderId: 'ord_1', items: [], paymentToken: 'tok', reservation: RESERVATION, paymentError: caught('PaymentDeclined') },
  });
  expect(parsed.saga.reservation).toEqual(RESERVATION);
  expect(parsed.saga.paymentError?.Error).toBe('PaymentDeclined');
});
