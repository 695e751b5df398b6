/**
 * Chaos: at least 500 orders while every saga step and compensation, both stream publishers, the
 * notification consumer and POST /orders fail at random (transient errors, timeouts, side effect
 * without reply) and the pollers deliver SQS messages and stream records twice. After the system
 * settles: every order is CONFIRMED or FAILED, none is lost or duplicated, each has exactly one
 * notification of its outcome, no message is left behind, and `npm run check:invariants` finds
 * zero violations. The faults injected are counted from the stack's faults log and printed; the
 * test fails if any kind was not injected (a run without faults proves nothing).
 *
 * Fault injection: shared/src/lambda/fault-injection.ts (functions) and local-stack's pollers
 * (duplicates), configured by the stack's faults file; see docs/guarantees.md.
 */
import { countFaults, readFaultLog, type FaultsConfig, type FaultLogEntry } from '../../shared/src/lambda/fault-injection';
import { seededRandom } from '../../tools/local-stack/src/chaos/kill-plan';
import { deadLetterQueues, findDeadLetterQueue, listStageQueues, redrive } from '../../ops/src/dead-letters';
import { e2eContext, eventually, unique, type E2eContext } from './support/context';
import { clearFaults, invariants, mapLimit, placeOrder, putStock, queueDepth, setFaults, snapshot, withQueueAttribute } from './support/guarantees';

jest.setTimeout(1_200_000);

const ORDERS = Number(process.env.CHAOS_ORDERS ?? 500);
const IN_FLIGHT = 25;

/** Every saga Task: the forward steps and the compensations. */
const SAGA_FUNCTIONS = [
  'inventory-local-reserve',
  'payment-local-charge',
  'inventory-local-ship',
  'order-local-confirmOrder',
  'inventory-local-release',
  'payment-local-refund',
  'order-local-markOrderFailed',
];
const STEP_FAULTS = { transient: 0.08, timeout: 0.02, afterEffect: 0.1 };
const FAULTS: FaultsConfig = {
  ...Object.fromEntries(SAGA_FUNCTIONS.map((name) => [name, STEP_FAULTS])),
  'order-local-createOrder': { transient: 0.05, afterEffect: 0.05 },
  'order-local-publish': { transient: 0.05, afterEffect: 0.05, duplicate: 0.1 },
  'payment-local-publish': { transient: 0.05, afterEffect: 0.05, duplicate: 0.1 },
  'notification-local-consume': { transient: 0.05, afterEffect: 0.1, duplicate: 0.1 },
};


let s: E2eContext;
let restoreVisibility: (() => Promise<void>) | undefined;

beforeAll(async () => {
  s = e2eContext();
  // The template's 60 s visibility timeout would make every failed delivery wait a minute; 5 s keeps the semantics.
  restoreVisibility = await withQueueAttribute(s, 'notification-local-events', 'VisibilityTimeout', '5');
});

afterAll(async () => {
  clearFaults(s);
  await restoreVisibility?.();
  s.close();
});

test(`${ORDERS} orders under injected faults all finish, nothing lost or duplicated, every invariant holds`, async () => {
  const started = new Date();
  const run = unique('chaos');
  const random = seededRandom(20_261_129); // the same order mix on every run
  const skus = ['A', 'B', 'C', 'D', 'E'].map((letter) => `${run}-${letter}`);
  const scarce = `${run}-SCARCE`;
  for (const [index, sku] of skus.entries()) await putStock(s, sku, { price: 500 + 250 * index, currency: 'EUR', available: 5_000 });
  await putStock(s, scarce, { price: 9_900, currency: 'EUR', available: 15 });

  const orders = Array.from({ length: ORDERS }, (_, i) => {
    const lines = new Map<string, number>();
    const count = 1 + Math.floor(random() * 3);
    for (let l = 0; l < count; l++) lines.set(skus[Math.floor(random() * skus.length)]!, 1 + Math.floor(random() * 3));
    if (random() < 0.1) lines.set(scarce, 1 + Math.floor(random() * 2));
    const roll = random();
    const paymentToken = roll < 0.8 ? 'tok_visa' : roll < 0.92 ? 'tok_decline' : 'tok_error';
    const customerId = `${run}-c${i}`;
    return { customerId, email: `${customerId}@example.com`, items: [...lines].map(([sku, quantity]) => ({ sku, quantity })), paymentToken };
  });

  setFaults(s, FAULTS);
  const placed = await mapLimit(orders, IN_FLIGHT, (order, i) => placeOrder(s, order, `chaos-${i}`));
  const placedAt = Date.now();
  const orderIds = new Set(placed.map((p) => p.orderId));

  // Settled: every order finished. Faults stay on until then.
  const mine = async () => (await snapshot(s)).orders.filter((order) => orderIds.has(order.orderId));
  const allFinished = await eventually(async () => (await mine()).every((order) => order.status !== 'PENDING'), Boolean, 900_000, 3_000);
  const finishedAt = Date.now();

  // ...and every order's outcome notification is there, once; a message parked in the DLQ after
  // maxReceiveCount failed deliveries is moved back with the ops command's redrive.
  const outcomeNotified = async () => {
    const snap = await snapshot(s);
    const notified = new Set(snap.notifications.filter((n) => orderIds.has(n.orderId) && n.eventType !== 'PaymentRefunded' && n.status === 'SENT').map((n) => n.orderId));
    return notified.size === orderIds.size;
  };
  let notifiedAll = await eventually(outcomeNotified, Boolean, 120_000, 2_000);
  clearFaults(s);
  let redriven = 0;
  if (!notifiedAll) {
    const dlqs = deadLetterQueues(await listStageQueues(s.sqs, 'local'));
    const dlq = findDeadLetterQueue(dlqs, 'notification-local-events-dlq');
    if (dlq.visible > 0) {
      const result = await redrive(s.sqs, dlq);
      redriven = result.method === 'receive-send-delete' ? result.moved : 0;
    }
    notifiedAll = await eventually(outcomeNotified, Boolean, 120_000, 2_000);
  }
  const queuesDrained = await eventually(async () => {
    const depth = await queueDepth(s, 'notification-local-events');
    return depth.visible + depth.inFlight === 0;
  }, Boolean, 120_000, 2_000);
  const settledAt = Date.now();

  // What happened.
  const faults: FaultLogEntry[] = readFaultLog(s.faultsLog, started);
  const byKind = countFaults(faults);
  const byFunction: Record<string, Record<string, number>> = {};
  for (const fault of faults) (byFunction[fault.functionName] ??= {})[fault.kind] = ((byFunction[fault.functionName] ?? {})[fault.kind] ?? 0) + 1;
  const final = await mine();
  const outcomes: Record<string, number> = {};
  for (const order of final) {
    const key = order.status === 'FAILED' ? `FAILED ${order.failureReason}` : order.status;
    outcomes[key] = (outcomes[key] ?? 0) + 1;
  }
  const snap = await snapshot(s);
  const customers = new Set(orders.map((o) => o.customerId));
  const ordersPerCustomer = new Map<string, number>();
  for (const order of snap.orders) if (order.customerId && customers.has(order.customerId)) ordersPerCustomer.set(order.customerId, (ordersPerCustomer.get(order.customerId) ?? 0) + 1);
  const notificationsPerOrder = new Map<string, number>();
  for (const n of snap.notifications) if (orderIds.has(n.orderId) && n.eventType !== 'PaymentRefunded') notificationsPerOrder.set(n.orderId, (notificationsPerOrder.get(n.orderId) ?? 0) + 1);
  const report = await invariants(s, { scope: { skus: new Set([...skus, scarce]) } });
  const dlqDepths = {
    'notification-local-events-dlq': await queueDepth(s, 'notification-local-events-dlq'),
    'order-local-publish-dlq': await queueDepth(s, 'order-local-publish-dlq'),
    'payment-local-publish-dlq': await queueDepth(s, 'payment-local-publish-dlq'),
  };
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(
    [
      `chaos: ${ORDERS} orders, ${IN_FLIGHT} POSTs in flight, faults ${JSON.stringify(FAULTS['inventory-local-reserve'])} per saga step`,
      `  faults injected: ${JSON.stringify(byKind)} (total ${faults.length})`,
      ...Object.entries(byFunction)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([fn, kinds]) => `    ${fn.padEnd(28)} ${JSON.stringify(kinds)}`),
      `  POSTs: ${placed.reduce((sum, p) => sum + p.attempts, 0)} for ${ORDERS} orders (${placed.filter((p) => p.attempts > 1).length} retried, ${placed.filter((p) => p.replayed).length} answered as replays)`,
      `  outcomes: ${JSON.stringify(outcomes)}`,
      `  placed in ${seconds(placedAt - started.getTime())}, all finished after ${seconds(finishedAt - started.getTime())}, settled after ${seconds(settledAt - started.getTime())}; ${redriven} notification(s) redriven from the DLQ`,
      `  dead-letter queues at the end: ${JSON.stringify(dlqDepths)}`,
      `  invariants: ${report.ok ? 'all hold' : JSON.stringify(report.violations.slice(0, 20))} (${report.checked.orders} orders, ${report.checked.skus} SKUs checked)`,
    ].join('\n'),
  );

  // Faults of every kind were injected, into every saga step and compensation.
  expect(byKind.transient).toBeGreaterThan(0);
  expect(byKind.timeout).toBeGreaterThan(0);
  expect(byKind.afterEffect).toBeGreaterThan(0);
  expect(byKind.duplicate).toBeGreaterThan(0);
  for (const fn of SAGA_FUNCTIONS) expect({ fn, faults: Object.values(byFunction[fn] ?? {}).reduce((a, b) => a + b, 0) > 0 }).toEqual({ fn, faults: true });

  // Every order finished; none lost, none duplicated (one per customer, whatever the retries).
  expect(allFinished).toBe(true);
  expect(orderIds.size).toBe(ORDERS);
  expect(final).toHaveLength(ORDERS);
  expect(final.filter((order) => order.status === 'PENDING')).toEqual([]);
  expect([...customers].filter((c) => ordersPerCustomer.get(c) !== 1)).toEqual([]);
  // No injected fault ends an order FAILED: the forward steps' retries outlast them (docs/guarantees.md,
  // "Retry budget"). Each failure is one its order asked for: out of stock, a declined card, or
  // tok_error's provider outage, which outlasts every retry by design.
  const tokenOf = new Map(placed.map((p, i) => [p.orderId, orders[i]!.paymentToken]));
  const expectedFailure = (token: string | undefined) => ['OUT_OF_STOCK', ...(token === 'tok_decline' ? ['PAYMENT_DECLINED'] : token === 'tok_error' ? ['PAYMENT_UNAVAILABLE'] : [])];
  expect(final.filter((o) => o.status === 'FAILED' && !expectedFailure(tokenOf.get(o.orderId)).includes(o.failureReason ?? '')).map((o) => `${o.orderId} ${tokenOf.get(o.orderId)} ${o.failureReason}`)).toEqual([]);
  // Exactly one outcome notification per order; nothing left in a queue or a dead-letter queue.
  expect(notifiedAll).toBe(true);
  expect([...orderIds].filter((id) => notificationsPerOrder.get(id) !== 1)).toEqual([]);
  expect(queuesDrained).toBe(true);
  expect(dlqDepths['order-local-publish-dlq'].visible + dlqDepths['payment-local-publish-dlq'].visible).toBe(0);
  expect(report.violations).toEqual([]);
  expect(report.orders.PENDING).toBe(0);
});
