import { eventually, type Order, type PlaceOrderInput, type PlatformClient } from '../client/platform-client';
import type { ExecutionRecord } from '../../inspector/src/core/execution';
import type { ListFilter } from '../../inspector/src/app/list';

/**
 * The smoke test's checks: the real paths of the platform, driven through its public APIs, each
 * ending in one result. Everything it writes is named by the run id (SKUs `smoke-<run>`, the
 * Idempotency-Key), and its orders belong to the run's customer, so its data is told apart.
 */

export type Outcome = 'pass' | 'fail' | 'skip';

export interface CheckResult {
  name: string;
  outcome: Outcome;
  detail: string;
  ms: number;
}

export const CHECK_NAMES = [
  'stock put/get',
  'confirmed order',
  'declined order',
  'out-of-stock order',
  'idempotent replay',
  'stock settled',
  'notification',
  'saga listed',
] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

export interface SmokeSubject {
  client: PlatformClient;
  /** The customer of the token: the run's orders belong to it. */
  customerId: string;
  /** The saga inspector's listing (ListExecutions, filtered by customer and start time). */
  listExecutions: (filter: ListFilter) => Promise<{ items: ExecutionRecord[] }>;
  runId: string;
}

export interface SmokeOptions {
  /** How long an order may take to finish, and the notification to arrive. */
  timeoutMs: number;
  /** Called as each check ends, in CHECK_NAMES order. */
  report: (result: CheckResult) => void;
  /** Called with what cleanup did. */
  note: (line: string) => void;
  /** Polling interval (tests shorten it). */
  intervalMs?: number;
}

/** The payment token the payment service's test provider declines (as `npm run demo` uses it). */
export const DECLINING_TOKEN = 'tok_decline';
export const ACCEPTED_TOKEN = 'tok_visa';
/** SES's mailbox simulator: accepts the confirmation e-mail on AWS without a real inbox (and out of the SES sandbox's way). */
export const SMOKE_EMAIL = 'success@simulator.amazonses.com';
const PRICE = 1250;
const CURRENCY = 'EUR';
const STOCK = 10;
const CONFIRMED_QUANTITY = 2;

/** The saga's end for each order outcome: CONFIRMED ends in Succeed, FAILED (after compensation) in Fail. */
const EXECUTION_STATUS: Record<Order['status'], string> = { CONFIRMED: 'SUCCEEDED', FAILED: 'FAILED', PENDING: 'RUNNING' };

class CheckFailed extends Error {}
const fail = (detail: string): never => {
  throw new CheckFailed(detail);
};
const money = (amount: number, currency: string) => `${(amount / 100).toFixed(2)} ${currency}`;

/** Runs the checks in order; a check whose prerequisite failed is skipped, saying which. */
export async function runSmoke(subject: SmokeSubject, options: SmokeOptions): Promise<CheckResult[]> {
  const { client, customerId, runId } = subject;
  const results: CheckResult[] = [];
  const record = (result: CheckResult) => {
    results.push(result);
    options.report(result);
  };
  const check = async (name: CheckName, body: () => Promise<string>, needs: Array<[boolean, string]> = []): Promise<boolean> => {
    const unmet = needs.filter(([met]) => !met).map(([, what]) => what);
    if (unmet.length > 0) {
      record({ name, outcome: 'skip', detail: `not run: needs ${unmet.join(' and ')}`, ms: 0 });
      return false;
    }
    const started = Date.now();
    try {
      record({ name, outcome: 'pass', detail: await body(), ms: Date.now() - started });
      return true;
    } catch (error) {
      const detail = error instanceof CheckFailed ? error.message : `${(error as Error).name}: ${(error as Error).message}`;
      record({ name, outcome: 'fail', detail, ms: Date.now() - started });
      return false;
    }
  };

  const sku = `smoke-${runId}`;
  const soldOut = `smoke-${runId}-soldout`;
  const since = new Date(Date.now() - 5_000);
  const order = (items: PlaceOrderInput['items'], paymentToken: string): PlaceOrderInput => ({ customerId, email: SMOKE_EMAIL, items, paymentToken });
  const waitFor = (placed: Order) => client.waitForOutcome(placed.orderId, options.timeoutMs, options.intervalMs ?? 200);
  const stocked: string[] = [];
  // What orders held of the SKU before the run's (0 for a new SKU; the PUT leaves it as it was).
  let heldBefore = 0;

  try {
    const stockOk = await check('stock put/get', async () => {
      stocked.push(sku, soldOut);
      await client.putStock(sku, { price: PRICE, currency: CURRENCY, available: STOCK });
      await client.putStock(soldOut, { price: PRICE, currency: CURRENCY, available: 0 });
      const [read, readSoldOut] = await Promise.all([client.getStock(sku), client.getStock(soldOut)]);
      if (!read) fail(`GET /inventory/${sku} answered 404 after the PUT`);
      if (read!.available !== STOCK || read!.price !== PRICE || read!.currency !== CURRENCY) {
        fail(`GET /inventory/${sku} read ${JSON.stringify(read)}, expected ${STOCK} available at ${money(PRICE, CURRENCY)}`);
      }
      heldBefore = read!.held;
      if (readSoldOut?.available !== 0) fail(`GET /inventory/${soldOut} read ${JSON.stringify(readSoldOut)}, expected 0 available`);
      return `${sku}: ${STOCK} available at ${money(PRICE, CURRENCY)}; ${soldOut}: 0 available`;
    });
    const needsStock: [boolean, string] = [stockOk, 'the smoke SKUs'];

    // The three orders run at once; their checks report in order.
    const idempotencyKey = `smoke-${runId}-confirmed`;
    const confirmedBody = order([{ sku, quantity: CONFIRMED_QUANTITY }], ACCEPTED_TOKEN);
    const start = (body: PlaceOrderInput, key?: string) => {
      const placed = client.place(body, key);
      return { placed, final: placed.then((p) => waitFor(p.order)) };
    };
    const confirmed = stockOk ? start(confirmedBody, idempotencyKey) : undefined;
    const declined = stockOk ? start(order([{ sku, quantity: 1 }], DECLINING_TOKEN)) : undefined;
    const outOfStock = stockOk ? start(order([{ sku: soldOut, quantity: 1 }], ACCEPTED_TOKEN)) : undefined;
    // A client that lost the answer POSTs again with the same key while the saga runs.
    const replay = confirmed?.placed.then(() => client.place(confirmedBody, idempotencyKey));
    for (const pending of [confirmed?.final, declined?.final, outOfStock?.final, replay]) pending?.catch(() => undefined);

    let confirmedOrder: Order | undefined;
    const confirmedOk = await check(
      'confirmed order',
      async () => {
        const final = await confirmed!.final;
        confirmedOrder = final;
        const expected = PRICE * CONFIRMED_QUANTITY;
        if (final.status !== 'CONFIRMED') fail(`${final.orderId} ${ended(final, options.timeoutMs)}, expected CONFIRMED`);
        if (final.total?.amount !== expected) fail(`${final.orderId} total ${JSON.stringify(final.total)}, expected ${money(expected, CURRENCY)}`);
        const payment = await client.getPayment(final.orderId);
        if (payment?.status !== 'CAPTURED' || payment.amount.amount !== expected) fail(`${final.orderId} CONFIRMED but its payment is ${payment ? `${payment.status} ${money(payment.amount.amount, payment.amount.currency)}` : 'absent'}, expected CAPTURED ${money(expected, CURRENCY)}`);
        return `${final.orderId} CONFIRMED, total ${money(expected, CURRENCY)}, payment CAPTURED`;
      },
      [needsStock],
    );

    await check(
      'declined order',
      async () => {
        const final = await declined!.final;
        if (final.status !== 'FAILED' || final.failureReason !== 'PAYMENT_DECLINED') fail(`${final.orderId} (${DECLINING_TOKEN}) ${ended(final, options.timeoutMs)}, expected FAILED (PAYMENT_DECLINED)`);
        const payment = await client.getPayment(final.orderId);
        if (payment && payment.status !== 'DECLINED') fail(`${final.orderId} declined but its payment is ${payment.status}`);
        return `${final.orderId} FAILED (PAYMENT_DECLINED), payment ${payment?.status ?? 'absent'}`;
      },
      [needsStock],
    );

    await check(
      'out-of-stock order',
      async () => {
        const final = await outOfStock!.final;
        if (final.status !== 'FAILED' || final.failureReason !== 'OUT_OF_STOCK') fail(`${final.orderId} (${soldOut}) ${ended(final, options.timeoutMs)}, expected FAILED (OUT_OF_STOCK)`);
        const payment = await client.getPayment(final.orderId);
        if (payment) fail(`${final.orderId} was out of stock but has a payment (${payment.status})`);
        return `${final.orderId} FAILED (OUT_OF_STOCK), no payment`;
      },
      [needsStock],
    );

    await check(
      'idempotent replay',
      async () => {
        const [first, again] = await Promise.all([confirmed!.placed, replay!]);
        if (again.order.orderId !== first.order.orderId) fail(`the second POST with Idempotency-Key ${idempotencyKey} made ${again.order.orderId}, not ${first.order.orderId}`);
        if (!again.replayed) fail(`the second POST with Idempotency-Key ${idempotencyKey} answered ${again.status} without Idempotent-Replayed: true`);
        return `a second POST with Idempotency-Key ${idempotencyKey}: ${again.status} Idempotent-Replayed, the same order ${again.order.orderId}`;
      },
      [needsStock],
    );

    await check(
      'stock settled',
      async () => {
        await Promise.allSettled([confirmed!.final, declined!.final]);
        const read = await client.getStock(sku);
        // The confirmed order holds its units (shipping moves no stock); the declined one's went back.
        const expected = { available: STOCK - CONFIRMED_QUANTITY, held: heldBefore + CONFIRMED_QUANTITY };
        if (!read || read.available !== expected.available || read.held !== expected.held) {
          fail(`${sku} reads ${read ? `available ${read.available}, held ${read.held}` : '404'}, expected available ${expected.available}, held ${expected.held} (the declined order's reservation released)`);
        }
        return `${sku}: available ${expected.available}, held ${expected.held} (the declined order's reservation released)`;
      },
      [needsStock],
    );

    await check(
      'notification',
      async () => {
        const orderId = confirmedOrder!.orderId;
        const seen = await eventually(
          () => client.listNotifications(orderId),
          (items) => items.some((n) => n.eventType === 'OrderConfirmed' && n.status === 'SENT'),
          options.timeoutMs,
          options.intervalMs ?? 500,
        );
        const sent = seen.filter((n) => n.eventType === 'OrderConfirmed' && n.status === 'SENT');
        if (sent.length === 0) fail(`no OrderConfirmed notification SENT for ${orderId} within ${options.timeoutMs / 1000} s (seen: ${seen.map((n) => `${n.eventType} ${n.status}`).join(', ') || 'none'})`);
        if (seen.length !== 1) fail(`${orderId} has ${seen.length} notifications, expected exactly one: ${seen.map((n) => `${n.eventType} ${n.status}`).join(', ')}`);
        return `OrderConfirmed for ${orderId} SENT ("${sent[0]!.subject}")`;
      },
      [needsStock, [confirmedOk, 'the confirmed order']],
    );

    await check(
      'saga listed',
      async () => {
        // Each finished order's saga, with the status its outcome implies (whether the outcome was right is checked above).
        const finals = await Promise.allSettled([confirmed!.final, declined!.final, outOfStock!.final]);
        const expected = new Map<string, string>();
        for (const final of finals) {
          if (final.status === 'fulfilled') expected.set(final.value.orderId, EXECUTION_STATUS[final.value.status]);
        }
        if (expected.size === 0) fail('no order of this run was placed');
        const matches = (items: ExecutionRecord[]) => [...expected].every(([orderId, status]) => items.some((e) => e.name === orderId && e.status === status));
        const listed = await eventually(
          async () => (await subject.listExecutions({ customerId, since, limit: 100 })).items,
          matches,
          Math.min(options.timeoutMs, 30_000),
          options.intervalMs ?? 500,
        );
        if (!matches(listed)) {
          const want = [...expected].map(([orderId, status]) => `${orderId} ${status}`).join(', ');
          const got = listed.map((e) => `${e.name} ${e.status}`).join(', ') || 'nothing';
          fail(`the inspector's listing (customer ${customerId}, since ${since.toISOString()}) has ${got}; expected ${want}`);
        }
        return `the inspector lists ${[...expected].map(([orderId, status]) => `${orderId} ${status}`).join(', ')}`;
      },
      [needsStock],
    );
  } finally {
    await cleanUp(client, stocked, customerId, options.note);
  }
  return results;
}

/**
 * The APIs have no DELETE: the smoke SKUs are set to 0 available (out of sale), and the orders,
 * payments, notifications and executions stay, told apart by the run's customer and SKU names.
 */
async function cleanUp(client: PlatformClient, skus: string[], customerId: string, note: (line: string) => void): Promise<void> {
  const emptied: string[] = [];
  for (const sku of skus) {
    try {
      await client.putStock(sku, { price: PRICE, currency: CURRENCY, available: 0 });
      emptied.push(sku);
    } catch (error) {
      note(`cleanup: could not set ${sku} to 0 available: ${(error as Error).message}`);
    }
  }
  note(
    `cleanup: the APIs delete nothing (no DELETE route), so nothing was deleted. ${emptied.length > 0 ? `${emptied.join(', ')} set to 0 available; ` : ''}` +
      `${emptied.length > 0 ? 'the' : 'The'} orders, payments, notifications and saga executions of customer ${customerId} stay, named apart by the run id.`,
  );
}

/** How an order ended, or that it did not within the time allowed. */
function ended(order: Order, timeoutMs: number): string {
  if (order.status === 'PENDING') return `is still PENDING after ${timeoutMs / 1000} s`;
  return `ended ${order.status}${order.failureReason ? ` (${order.failureReason})` : ''}`;
}
