/**
 * Never oversells: 200 orders placed at once for a SKU with 50 in stock end with exactly 50
 * CONFIRMED and 150 FAILED with OUT_OF_STOCK; the stock counters never go below zero while the
 * orders race (sampled throughout), and the invariants of `npm run check:invariants` hold after.
 * On the real local stack (`npm start`, or the one the e2e setup starts); no faults injected.
 */
import { e2eContext, eventually, sleep, unique, type E2eContext } from './support/context';
import { clearFaults, http, invariants, mapLimit, placeOrder, putStock, snapshot } from './support/guarantees';

jest.setTimeout(600_000);

const ORDERS = 200;
const STOCK = 50;
let s: E2eContext;

beforeAll(() => {
  s = e2eContext();
  clearFaults(s);
});
afterAll(() => s.close());

test(`${ORDERS} concurrent orders for ${STOCK} units: exactly ${STOCK} confirmed, the rest out of stock, never below zero`, async () => {
  const sku = unique('HOT');
  await putStock(s, sku, { price: 1250, currency: 'EUR', available: STOCK });

  // Sample the counters while the orders race, until every order has finished.
  const samples: Array<{ available: number; held: number }> = [];
  let racing = true;
  const sampler = (async () => {
    const headers = await s.credentials.admin();
    while (racing) {
      const answer = await http<{ available: number; held: number }>('GET', `${s.endpoints.inventoryApi}/inventory/${sku}`, { headers });
      if (answer.status === 200) samples.push(answer.body);
      await sleep(50);
    }
  })();

  const started = Date.now();
  // All at once: every POST is in flight before the first answer is needed.
  const placed = await mapLimit(Array.from({ length: ORDERS }, (_, i) => i), ORDERS, (i) => {
    const customerId = unique(`hot${i}`);
    return placeOrder(s, { customerId, email: `${customerId}@example.com`, items: [{ sku, quantity: 1 }], paymentToken: 'tok_visa' }, `hot-${i}`);
  });
  const placedMs = Date.now() - started;
  const orderIds = new Set(placed.map((p) => p.orderId));
  expect(orderIds.size).toBe(ORDERS);

  const settled = await eventually(async () => {
    const snap = await snapshot(s);
    return snap.orders.filter((o) => orderIds.has(o.orderId)).every((o) => o.status !== 'PENDING');
  }, Boolean, 300_000, 1_000);
  const settledMs = Date.now() - started;
  racing = false;
  await sampler;
  expect(settled).toBe(true);

  const final = (await snapshot(s)).orders.filter((o) => orderIds.has(o.orderId));
  const outcome = (o: (typeof final)[number]) => (o.status === 'FAILED' ? `FAILED ${o.failureReason}` : o.status);
  const counts: Record<string, number> = {};
  for (const order of final) counts[outcome(order)] = (counts[outcome(order)] ?? 0) + 1;
  const lowest = {
    available: Math.min(...samples.map((x) => x.available)),
    held: Math.min(...samples.map((x) => x.held)),
  };
  const report = await invariants(s, { scope: { skus: new Set([sku]) } });
  console.log(
    [
      `concurrency: ${ORDERS} orders for ${STOCK} units of ${sku}`,
      `  placed in ${(placedMs / 1000).toFixed(1)} s (${placed.filter((p) => p.attempts > 1).length} POSTs retried), all finished ${(settledMs / 1000).toFixed(1)} s after the first POST`,
      `  outcomes: ${JSON.stringify(counts)}`,
      `  ${samples.length} stock samples while racing, lowest counters: ${JSON.stringify(lowest)}`,
      `  invariants: ${report.ok ? 'all hold' : JSON.stringify(report.violations.slice(0, 10))}`,
    ].join('\n'),
  );

  expect(counts).toEqual({ CONFIRMED: STOCK, 'FAILED OUT_OF_STOCK': ORDERS - STOCK });
  expect(samples.length).toBeGreaterThan(0);
  expect(lowest.available).toBeGreaterThanOrEqual(0);
  expect(lowest.held).toBeGreaterThanOrEqual(0);
  const stock = (await snapshot(s)).stock.find((row) => row.sku === sku);
  expect(stock).toMatchObject({ available: 0, held: STOCK });
  expect(report.violations).toEqual([]);
  expect(report.orders).toMatchObject({ CONFIRMED: STOCK, FAILED: ORDERS - STOCK, PENDING: 0 });
});
