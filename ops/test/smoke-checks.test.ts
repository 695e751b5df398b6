import type { Notification, Order, Payment, Placed, PlaceOrderInput, PlatformClient, Stock } from '../src/client/platform-client';
import type { ExecutionRecord } from '../../ops/inspector/src/core/execution';
import { CHECK_NAMES, DECLINING_TOKEN, runSmoke, type CheckResult } from '../src/smoke/checks';
import { formatResult, runSmokeCommand } from '../src/smoke';

/**
 * A platform in memory that answers the smoke test's calls the way the real one does (sagas end
 * at once), with the faults a broken stage shows.
 */
interface Faults {
  /** Every charge fails (the payment function down): orders end FAILED PAYMENT_UNAVAILABLE. */
  chargeFails?: boolean;
  /** The Idempotency-Key is ignored: a replay makes a second order. */
  ignoresIdempotencyKey?: boolean;
  /** The notification consumer is down. */
  noNotifications?: boolean;
  /** PUT /inventory answers 503. */
  inventoryDown?: boolean;
  /** The saga never starts: orders stay PENDING. */
  sagaStuck?: boolean;
  /** Compensation releases the reservation but gives no stock back: held keeps the failed order's units. */
  releaseKeepsStock?: boolean;
}

class FakePlatform {
  readonly stock = new Map<string, Stock>();
  readonly orders = new Map<string, Order & { customerId: string }>();
  readonly payments = new Map<string, Payment>();
  readonly notifications = new Map<string, Notification[]>();
  readonly keys = new Map<string, string>();
  private next = 0;

  constructor(private readonly faults: Faults = {}) {}

  async putStock(sku: string, input: { price: number; currency: string; available: number }): Promise<Stock> {
    if (this.faults.inventoryDown) throw new Error(`PUT /inventory/${sku} answered 503: {"title":"Service Unavailable"}`);
    const previous = this.stock.get(sku);
    const stock = { sku, ...input, held: previous?.held ?? 0, updatedAt: new Date().toISOString() };
    this.stock.set(sku, stock);
    return stock;
  }

  async getStock(sku: string) {
    return this.stock.get(sku);
  }

  async place(body: PlaceOrderInput, key?: string): Promise<Placed> {
    const known = key && !this.faults.ignoresIdempotencyKey ? this.keys.get(key) : undefined;
    if (known) return { status: 201, order: this.orders.get(known)!, replayed: true };
    const orderId = `ord_${++this.next}`;
    if (key) this.keys.set(key, orderId);
    this.orders.set(orderId, { ...this.saga(orderId, body), customerId: body.customerId });
    return { status: 201, order: this.orders.get(orderId)!, replayed: false };
  }

  /** The saga, at once: reserve (available -> held), charge, ship (no stock moves), confirm, or compensate (held -> available). */
  private saga(orderId: string, body: PlaceOrderInput): Order {
    const line = body.items[0]!;
    const stock = this.stock.get(line.sku)!;
    const total = { amount: stock.price * line.quantity, currency: stock.currency };
    if (this.faults.sagaStuck) return { orderId, status: 'PENDING' };
    if (stock.available < line.quantity) return { orderId, status: 'FAILED', failureReason: 'OUT_OF_STOCK' };
    stock.available -= line.quantity;
    stock.held += line.quantity;
    const release = () => {
      if (this.faults.releaseKeepsStock) return;
      stock.held -= line.quantity;
      stock.available += line.quantity;
    };
    if (this.faults.chargeFails) {
      release();
      return { orderId, status: 'FAILED', failureReason: 'PAYMENT_UNAVAILABLE', total };
    }
    if (body.paymentToken === DECLINING_TOKEN) {
      this.payments.set(orderId, { orderId, paymentId: `pay_${orderId}`, status: 'DECLINED', amount: total });
      release();
      return { orderId, status: 'FAILED', failureReason: 'PAYMENT_DECLINED', total };
    }
    this.payments.set(orderId, { orderId, paymentId: `pay_${orderId}`, status: 'CAPTURED', amount: total });
    if (!this.faults.noNotifications) {
      this.notifications.set(orderId, [{ notificationId: `n_${orderId}`, orderId, eventType: 'OrderConfirmed', status: 'SENT', subject: `Your order ${orderId} is confirmed` }]);
    }
    return { orderId, status: 'CONFIRMED', total };
  }

  async waitForOutcome(orderId: string) {
    return this.orders.get(orderId)!;
  }

  async getPayment(orderId: string) {
    return this.payments.get(orderId);
  }

  async listNotifications(orderId: string) {
    return this.notifications.get(orderId) ?? [];
  }

  async listExecutions(filter: { customerId?: string }): Promise<{ items: ExecutionRecord[] }> {
    const items = [...this.orders.values()]
      .filter((order) => order.customerId === filter.customerId)
      .map((order) => ({
        executionArn: `arn:aws:states:eu-west-1:000000000000:execution:order-local-saga:${order.orderId}`,
        name: order.orderId,
        stateMachineArn: 'arn:aws:states:eu-west-1:000000000000:stateMachine:order-local-saga',
        status: order.status === 'CONFIRMED' ? ('SUCCEEDED' as const) : ('FAILED' as const),
        startDate: new Date().toISOString(),
      }));
    return { items };
  }
}

async function smoke(faults: Faults = {}) {
  const platform = new FakePlatform(faults);
  const lines: string[] = [];
  const results = await runSmoke(
    { client: platform as unknown as PlatformClient, customerId: 'smoke-r1', runId: 'r1', listExecutions: (filter) => platform.listExecutions(filter) },
    { timeoutMs: 50, intervalMs: 5, report: (result) => lines.push(formatResult(result)), note: (line) => lines.push(line) },
  );
  const outcome = Object.fromEntries(results.map((result) => [result.name, result.outcome]));
  return { platform, results, lines, outcome };
}

const detailOf = (results: CheckResult[], name: string) => results.find((result) => result.name === name)?.detail;

test('a healthy stage passes every check, in order, one line each, and its SKUs are emptied afterwards', async () => {
  const { platform, results, lines } = await smoke();
  expect(results.map((result) => [result.name, result.outcome])).toEqual(CHECK_NAMES.map((name) => [name, 'pass']));
  expect(lines[1]).toMatch(/^✓ PASS {2}confirmed order {5}ord_1 CONFIRMED, total 25\.00 EUR, payment CAPTURED {2}\(\d+ ms\)$/);
  expect(detailOf(results, 'idempotent replay')).toBe('a second POST with Idempotency-Key smoke-r1-confirmed: 201 Idempotent-Replayed, the same order ord_1');
  expect(detailOf(results, 'saga listed')).toBe('the inspector lists ord_1 SUCCEEDED, ord_2 FAILED, ord_3 FAILED');
  expect(detailOf(results, 'stock settled')).toBe("smoke-r1: available 8, held 2 (the declined order's reservation released)");
  expect(platform.stock.get('smoke-r1')).toMatchObject({ available: 0, held: 2 });
  expect(platform.stock.get('smoke-r1-soldout')).toMatchObject({ available: 0 });
  expect(lines.at(-1)).toMatch(/^cleanup: the APIs delete nothing \(no DELETE route\), so nothing was deleted\. smoke-r1, smoke-r1-soldout set to 0 available; the orders, payments, notifications and saga executions of customer smoke-r1 stay/);
});

test('a payment function that always fails: the orders that need it fail loudly, the notification is skipped', async () => {
  const { results, outcome } = await smoke({ chargeFails: true });
  expect(outcome).toEqual({
    'stock put/get': 'pass',
    'confirmed order': 'fail',
    'declined order': 'fail',
    'out-of-stock order': 'pass',
    'idempotent replay': 'pass',
    'stock settled': 'fail',
    notification: 'skip',
    'saga listed': 'pass',
  });
  expect(detailOf(results, 'confirmed order')).toBe('ord_1 ended FAILED (PAYMENT_UNAVAILABLE), expected CONFIRMED');
  // Both reservations were released: nothing held, nothing taken.
  expect(detailOf(results, 'stock settled')).toBe("smoke-r1 reads available 10, held 0, expected available 8, held 2 (the declined order's reservation released)");
  expect(detailOf(results, 'notification')).toBe('not run: needs the confirmed order');
  expect(formatResult(results.find((result) => result.name === 'notification')!)).toBe('✗ SKIP  notification        not run: needs the confirmed order');
});

test('an Idempotency-Key that is ignored, or a notification that never comes, fails its check', async () => {
  const replay = await smoke({ ignoresIdempotencyKey: true });
  expect(replay.outcome['idempotent replay']).toBe('fail');
  expect(detailOf(replay.results, 'idempotent replay')).toBe('the second POST with Idempotency-Key smoke-r1-confirmed made ord_4, not ord_1');

  const silent = await smoke({ noNotifications: true });
  expect(silent.outcome.notification).toBe('fail');
  expect(detailOf(silent.results, 'notification')).toBe('no OrderConfirmed notification SENT for ord_1 within 0.05 s (seen: none)');
});

test('a compensation that gives no stock back fails stock settled, naming what is held', async () => {
  const { results, outcome } = await smoke({ releaseKeepsStock: true });
  expect(outcome['declined order']).toBe('pass');
  expect(outcome['stock settled']).toBe('fail');
  expect(detailOf(results, 'stock settled')).toBe("smoke-r1 reads available 7, held 3, expected available 8, held 2 (the declined order's reservation released)");
});

test('orders that never leave PENDING fail their checks, saying so', async () => {
  const { results, outcome } = await smoke({ sagaStuck: true });
  expect(detailOf(results, 'confirmed order')).toBe('ord_1 is still PENDING after 0.05 s, expected CONFIRMED');
  expect(detailOf(results, 'out-of-stock order')).toBe('ord_3 (smoke-r1-soldout) is still PENDING after 0.05 s, expected FAILED (OUT_OF_STOCK)');
  expect(outcome['saga listed']).toBe('fail');
});

test('when stock cannot be written, no order is placed and every later check is skipped', async () => {
  const { platform, results, lines } = await smoke({ inventoryDown: true });
  expect(results[0]).toMatchObject({ name: 'stock put/get', outcome: 'fail', detail: 'Error: PUT /inventory/smoke-r1 answered 503: {"title":"Service Unavailable"}' });
  expect(results.slice(1).every((result) => result.outcome === 'skip' && result.detail.startsWith('not run: needs the smoke SKUs'))).toBe(true);
  expect(platform.orders.size).toBe(0);
  expect(lines.slice(-3, -1)).toEqual([expect.stringMatching(/^cleanup: could not set smoke-r1 to 0 available: .* 503/), expect.stringMatching(/^cleanup: could not set smoke-r1-soldout to 0 available/)]);
});

describe('the command', () => {
  const run = async (argv: string[], env: Record<string, string> = {}) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runSmokeCommand(argv, { stdout: (line) => out.push(line), stderr: (line) => err.push(line), env });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it('needs --stage, and says how to use it', async () => {
    expect(await run([])).toMatchObject({ code: 2, err: expect.stringMatching(/--stage is required[\s\S]*usage: npm run smoke -- --stage <stage>/) });
    expect(await run(['--stage', 'local', '--timeout', '0'])).toMatchObject({ code: 2, err: expect.stringMatching(/--timeout must be a positive number/) });
    expect(await run(['--help'])).toMatchObject({ code: 0, out: expect.stringMatching(/checks: stock put\/get, confirmed order/) });
  });

  it('without a running local stack: exit 1 and how to start one', async () => {
    const { code, err } = await run(['--stage', 'local'], { LOCAL_ENDPOINTS_FILE: '/nonexistent/endpoints.json' });
    expect(code).toBe(1);
    expect(err).toMatch(/^smoke: cannot reach stage local: No local stack is running .*npm start/);
  });
});
