import { needsSaga, newOrder, orderLocation, replayOutcome, sagaInputOf, toView } from '../../src/domain/order';
import { OrderView } from '../../src/schemas';
import { NOW, orderBody, orderRecord, PAYMENT, RESERVATION } from '../support/fixtures';

describe('newOrder', () => {
  test('is PENDING, keeps the request and stamps both times', () => {
    const order = newOrder(orderBody(), { orderId: 'ord_x1', now: NOW, requestHash: 'h', idempotencyKey: 'key-1' });
    expect(order).toEqual({
      orderId: 'ord_x1',
      customerId: 'cust-1',
      email: 'ada@example.com',
      items: [
        { sku: 'SKU-1', quantity: 2 },
        { sku: 'SKU-2', quantity: 1 },
      ],
      paymentToken: 'tok_visa',
      status: 'PENDING',
      createdAt: NOW,
      updatedAt: NOW,
      requestHash: 'h',
      idempotencyKey: 'key-1',
    });
  });

  test('stores no idempotencyKey attribute when the request had none', () => {
    const order = newOrder(orderBody(), { orderId: 'ord_x1', now: NOW, requestHash: 'h' });
    expect(order).not.toHaveProperty('idempotencyKey');
  });
});

describe('toView', () => {
  test('never shows the payment token, the request hash or the idempotency key', () => {
    const view = toView(orderRecord({ idempotencyKey: 'k' }));
    expect(view).toEqual({
      orderId: 'ord_abc123',
      status: 'PENDING',
      customerId: 'cust-1',
      email: 'ada@example.com',
      items: [
        { sku: 'SKU-1', quantity: 2 },
        { sku: 'SKU-2', quantity: 1 },
      ],
      createdAt: NOW,
      updatedAt: NOW,
    });
    expect(OrderView.safeParse(view).success).toBe(true);
  });

  test('shows the saga facts once known', () => {
    const view = toView(
      orderRecord({
        status: 'FAILED',
        failureReason: 'PAYMENT_DECLINED',
        lines: RESERVATION.lines,
        total: RESERVATION.total,
        paymentId: PAYMENT.paymentId,
        shipmentId: 'shp_1',
        executionArn: 'arn:x',
      }),
    );
    expect(view).toMatchObject({
      status: 'FAILED',
      failureReason: 'PAYMENT_DECLINED',
      lines: RESERVATION.lines,
      total: RESERVATION.total,
      paymentId: 'pay_1',
      shipmentId: 'shp_1',
      executionArn: 'arn:x',
    });
    expect(OrderView.safeParse(view).success).toBe(true);
  });
});

describe('sagaInputOf', () => {
  test('is the SagaInput contract rebuilt from the row', () => {
    expect(sagaInputOf(orderRecord())).toEqual({
      orderId: 'ord_abc123',
      customerId: 'cust-1',
      email: 'ada@example.com',
      items: [
        { sku: 'SKU-1', quantity: 2 },
        { sku: 'SKU-2', quantity: 1 },
      ],
      paymentToken: 'tok_visa',
    });
  });

  test('serialises byte-identically whatever order DynamoDB returned the attributes in', () => {
    const shuffled = orderRecord({ items: [{ quantity: 2, sku: 'SKU-1' } as never, { quantity: 1, sku: 'SKU-2' } as never] });
    const reordered = Object.fromEntries(Object.entries(orderRecord()).reverse()) as ReturnType<typeof orderRecord>;
    expect(JSON.stringify(sagaInputOf(shuffled))).toBe(JSON.stringify(sagaInputOf(orderRecord())));
    expect(JSON.stringify(sagaInputOf(reordered))).toBe(JSON.stringify(sagaInputOf(orderRecord())));
  });
});

test.each([
  ['PENDING', true],
  ['CONFIRMED', false],
  ['FAILED', false],
] as const)('an order %s needs its saga: %s', (status, expected) => {
  expect(needsSaga(orderRecord({ status }))).toBe(expected);
});

test('a replay is the same request hash; anything else is a conflict', () => {
  expect(replayOutcome(orderRecord({ requestHash: 'a' }), 'a')).toBe('REPLAY');
  expect(replayOutcome(orderRecord({ requestHash: 'a' }), 'b')).toBe('CONFLICT');
});

test('the location of an order is its GET route', () => {
  expect(orderLocation('ord_1')).toBe('/orders/ord_1');
});

test('a finished order has no payment token left, so no saga input', () => {
  const { paymentToken: _removed, ...finished } = orderRecord({ status: 'CONFIRMED' });
  expect(() => sagaInputOf(finished)).toThrow(/has no payment token/);
});
