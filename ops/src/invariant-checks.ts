/**
 * The platform's guarantees as checks over a snapshot of its tables and saga executions. Pure: the
 * snapshot is read by snapshot.ts (DynamoDB scans and DescribeExecution), the checks run here.
 *
 * Stock ("never oversells"), per SKU (`held`: units reserved, or shipped and not given back):
 *   stock-conserved               available + held = the stock the last PUT left
 *                                 (stockedAvailable + stockedHeld, recorded by that PUT)
 *   stock-non-negative            neither available nor held below zero
 *   held-matches-reservations     held = sum of the SKU's quantities in RESERVED and SHIPPED
 *                                 reservations (shipping moves no stock; a release gives it back)
 * Orders ("never keeps money for an order it did not fulfil", "never loses an order"):
 *   confirmed-captured-once       a CONFIRMED order has its one payment CAPTURED, for its total
 *   confirmed-shipped-once        a CONFIRMED order has its one reservation SHIPPED, with its lines
 *   failed-no-net-charge          a FAILED order's payment is absent, DECLINED, VOIDED or REFUNDED
 *   failed-no-reservation-left    a FAILED order's reservation is absent or RELEASED
 *   pending-only-while-running    a PENDING order's saga execution is RUNNING (or it was placed
 *                                 less than `pendingGraceMs` ago and its saga has not started yet)
 *   captured-payment-has-order    no CAPTURED payment without an order
 * Notifications ("at most one notification per event"):
 *   one-notification-per-event    at most one notification per (order, event type)
 *   notification-matches-outcome  OrderConfirmed only for a CONFIRMED order, OrderFailed only for a
 *                                 FAILED one, PaymentRefunded only for a REFUNDED payment
 *
 * The counters and the reservations are read by two scans: check a stack that is quiet (no saga
 * in flight), or expect the reservation checks to catch a move in between.
 */

export interface Line {
  sku: string;
  quantity: number;
}

export interface StockRow {
  sku: string;
  available: number;
  /** Units held by orders: reserved, or shipped and not given back. */
  held: number;
  /** What the last PUT set `available` to; with stockedHeld, the SKU's total stock. */
  stockedAvailable?: number;
  /** held when the last PUT ran. */
  stockedHeld?: number;
}

export interface ReservationRow {
  orderId: string;
  status: 'RESERVED' | 'SHIPPED' | 'RELEASED';
  lines: Line[];
  shipmentId?: string;
}

export interface OrderRow {
  orderId: string;
  customerId?: string;
  status: 'PENDING' | 'CONFIRMED' | 'FAILED';
  items: Line[];
  createdAt: string;
  total?: { amount: number; currency: string };
  paymentId?: string;
  shipmentId?: string;
  failureReason?: string;
}

export interface PaymentRow {
  orderId: string;
  paymentId: string;
  status: 'CAPTURED' | 'DECLINED' | 'REFUNDED' | 'VOIDED';
  amount?: number;
  currency?: string;
}

export interface NotificationRow {
  notificationId: string;
  orderId: string;
  eventType: string;
  status: 'SENDING' | 'SENT';
  claimedAt?: string;
  attempts?: number;
}

/** A PENDING order's execution: its status, or MISSING when none exists under its name. */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE' | 'MISSING';

export interface Snapshot {
  stock: StockRow[];
  reservations: ReservationRow[];
  orders: OrderRow[];
  payments: PaymentRow[];
  notifications: NotificationRow[];
  /** Only the PENDING orders' executions are needed. */
  executions: Map<string, ExecutionStatus>;
  takenAt: Date;
}

export interface Scope {
  /** Only these SKUs, and the orders that contain one of them. */
  skus?: ReadonlySet<string>;
  /** Only these orders (and, when no SKUs are given, the SKUs they contain). */
  orderIds?: ReadonlySet<string>;
}

export interface CheckOptions {
  scope?: Scope;
  /** A PENDING order younger than this may not have its execution yet (default 2 minutes). */
  pendingGraceMs?: number;
  /** A SENDING notification claim older than this is reported as stuck (default 10 minutes). */
  staleClaimMs?: number;
}

export const INVARIANTS = [
  'stock-conserved',
  'stock-non-negative',
  'held-matches-reservations',
  'confirmed-captured-once',
  'confirmed-shipped-once',
  'failed-no-net-charge',
  'failed-no-reservation-left',
  'pending-only-while-running',
  'captured-payment-has-order',
  'one-notification-per-event',
  'notification-matches-outcome',
] as const;
export type Invariant = (typeof INVARIANTS)[number];

export interface Violation {
  invariant: Invariant;
  /** The SKU or order concerned. */
  subject: string;
  detail: string;
}

export interface Warning {
  kind: 'stock-not-recorded' | 'stale-notification-claim' | 'claim-taken-over';
  subject: string;
  detail: string;
}

export interface Report {
  ok: boolean;
  takenAt: string;
  checked: { skus: number; orders: number; payments: number; notifications: number };
  orders: { CONFIRMED: number; FAILED: number; PENDING: number; pendingRunning: number };
  /** Terminal orders whose outcome notification (OrderConfirmed / OrderFailed) is not there (yet). */
  terminalWithoutNotification: number;
  violations: Violation[];
  /** Counted per invariant, every invariant present (zero when it holds). */
  violationsByInvariant: Record<Invariant, number>;
  warnings: Warning[];
}

const NO_CHARGE = new Set(['DECLINED', 'VOIDED', 'REFUNDED']);

const sumBySku = (lines: Line[]) => {
  const sums = new Map<string, number>();
  for (const { sku, quantity } of lines) sums.set(sku, (sums.get(sku) ?? 0) + quantity);
  return sums;
};

const sameLines = (a: Line[], b: Line[]) => {
  const x = sumBySku(a);
  const y = sumBySku(b);
  return x.size === y.size && [...x].every(([sku, quantity]) => y.get(sku) === quantity);
};

const describeLines = (lines: Line[]) => lines.map((l) => `${l.quantity} x ${l.sku}`).join(', ') || 'none';

/** Where the checks write what they find. */
interface Findings {
  violations: Violation[];
  warnings: Warning[];
  violate(invariant: Invariant, subject: string, detail: string): void;
}

function findings(): Findings {
  const violations: Violation[] = [];
  return { violations, warnings: [], violate: (invariant, subject, detail) => violations.push({ invariant, subject, detail }) };
}

/** What is in scope: orders by id or by SKU; SKUs by name, else the SKUs of the orders in scope. */
function inScope(snapshot: Snapshot, scope: Scope): { scoped: boolean; orders: OrderRow[]; stock: StockRow[] } {
  const scoped = scope.skus !== undefined || scope.orderIds !== undefined;
  const orderInScope = (order: OrderRow) =>
    !scoped || scope.orderIds?.has(order.orderId) === true || (scope.skus !== undefined && order.items.some((line) => scope.skus!.has(line.sku)));
  const orders = snapshot.orders.filter(orderInScope);
  const skusInScope = scope.skus ?? (scope.orderIds ? new Set(orders.flatMap((order) => order.items.map((line) => line.sku))) : undefined);
  const stock = snapshot.stock.filter((row) => skusInScope === undefined || skusInScope.has(row.sku));
  return { scoped, orders, stock };
}

function checkStock(stock: StockRow[], reservations: ReservationRow[], found: Findings): void {
  const { violate } = found;
  // A RESERVED or a SHIPPED reservation holds its lines; only a release gives them back.
  const held = new Map<string, number>();
  for (const reservation of reservations) {
    if (reservation.status === 'RELEASED') continue;
    for (const [sku, quantity] of sumBySku(reservation.lines)) held.set(sku, (held.get(sku) ?? 0) + quantity);
  }
  for (const row of stock) {
    const total = row.available + row.held;
    if (row.stockedAvailable === undefined || row.stockedHeld === undefined) {
      found.warnings.push({ kind: 'stock-not-recorded', subject: row.sku, detail: 'no stocking record (last PUT predates it): stock-conserved not checked' });
    } else if (total !== row.stockedAvailable + row.stockedHeld) {
      violate(
        'stock-conserved',
        row.sku,
        `available ${row.available} + held ${row.held} = ${total}, but the last PUT left ${row.stockedAvailable + row.stockedHeld} (available ${row.stockedAvailable} + held ${row.stockedHeld})`,
      );
    }
    for (const counter of ['available', 'held'] as const) {
      if (row[counter] < 0) violate('stock-non-negative', row.sku, `${counter} is ${row[counter]}`);
    }
    const expected = held.get(row.sku) ?? 0;
    if (row.held !== expected) violate('held-matches-reservations', row.sku, `held is ${row.held}, RESERVED and SHIPPED reservations hold ${expected}`);
  }
}

function checkConfirmed(order: OrderRow, payment: PaymentRow | undefined, reservation: ReservationRow | undefined, { violate }: Findings): void {
  if (!payment) violate('confirmed-captured-once', order.orderId, 'no payment');
  else if (payment.status !== 'CAPTURED') violate('confirmed-captured-once', order.orderId, `payment ${payment.paymentId} is ${payment.status}`);
  else if (order.total && (payment.amount !== order.total.amount || payment.currency !== order.total.currency)) {
    violate('confirmed-captured-once', order.orderId, `captured ${payment.amount} ${payment.currency}, the order's total is ${order.total.amount} ${order.total.currency}`);
  } else if (order.paymentId !== undefined && order.paymentId !== payment.paymentId) {
    violate('confirmed-captured-once', order.orderId, `the order names payment ${order.paymentId}, the captured one is ${payment.paymentId}`);
  }
  if (!reservation) violate('confirmed-shipped-once', order.orderId, 'no reservation');
  else if (reservation.status !== 'SHIPPED') violate('confirmed-shipped-once', order.orderId, `reservation is ${reservation.status}`);
  else if (!sameLines(reservation.lines, order.items)) {
    violate('confirmed-shipped-once', order.orderId, `shipped ${describeLines(reservation.lines)}, ordered ${describeLines(order.items)}`);
  } else if (order.shipmentId !== undefined && reservation.shipmentId !== undefined && order.shipmentId !== reservation.shipmentId) {
    violate('confirmed-shipped-once', order.orderId, `the order names shipment ${order.shipmentId}, the reservation ${reservation.shipmentId}`);
  }
}

function checkFailed(order: OrderRow, payment: PaymentRow | undefined, reservation: ReservationRow | undefined, { violate }: Findings): void {
  if (payment && !NO_CHARGE.has(payment.status)) {
    violate('failed-no-net-charge', order.orderId, `payment ${payment.paymentId} is ${payment.status} (${payment.amount} ${payment.currency}); failureReason ${order.failureReason ?? '?'}`);
  }
  if (reservation && reservation.status !== 'RELEASED') {
    violate('failed-no-reservation-left', order.orderId, `reservation is ${reservation.status} (${describeLines(reservation.lines)}); failureReason ${order.failureReason ?? '?'}`);
  }
}

/** A PENDING order is fine while its saga runs, or shortly after it was placed; true when its saga runs. */
function checkPending(order: OrderRow, execution: ExecutionStatus, now: number, pendingGraceMs: number, { violate }: Findings): boolean {
  if (execution === 'RUNNING') return true;
  if (execution === 'MISSING') {
    const age = now - Date.parse(order.createdAt);
    if (!(age < pendingGraceMs)) violate('pending-only-while-running', order.orderId, `PENDING for ${Math.round(age / 1000)} s and no saga execution exists`);
  } else {
    violate('pending-only-while-running', order.orderId, `PENDING but its saga execution is ${execution}`);
  }
  return false;
}

function checkNotifications(
  notifications: NotificationRow[],
  ordersById: Map<string, OrderRow>,
  payments: Map<string, PaymentRow>,
  limits: { now: number; staleClaimMs: number },
  found: Findings,
): void {
  const { violate } = found;
  const perEvent = new Map<string, NotificationRow[]>();
  for (const notification of notifications) {
    const key = `${notification.eventType}:${notification.orderId}`;
    perEvent.set(key, [...(perEvent.get(key) ?? []), notification]);
    const order = ordersById.get(notification.orderId);
    // Notifications about orders that were never placed (hand-published test events) have nothing to match.
    if (order) {
      const expected = notification.eventType === 'OrderConfirmed' ? 'CONFIRMED' : notification.eventType === 'OrderFailed' ? 'FAILED' : undefined;
      if (expected && order.status !== expected) {
        violate('notification-matches-outcome', order.orderId, `${notification.eventType} notification for an order that is ${order.status}`);
      }
      if (notification.eventType === 'PaymentRefunded' && payments.get(order.orderId)?.status !== 'REFUNDED') {
        violate('notification-matches-outcome', order.orderId, `PaymentRefunded notification, but the payment is ${payments.get(order.orderId)?.status ?? 'absent'}`);
      }
    }
    if (notification.status === 'SENDING' && notification.claimedAt && limits.now - Date.parse(notification.claimedAt) >= limits.staleClaimMs) {
      found.warnings.push({
        kind: 'stale-notification-claim',
        subject: notification.notificationId,
        detail: `claimed at ${notification.claimedAt} and not sent: the next copy of its message takes it over (is the message in the DLQ?)`,
      });
    }
    if ((notification.attempts ?? 1) > 1) {
      found.warnings.push({ kind: 'claim-taken-over', subject: notification.notificationId, detail: `claimed ${notification.attempts} times: a consumer died mid-send; an e-mail may have gone twice` });
    }
  }
  for (const [key, rows] of perEvent) {
    if (rows.length > 1) violate('one-notification-per-event', key, `${rows.length} notifications: ${rows.map((r) => r.notificationId).join(', ')}`);
  }
}

export function checkInvariants(snapshot: Snapshot, options: CheckOptions = {}): Report {
  const pendingGraceMs = options.pendingGraceMs ?? 120_000;
  const staleClaimMs = options.staleClaimMs ?? 600_000;
  const now = snapshot.takenAt.getTime();
  const found = findings();
  const { scoped, orders, stock } = inScope(snapshot, options.scope ?? {});

  const ordersById = new Map(snapshot.orders.map((order) => [order.orderId, order]));
  const reservations = new Map(snapshot.reservations.map((reservation) => [reservation.orderId, reservation]));
  const payments = new Map(snapshot.payments.map((payment) => [payment.orderId, payment]));

  checkStock(stock, snapshot.reservations, found);

  const counts = { CONFIRMED: 0, FAILED: 0, PENDING: 0, pendingRunning: 0 };
  for (const order of orders) {
    counts[order.status] += 1;
    const payment = payments.get(order.orderId);
    const reservation = reservations.get(order.orderId);
    if (order.status === 'CONFIRMED') checkConfirmed(order, payment, reservation, found);
    else if (order.status === 'FAILED') checkFailed(order, payment, reservation, found);
    else if (checkPending(order, snapshot.executions.get(order.orderId) ?? 'MISSING', now, pendingGraceMs, found)) counts.pendingRunning += 1;
  }

  const paymentsInScope = scoped ? snapshot.payments.filter((payment) => orders.some((order) => order.orderId === payment.orderId)) : snapshot.payments;
  if (!scoped) {
    for (const payment of paymentsInScope) {
      if (payment.status === 'CAPTURED' && !ordersById.has(payment.orderId)) {
        found.violate('captured-payment-has-order', payment.orderId, `payment ${payment.paymentId} captured ${payment.amount} ${payment.currency} for an order that does not exist`);
      }
    }
  }

  const orderIdsInScope = new Set(orders.map((order) => order.orderId));
  const notifications = scoped ? snapshot.notifications.filter((n) => orderIdsInScope.has(n.orderId)) : snapshot.notifications;
  checkNotifications(notifications, ordersById, payments, { now, staleClaimMs }, found);
  const notified = new Set(notifications.filter((n) => n.eventType === 'OrderConfirmed' || n.eventType === 'OrderFailed').map((n) => n.orderId));
  const terminalWithoutNotification = orders.filter((order) => order.status !== 'PENDING' && !notified.has(order.orderId)).length;

  const { violations, warnings } = found;
  const violationsByInvariant = Object.fromEntries(INVARIANTS.map((invariant) => [invariant, 0])) as Record<Invariant, number>;
  for (const violation of violations) violationsByInvariant[violation.invariant] += 1;
  return {
    ok: violations.length === 0,
    takenAt: snapshot.takenAt.toISOString(),
    checked: { skus: stock.length, orders: orders.length, payments: paymentsInScope.length, notifications: notifications.length },
    orders: counts,
    terminalWithoutNotification,
    violations,
    violationsByInvariant,
    warnings,
  };
}
