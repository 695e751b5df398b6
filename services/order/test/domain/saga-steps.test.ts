import { SagaErrors } from '@order-platform/shared';
import { failureReasonOf, MarkOrderFailedInput, NoSagaError } from '../../src/domain/saga-steps';
import { PAYMENT, RESERVATION } from '../support/fixtures';

const caught = (Error: string) => ({ Error, Cause: '{"errorMessage":"..."}' });

describe('failureReasonOf', () => {
  test.each([
    // Business refusals.
    ['reserveError', SagaErrors.OutOfStock, 'OUT_OF_STOCK'],
    ['paymentError', SagaErrors.PaymentDeclined, 'PAYMENT_DECLINED'],
    ['shippingError', SagaErrors.ShippingFailed, 'SHIPPING_FAILED'],
    // Transient errors that outlasted the retries.
    ['reserveError', 'TransientError', 'INVENTORY_UNAVAILABLE'],
    ['reserveError', 'States.Timeout', 'INVENTORY_UNAVAILABLE'],
    ['reserveError', 'Lambda.Unknown', 'INVENTORY_UNAVAILABLE'],
    ['paymentError', 'TransientError', 'PAYMENT_UNAVAILABLE'],
    ['paymentError', 'Lambda.TooManyRequestsException', 'PAYMENT_UNAVAILABLE'],
    ['shippingError', 'States.Timeout', 'SHIPPING_UNAVAILABLE'],
    ['shippingError', 'Sandbox.Timedout', 'SHIPPING_UNAVAILABLE'],
    // Anything else is a defect, whatever the step.
    ['reserveError', 'TypeError', 'INTERNAL_ERROR'],
    ['paymentError', 'States.TaskFailed', 'INTERNAL_ERROR'],
    ['paymentError', 'PaymentVoided', 'INTERNAL_ERROR'],
    ['shippingError', SagaErrors.OutOfStock, 'INTERNAL_ERROR'],
  ])('%s %s -> %s', (field, errorName, reason) => {
    expect(failureReasonOf({ [field]: caught(errorName) })).toBe(reason);
  });

  test('the latest step wins should several errors be present', () => {
    expect(failureReasonOf({ reserveError: caught('X'), paymentError: caught('PaymentDeclined') })).toBe('PAYMENT_DECLINED');
    expect(failureReasonOf({ paymentError: caught('X'), shippingError: caught('ShippingFailed') })).toBe('SHIPPING_FAILED');
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
