import {
  afterRefusedConfirmation,
  afterRefusedFailure,
  confirmationOf,
  confirmationOutcome,
  failureOf,
  failureOutcome,
  OrderNotFound,
  OrderStateConflict,
} from '../../src/domain/transitions';
import { EXECUTION_ARN, LATER, orderRecord, PAYMENT, RESERVATION, SHIPMENT } from '../support/fixtures';

test('a confirmation records the priced lines, total, payment, shipment and execution', () => {
  expect(
    confirmationOutcome({ orderId: 'ord_abc123', executionArn: EXECUTION_ARN, reservation: RESERVATION, payment: PAYMENT, shipment: SHIPMENT }),
  ).toEqual({
    lines: RESERVATION.lines,
    total: RESERVATION.total,
    paymentId: 'pay_1',
    shipmentId: 'shp_1',
    executionArn: EXECUTION_ARN,
  });
});

describe('failureOutcome', () => {
  test('records the reservation when the saga had one', () => {
    expect(
      failureOutcome({
        orderId: 'ord_abc123',
        executionArn: EXECUTION_ARN,
        saga: { reservation: RESERVATION, paymentError: { Error: 'PaymentDeclined' } },
      }),
    ).toEqual({ failureReason: 'PAYMENT_DECLINED', lines: RESERVATION.lines, total: RESERVATION.total, executionArn: EXECUTION_ARN });
  });

  test('records only the reason when nothing was reserved', () => {
    expect(failureOutcome({ orderId: 'ord_abc123', saga: { reserveError: { Error: 'OutOfStock' } } })).toEqual({
      failureReason: 'OUT_OF_STOCK',
    });
  });

  test('records the payment and shipment known when shipping failed after all', () => {
    expect(
      failureOutcome({
        orderId: 'ord_abc123',
        saga: { reservation: RESERVATION, payment: PAYMENT, shipment: SHIPMENT, shippingError: { Error: 'ShippingFailed' } },
      }),
    ).toMatchObject({ failureReason: 'SHIPPING_FAILED', paymentId: 'pay_1', shipmentId: 'shp_1' });
  });
});

describe('a refused confirmation', () => {
  test('of an order already CONFIRMED answers as the first confirmation did', () => {
    const confirmed = orderRecord({ status: 'CONFIRMED', updatedAt: LATER });
    expect(afterRefusedConfirmation('ord_abc123', confirmed)).toEqual(confirmationOf(confirmed));
    expect(confirmationOf(confirmed)).toEqual({ orderId: 'ord_abc123', status: 'CONFIRMED', confirmedAt: LATER });
  });

  test('of a FAILED order is a conflict, of a missing order a not-found', () => {
    expect(() => afterRefusedConfirmation('ord_abc123', orderRecord({ status: 'FAILED', failureReason: 'OUT_OF_STOCK' }))).toThrow(
      OrderStateConflict,
    );
    expect(() => afterRefusedConfirmation('ord_abc123', undefined)).toThrow(OrderNotFound);
  });
});

describe('a refused failure', () => {
  test('of an order already FAILED answers with the recorded reason', () => {
    const failed = orderRecord({ status: 'FAILED', failureReason: 'OUT_OF_STOCK', updatedAt: LATER });
    expect(afterRefusedFailure('ord_abc123', failed)).toEqual({
      orderId: 'ord_abc123',
      status: 'FAILED',
      failureReason: 'OUT_OF_STOCK',
      failedAt: LATER,
    });
  });

  test('of a CONFIRMED order is a conflict, of a missing order a not-found', () => {
    expect(() => afterRefusedFailure('ord_abc123', orderRecord({ status: 'CONFIRMED' }))).toThrow(OrderStateConflict);
    expect(() => afterRefusedFailure('ord_abc123', undefined)).toThrow(OrderNotFound);
  });

  test('a FAILED row without a reason is reported, not invented', () => {
    expect(() => failureOf(orderRecord({ status: 'FAILED' }))).toThrow(OrderStateConflict);
  });
});

test('errors carry their names for the logs and the execution history', () => {
  expect(new OrderNotFound('ord_1').name).toBe('OrderNotFound');
  expect(new OrderStateConflict('x').name).toBe('OrderStateConflict');
});
