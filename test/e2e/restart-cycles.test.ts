/**
 * Stop/start cycles at random moments of a burst (issue 16): the stack is stopped (SIGTERM, as
 * Ctrl-C) and started again three times while orders are being placed and their sagas run. After
 * each start, every record read before the stop (orders, payments, notifications, stock) is still
 * there and no order or notification went back a step; after the last start, every order finishes,
 * each is charged at most once and has exactly one outcome notification, and every invariant of
 * `npm run check:invariants` holds. The clients retry through the gaps, as careful clients do:
 * one Idempotency-Key per order.
 */
import path from 'node:path';
import { devCredentials, PlatformClient, type PlaceOrderInput } from '../../tools/local-stack/src/client/platform-client';
import { seededRandom } from '../../tools/local-stack/src/chaos/kill-plan';
import { checkInvariants, type Snapshot } from '../../ops/src/invariant-checks';
import { readSnapshot } from '../../ops/src/snapshot';
import { resolveTarget } from '../../ops/src/target';
import { sleep, unique } from './support/context';
import { mapLimit } from './support/guarantees';
import { restartableStack } from './support/restartable-stack';

jest.setTimeout(20 * 60_000);

const ORDERS = 30;
const CYCLES = 3;
// Two clients with pauses of up to 3 s between orders: the burst outlasts the up-time between the stops.
const IN_FLIGHT = 2;

const stack = restartableStack('restart-cycles');
afterAll(() => stack.cleanUp());

/** Retries through a stopped stack (refused connections, 5xx) for as long as a restart may take. */
async function throughRestarts<T>(fn: () => Promise<T>, timeoutMs = 300_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fn();
    } catch (error) {
      const status = (error as { status?: number }).status;
      if ((status !== undefined && status < 500) || Date.now() > deadline) throw error;
      await sleep(Math.min(2_000, 100 * 2 ** attempt));
    }
  }
}

const RANK: Record<string, number> = { PENDING: 0, SENDING: 0, CONFIRMED: 1, FAILED: 1, SENT: 1 };

/** What a stop must not lose: every record read before it, and how far it had got. */
function lostOrRegressed(before: Snapshot, after: Snapshot): string[] {
  const problems: string[] = [];
  const orders = new Map(after.orders.map((o) => [o.orderId, o]));
  for (const order of before.orders) {
    const now = orders.get(order.orderId);
    if (!now) problems.push(`order ${order.orderId} (${order.status}) is gone`);
    else if ((RANK[now.status] ?? 0) < (RANK[order.status] ?? 0) || (RANK[order.status] === 1 && now.status !== order.status)) {
      problems.push(`order ${order.orderId} went from ${order.status} to ${now.status}`);
    }
  }
  const payments = new Set(after.payments.map((p) => p.orderId));
  for (const payment of before.payments) if (!payments.has(payment.orderId)) problems.push(`payment of ${payment.orderId} is gone`);
  const notifications = new Map(after.notifications.map((n) => [n.notificationId, n]));
  for (const notification of before.notifications) {
    const now = notifications.get(notification.notificationId);
    if (!now) problems.push(`notification ${notification.notificationId} (${notification.status}) is gone`);
    else if (notification.status === 'SENT' && now.status !== 'SENT') problems.push(`notification ${notification.notificationId} went from SENT to ${now.status}`);
  }
  const reservations = new Set(after.reservations.map((r) => r.orderId));
  for (const reservation of before.reservations) if (!reservations.has(reservation.orderId)) problems.push(`reservation of ${reservation.orderId} is gone`);
  const skus = new Set(after.stock.map((s) => s.sku));
  for (const stock of before.stock) if (!skus.has(stock.sku)) problems.push(`stock ${stock.sku} is gone`);
  return problems;
}

test(`${CYCLES} stop/start cycles during a burst of ${ORDERS} orders: nothing seen before a stop is lost, every order finishes once`, async () => {
  const random = seededRandom(Date.now() % 1_000_000);
  const endpoints = await stack.start();
  const endpointsFile = path.join(stack.dataDir, 'endpoints.json');
  const target = resolveTarget({ stage: 'local', endpointsFile });
  const platform = new PlatformClient(endpoints, devCredentials(path.join(stack.dataDir, 'auth')));
  const run = unique('cycles');
  const skus = [`${run}-A`, `${run}-B`];
  for (const sku of skus) await throughRestarts(() => platform.putStock(sku, { price: 650, currency: 'EUR', available: 1_000 }));
  const orders: PlaceOrderInput[] = Array.from({ length: ORDERS }, (_, i) => ({
    customerId: `${run}-c${i}`,
    email: `${run}-c${i}@example.com`,
    items: [{ sku: skus[i % 2]!, quantity: 1 + (i % 3) }],
    paymentToken: i % 7 === 3 ? 'tok_decline' : 'tok_visa',
  }));

  // The burst, paced so that the stops fall inside it; each POST retries through a stopped stack.
  const burst = mapLimit(orders, IN_FLIGHT, async (order, i) => {
    await sleep(random() * 3_000);
    const placed = await throughRestarts(async () => {
      const answer = await platform.place(order, `${run}-${i}`);
      // serverless-offline answers a function that ran out of time with 200 and Lambda's error body: a lost reply, retried.
      if (!answer.order?.orderId) throw new Error(`POST /orders answered ${answer.status} without an order`);
      return answer;
    });
    return placed.order.orderId;
  });
  const mine = (snap: Snapshot): Snapshot => {
    const ids = new Set(snap.orders.filter((o) => o.items.some((line) => skus.includes(line.sku))).map((o) => o.orderId));
    return {
      ...snap,
      orders: snap.orders.filter((o) => ids.has(o.orderId)),
      payments: snap.payments.filter((p) => ids.has(p.orderId)),
      reservations: snap.reservations.filter((r) => ids.has(r.orderId)),
      notifications: snap.notifications.filter((n) => ids.has(n.orderId)),
      stock: snap.stock.filter((s) => skus.includes(s.sku)),
    };
  };

  const cycles: string[] = [];
  for (let cycle = 1; cycle <= CYCLES; cycle += 1) {
    await sleep(1_000 + random() * 4_000);
    const before = mine(await readSnapshot(target));
    const stoppedAt = Date.now();
    await stack.stop();
    await stack.start();
    const after = mine(await throughRestarts(() => readSnapshot(target)));
    cycles.push(`cycle ${cycle}: ${before.orders.length} order(s) (${before.orders.filter((o) => o.status !== 'PENDING').length} finished), ${before.notifications.length} notifications seen before the stop; back after ${((Date.now() - stoppedAt) / 1000).toFixed(1)} s`);
    expect({ cycle, problems: lostOrRegressed(before, after) }).toEqual({ cycle, problems: [] });
  }
  const orderIds = new Set(await burst);
  expect(orderIds.size).toBe(ORDERS);

  // After the last start: every order terminal, one outcome notification each, the invariants hold.
  let final = mine(await readSnapshot(target));
  const settled = (snap: Snapshot) => {
    const outcomeNotifications = snap.notifications.filter((n) => n.eventType !== 'PaymentRefunded' && n.status === 'SENT');
    return snap.orders.length === ORDERS && snap.orders.every((o) => o.status !== 'PENDING') && outcomeNotifications.length >= ORDERS;
  };
  for (const deadline = Date.now() + 180_000; !settled(final) && Date.now() < deadline; await sleep(2_000)) final = mine(await readSnapshot(target));
  console.log([`restart cycles: ${ORDERS} orders, ${CYCLES} stop/start cycles`, ...cycles.map((line) => `  ${line}`)].join('\n'));

  expect(final.orders.filter((o) => o.status === 'PENDING').map((o) => o.orderId)).toEqual([]);
  expect(new Set(final.orders.map((o) => o.orderId))).toEqual(orderIds);
  const outcomeCount = new Map<string, number>();
  for (const n of final.notifications) if (n.eventType !== 'PaymentRefunded' && n.status === 'SENT') outcomeCount.set(n.orderId, (outcomeCount.get(n.orderId) ?? 0) + 1);
  expect([...orderIds].filter((id) => outcomeCount.get(id) !== 1)).toEqual([]);
  const report = checkInvariants(await readSnapshot(target), { scope: { skus: new Set(skus) } });
  expect(report.violations).toEqual([]);
  expect(report.orders.PENDING).toBe(0);
});
