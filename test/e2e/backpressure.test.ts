/**
 * Back-pressure at StartExecution and DynamoDB: a burst of 100 orders while Step Functions
 * throttles every StartExecution (injected: `"aws:StartExecution": {"throttle": 1}`, each SDK
 * attempt answered ThrottlingException) and the orders table half of the writes (`"aws:PutItem":
 * {"throttle": 0.5}`, ProvisionedThroughputExceededException). While throttled, POST /orders
 * answers as documented (docs/guarantees.md, the OpenAPI): 503 + Retry-After when the order could
 * not be written (the client waits and retries with its Idempotency-Key), else 202 Accepted with
 * the pending order, its Location and Retry-After, a replay the same; no saga runs. Once the
 * throttle clears, the orders stream starts every saga: every order ends terminal, none lost (one
 * per customer), none doubled (stock moved once per order, every invariant holds), nothing parked
 * in the publisher's dead-letter queue.
 */
import { readFaultLog } from '../../shared/src/lambda/fault-injection';
import { e2eContext, eventually, sleep, unique, type E2eContext } from './support/context';
import { clearFaults, http, invariants, mapLimit, putStock, queueDepth, setFaults, snapshot } from './support/guarantees';

jest.setTimeout(300_000);

const ORDERS = 100;
const IN_FLIGHT = 25;

let s: E2eContext;

beforeAll(() => {
  s = e2eContext();
});

afterAll(() => {
  clearFaults(s);
  s.close();
});

test(`StartExecution (and half the order writes) throttled during a burst of ${ORDERS} orders: 503 + Retry-After or 202 as documented, all finish once it clears, none lost or doubled`, async () => {
  const started = new Date();
  const run = unique('throttle');
  const sku = `${run}-SKU`;
  await putStock(s, sku, { price: 1_000, currency: 'EUR', available: 1_000 });
  const orders = Array.from({ length: ORDERS }, (_, i) => ({
    customerId: `${run}-c${i}`,
    email: `${run}-c${i}@example.com`,
    items: [{ sku, quantity: 1 }],
    paymentToken: 'tok_visa',
  }));
  /** Every 503 on the way, as the client saw it. */
  const refusals: Array<{ status: number; retryAfter: string | null; contentType: string | null }> = [];
  // A careful client: on 503 it waits Retry-After seconds and sends the same request again.
  const post = async (order: (typeof orders)[number], key: string) => {
    const headers = { ...(await s.credentials.customer(order.customerId)), 'content-type': 'application/json', 'idempotency-key': key };
    for (let attempt = 1; ; attempt++) {
      const answer = await http<{ orderId: string; status: string }>('POST', `${s.endpoints.orderApi}/orders`, { headers, body: JSON.stringify(order) });
      if (answer.status !== 503 || attempt === 10) return answer;
      refusals.push({ status: answer.status, retryAfter: answer.headers.get('retry-after'), contentType: answer.headers.get('content-type') });
      await sleep(Number(answer.headers.get('retry-after') ?? 1) * 1000);
    }
  };

  setFaults(s, { 'aws:StartExecution': { throttle: 1 }, 'aws:PutItem': { throttle: 0.5 } });
  const answers = await mapLimit(orders, IN_FLIGHT, (order, i) => post(order, `burst-${i}`));
  const replay = await post(orders[0]!, 'burst-0');
  const placedAt = Date.now();
  // Still throttled a moment later: nothing has started, every order waits, stored.
  await sleep(2_000);
  const orderIds = new Set(answers.map((answer) => answer.body.orderId));
  const mine = async () => (await snapshot(s)).orders.filter((order) => orderIds.has(order.orderId));
  const whileThrottled = await mine();
  const injected = readFaultLog(s.faultsLog, started).filter((entry) => entry.kind === 'throttle');
  const throttles = { StartExecution: injected.filter((e) => e.functionName === 'aws:StartExecution').length, PutItem: injected.filter((e) => e.functionName === 'aws:PutItem').length };
  clearFaults(s);
  const clearedAt = Date.now();

  const allFinished = await eventually(async () => (await mine()).every((order) => order.status !== 'PENDING'), Boolean, 180_000, 2_000);
  const finishedAt = Date.now();
  const snap = await snapshot(s);
  const final = snap.orders.filter((order) => orderIds.has(order.orderId));
  const customers = new Set(orders.map((order) => order.customerId));
  const perCustomer = new Map<string, number>();
  for (const order of snap.orders) if (order.customerId && customers.has(order.customerId)) perCustomer.set(order.customerId, (perCustomer.get(order.customerId) ?? 0) + 1);
  const stock = snap.stock.find((row) => row.sku === sku);
  const report = await invariants(s, { scope: { skus: new Set([sku]) } });
  const publishDlq = await queueDepth(s, 'order-local-publish-dlq');
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(
    [
      `back-pressure: ${ORDERS} orders, ${IN_FLIGHT} POSTs in flight, every StartExecution attempt and half the PutItem attempts throttled until ${seconds(clearedAt - started.getTime())}`,
      `  final answers while throttled: ${JSON.stringify(Object.fromEntries([...new Set(answers.map((a) => a.status))].map((status) => [status, answers.filter((a) => a.status === status).length])))}; ${refusals.length} 503s on the way (retried after Retry-After); throttled attempts ${JSON.stringify(throttles)}`,
      `  placed in ${seconds(placedAt - started.getTime())}; all finished ${seconds(finishedAt - clearedAt)} after the throttle cleared; stock ${JSON.stringify(stock)}`,
    ].join('\n'),
  );

  // While throttled: an order that could not be written is a 503 with Retry-After (problem+json);
  // once written it is accepted (202) as documented, a replay too; no saga ran.
  expect(refusals.length).toBeGreaterThan(0);
  for (const refusal of refusals) expect(refusal).toEqual({ status: 503, retryAfter: '2', contentType: 'application/problem+json' });
  expect(answers.map((answer) => answer.status)).toEqual(Array(ORDERS).fill(202));
  for (const answer of answers) {
    expect(answer.body.status).toBe('PENDING');
    expect(answer.headers.get('location')).toBe(`/orders/${answer.body.orderId}`);
    expect(answer.headers.get('retry-after')).toBe('2');
  }
  expect(replay.status).toBe(202);
  expect(replay.headers.get('idempotent-replayed')).toBe('true');
  expect(replay.body.orderId).toBe(answers[0]!.body.orderId);
  expect(throttles.StartExecution).toBeGreaterThanOrEqual(ORDERS);
  expect(throttles.PutItem).toBeGreaterThan(0);
  expect(whileThrottled).toHaveLength(ORDERS);
  expect(whileThrottled.filter((order) => order.status !== 'PENDING')).toEqual([]);

  // Once it cleared: all terminal (confirmed: stock and card are fine), none lost, none doubled.
  expect(allFinished).toBe(true);
  expect(orderIds.size).toBe(ORDERS);
  expect(final.filter((order) => order.status !== 'CONFIRMED')).toEqual([]);
  expect([...customers].filter((customer) => perCustomer.get(customer) !== 1)).toEqual([]);
  expect(stock).toMatchObject({ available: 1_000 - ORDERS, held: ORDERS });
  expect(report.violations).toEqual([]);
  expect(publishDlq.visible).toBe(0);
});
