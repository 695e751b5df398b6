import { checkInvariants, INVARIANTS, type OrderRow, type Snapshot } from '../src/invariant-checks';

const takenAt = new Date('2030-01-01T12:00:00.000Z');
const longAgo = '2030-01-01T11:00:00.000Z';

/** A consistent stack: A stocked with 10; o1 confirmed (2 A), o2 failed (declined, released), o3 failed out of stock. */
function healthy(): Snapshot {
  return {
    stock: [{ sku: 'A', available: 8, held: 2, stockedAvailable: 10, stockedHeld: 0 }],
    reservations: [
      { orderId: 'o1', status: 'SHIPPED', lines: [{ sku: 'A', quantity: 2 }], shipmentId: 'shp_o1' },
      { orderId: 'o2', status: 'RELEASED', lines: [{ sku: 'A', quantity: 1 }] },
    ],
    orders: [
      { orderId: 'o1', status: 'CONFIRMED', items: [{ sku: 'A', quantity: 2 }], createdAt: longAgo, total: { amount: 200, currency: 'EUR' }, paymentId: 'pay_1', shipmentId: 'shp_o1' },
      { orderId: 'o2', status: 'FAILED', items: [{ sku: 'A', quantity: 1 }], createdAt: longAgo, failureReason: 'PAYMENT_DECLINED' },
      { orderId: 'o3', status: 'FAILED', items: [{ sku: 'A', quantity: 50 }], createdAt: longAgo, failureReason: 'OUT_OF_STOCK' },
    ],
    payments: [
      { orderId: 'o1', paymentId: 'pay_1', status: 'CAPTURED', amount: 200, currency: 'EUR' },
      { orderId: 'o2', paymentId: 'pay_2', status: 'DECLINED', amount: 100, currency: 'EUR' },
    ],
    notifications: [
      { notificationId: 'OrderConfirmed:o1', orderId: 'o1', eventType: 'OrderConfirmed', status: 'SENT', attempts: 1 },
      { notificationId: 'OrderFailed:o2', orderId: 'o2', eventType: 'OrderFailed', status: 'SENT', attempts: 1 },
      { notificationId: 'OrderFailed:o3', orderId: 'o3', eventType: 'OrderFailed', status: 'SENT', attempts: 1 },
    ],
    executions: new Map(),
    takenAt,
  };
}

const violated = (snapshot: Snapshot, options = {}) => checkInvariants(snapshot, options).violations.map((v) => `${v.invariant} ${v.subject}`);

test('a consistent stack holds every invariant', () => {
  const report = checkInvariants(healthy());
  expect(report.violations).toEqual([]);
  expect(report.ok).toBe(true);
  expect(report.orders).toEqual({ CONFIRMED: 1, FAILED: 2, PENDING: 0, pendingRunning: 0 });
  expect(report.checked).toEqual({ skus: 1, orders: 3, payments: 2, notifications: 3 });
  expect(report.terminalWithoutNotification).toBe(0);
  expect(Object.keys(report.violationsByInvariant)).toEqual([...INVARIANTS]);
});

describe('stock', () => {
  test('stock created from nothing or restocked: the total is what the last PUT left', () => {
    const s = healthy();
    // A PUT while 2 were held (shipped): it set available 5, so the stock is 5 + 2.
    s.stock = [{ sku: 'A', available: 5, held: 2, stockedAvailable: 5, stockedHeld: 2 }];
    expect(violated(s)).toEqual([]);
  });

  test('units appearing or vanishing break stock-conserved', () => {
    const s = healthy();
    s.stock[0]!.available = 9;
    expect(violated(s)).toEqual(['stock-conserved A']);
  });

  test('a negative counter (an oversell) breaks stock-non-negative', () => {
    const s = healthy();
    s.stock = [{ sku: 'A', available: -1, held: 3, stockedAvailable: 2, stockedHeld: 0 }];
    s.reservations.push({ orderId: 'o9', status: 'RESERVED', lines: [{ sku: 'A', quantity: 1 }] });
    s.orders.push({ orderId: 'o9', status: 'PENDING', items: [{ sku: 'A', quantity: 1 }], createdAt: longAgo });
    s.executions.set('o9', 'RUNNING');
    expect(violated(s)).toEqual(['stock-non-negative A']);
  });

  test('held counts the RESERVED and the SHIPPED reservations, not the RELEASED ones', () => {
    const s = healthy();
    s.stock = [{ sku: 'A', available: 7, held: 3, stockedAvailable: 10, stockedHeld: 0 }];
    s.reservations.push({ orderId: 'o9', status: 'RESERVED', lines: [{ sku: 'A', quantity: 1 }] });
    s.orders.push({ orderId: 'o9', status: 'PENDING', items: [{ sku: 'A', quantity: 1 }], createdAt: longAgo });
    s.executions.set('o9', 'RUNNING');
    expect(violated(s)).toEqual([]);
  });

  test('a held that differs from the reservations breaks held-matches-reservations', () => {
    const s = healthy();
    // More held than the reservations hold (o2's release did not give its unit back)...
    s.stock = [{ sku: 'A', available: 7, held: 3, stockedAvailable: 10, stockedHeld: 0 }];
    expect(violated(s)).toEqual(['held-matches-reservations A']);
    // ...or less (o1's shipped units given back while its reservation stays SHIPPED).
    s.stock = [{ sku: 'A', available: 9, held: 1, stockedAvailable: 10, stockedHeld: 0 }];
    expect(violated(s)).toEqual(['held-matches-reservations A']);
  });

  test('a SKU without a stocking record is a warning, not a violation', () => {
    const s = healthy();
    delete s.stock[0]!.stockedAvailable;
    const report = checkInvariants(s);
    expect(report.ok).toBe(true);
    expect(report.warnings).toEqual([expect.objectContaining({ kind: 'stock-not-recorded', subject: 'A' })]);
  });
});

describe('orders', () => {
  const order = (s: Snapshot, id: string) => s.orders.find((o) => o.orderId === id)!;

  test.each([
    ['no payment', (s: Snapshot) => (s.payments = s.payments.filter((p) => p.orderId !== 'o1'))],
    ['a refunded payment', (s: Snapshot) => (s.payments[0]!.status = 'REFUNDED')],
    ['a different amount', (s: Snapshot) => (s.payments[0]!.amount = 199)],
    ['another payment id', (s: Snapshot) => (order(s, 'o1').paymentId = 'pay_x')],
  ])('a CONFIRMED order with %s breaks confirmed-captured-once', (_what, change) => {
    const s = healthy();
    change(s);
    expect(violated(s)).toContain('confirmed-captured-once o1');
  });

  test.each([
    ['no reservation', (s: Snapshot) => (s.reservations = s.reservations.filter((r) => r.orderId !== 'o1'))],
    ['a reservation still RESERVED', (s: Snapshot) => (s.reservations[0]!.status = 'RESERVED')],
    ['other lines shipped', (s: Snapshot) => (s.reservations[0]!.lines = [{ sku: 'A', quantity: 1 }])],
  ])('a CONFIRMED order with %s breaks confirmed-shipped-once', (_what, change) => {
    const s = healthy();
    change(s);
    expect(violated(s)).toContain('confirmed-shipped-once o1');
  });

  test('a FAILED order keeping money or stock breaks failed-no-net-charge / failed-no-reservation-left', () => {
    const s = healthy();
    s.payments[1]!.status = 'CAPTURED';
    s.reservations[1]!.status = 'RESERVED';
    s.stock = [{ sku: 'A', available: 7, held: 3, stockedAvailable: 10, stockedHeld: 0 }];
    expect(violated(s)).toEqual(['failed-no-net-charge o2', 'failed-no-reservation-left o2']);
  });

  test('a FAILED order whose payment was refunded or voided, and reservation released, holds', () => {
    const s = healthy();
    s.payments[1]!.status = 'REFUNDED';
    s.payments.push({ orderId: 'o3', paymentId: 'pay_3', status: 'VOIDED' });
    expect(violated(s)).toEqual([]);
  });

  test('a PENDING order is fine while its saga runs or just after it was placed, not after its saga ended', () => {
    const s = healthy();
    const pending = (orderId: string, createdAt = longAgo): OrderRow => ({ orderId, status: 'PENDING', items: [{ sku: 'A', quantity: 1 }], createdAt });
    s.orders.push(pending('running'), pending('ended'), pending('never-started'), pending('just-placed', '2030-01-01T11:59:30.000Z'));
    s.executions.set('running', 'RUNNING').set('ended', 'FAILED').set('never-started', 'MISSING').set('just-placed', 'MISSING');
    const report = checkInvariants(s);
    expect(report.violations.map((v) => `${v.invariant} ${v.subject}`)).toEqual(['pending-only-while-running ended', 'pending-only-while-running never-started']);
    expect(report.violations[0]!.detail).toMatch(/execution is FAILED/);
    expect(report.orders).toMatchObject({ PENDING: 4, pendingRunning: 1 });
    expect(violated(s, { pendingGraceMs: 0 })).toContain('pending-only-while-running just-placed');
  });

  test('a captured payment without an order breaks captured-payment-has-order', () => {
    const s = healthy();
    s.payments.push({ orderId: 'ghost', paymentId: 'pay_g', status: 'CAPTURED', amount: 5, currency: 'EUR' });
    expect(violated(s)).toEqual(['captured-payment-has-order ghost']);
  });
});

describe('notifications', () => {
  test('two notifications of one event break one-notification-per-event', () => {
    const s = healthy();
    s.notifications.push({ notificationId: 'OrderConfirmed:o1#2', orderId: 'o1', eventType: 'OrderConfirmed', status: 'SENT' });
    expect(violated(s)).toEqual(['one-notification-per-event OrderConfirmed:o1']);
  });

  test('a notification contradicting the outcome breaks notification-matches-outcome', () => {
    const s = healthy();
    s.notifications.push({ notificationId: 'OrderFailed:o1', orderId: 'o1', eventType: 'OrderFailed', status: 'SENT' });
    s.notifications.push({ notificationId: 'PaymentRefunded:o2', orderId: 'o2', eventType: 'PaymentRefunded', status: 'SENT' });
    expect(violated(s)).toEqual(['notification-matches-outcome o1', 'notification-matches-outcome o2']);
  });

  test('notifications of events about unknown orders are not matched; missing ones are counted', () => {
    const s = healthy();
    s.notifications = s.notifications.filter((n) => n.orderId !== 'o3');
    s.notifications.push({ notificationId: 'OrderConfirmed:hand-made', orderId: 'hand-made', eventType: 'OrderConfirmed', status: 'SENT' });
    const report = checkInvariants(s);
    expect(report.ok).toBe(true);
    expect(report.terminalWithoutNotification).toBe(1);
  });

  test('stale SENDING claims and taken-over claims are warnings', () => {
    const s = healthy();
    s.notifications.push({ notificationId: 'PaymentRefunded:o9', orderId: 'o9', eventType: 'PaymentRefunded', status: 'SENDING', claimedAt: longAgo });
    s.notifications[0]!.attempts = 2;
    const report = checkInvariants(s);
    expect(report.ok).toBe(true);
    expect(report.warnings.map((w) => w.kind).sort()).toEqual(['claim-taken-over', 'stale-notification-claim']);
  });
});

describe('scope', () => {
  function twoSkus(): Snapshot {
    const s = healthy();
    s.stock.push({ sku: 'B', available: 1, held: 0, stockedAvailable: 3, stockedHeld: 0 }); // broken, out of scope
    s.orders.push({ orderId: 'ob', status: 'FAILED', items: [{ sku: 'B', quantity: 1 }], createdAt: longAgo });
    s.payments.push({ orderId: 'ob', paymentId: 'pay_b', status: 'CAPTURED', amount: 1, currency: 'EUR' }); // broken, out of scope
    return s;
  }

  test('by SKU: only those SKUs and the orders containing them', () => {
    const report = checkInvariants(twoSkus(), { scope: { skus: new Set(['A']) } });
    expect(report.violations).toEqual([]);
    expect(report.checked).toMatchObject({ skus: 1, orders: 3 });
    expect(violated(twoSkus(), { scope: { skus: new Set(['B']) } })).toEqual(['stock-conserved B', 'failed-no-net-charge ob']);
  });

  test('by order: those orders and their SKUs', () => {
    expect(violated(twoSkus(), { scope: { orderIds: new Set(['o1']) } })).toEqual([]);
    expect(violated(twoSkus(), { scope: { orderIds: new Set(['ob']) } })).toEqual(['stock-conserved B', 'failed-no-net-charge ob']);
  });

  test('unscoped: everything', () => {
    expect(violated(twoSkus())).toEqual(['stock-conserved B', 'failed-no-net-charge ob']);
  });
});
