/**
 * The saga inspector against the running local stack, over real orders through the order API, the
 * real saga in stepfunctions-local and the services' functions in serverless-offline:
 * - its CLI (`npm run saga -- ...`, run as a child process): a successful, a declined and a
 *   compensated execution are listed, shown, graphed and exported; a failed one is redriven to
 *   success once its cause (an injected fault, through the stack's faults file) is removed;
 * - its web page as `npm start` serves it (the `inspector` URL of .local/endpoints.json), in
 *   headless Debian Chromium driven by playwright-core: the list shows the executions, a failed one
 *   shows its failed state and compensations in the graph, and the Redrive button takes a failed
 *   execution to success once its cause is removed. Saves the README's screenshot of the execution
 *   page (ops/inspector/docs/execution-page.png).
 * Both parts' orders are placed side by side, and their failed executions in one faults window
 * (~1.5 min of ConfirmOrder retries): one file, so that the window is paid once.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { ExecutionDetails } from '../../ops/inspector/src/app/inspector';
import type { ExecutionRecord } from '../../ops/inspector/src/core/execution';
import { type Browser, type InspectorPage, launchBrowser, openInspectorPage } from '../../ops/inspector/test/helpers/browser';
import { executionHistory } from '../../tools/local-stack/src/client/saga-path';
import { REPO_ROOT } from '../../tools/local-stack/src/config';
import { e2eContext, eventually, unique, type E2eContext } from './support/context';
import { putStock } from './support/guarantees';
import { endpointsFileOf, failedInConfirmOrder, placeInTurn, sagaCli, type PlacedOrder } from './support/inspector';

jest.setTimeout(600_000);

const SCREENSHOT = path.join(REPO_ROOT, 'ops', 'inspector', 'docs', 'execution-page.png');

/**
 * The errors a saga Task retries (services/order/saga.asl.yml). Besides the injected and simulated
 * ones, the local stack's Lambda invoke path now and then answers a socket hang up
 * (Lambda.SdkClientException): retried like on AWS, so retry counts are asserted only where the
 * test causes them.
 */
const RETRIED = /^(TransientError|Lambda\.\w+|Sandbox\.Timedout|States\.Timeout)$/u;

interface InspectorOrders {
  ok: PlacedOrder;
  declined: PlacedOrder;
  compensated: PlacedOrder;
  /** FAILED in ConfirmOrder; the cause is gone, so a redrive succeeds. */
  stuck: PlacedOrder;
}

let s: E2eContext;
const CLI = { sku: unique('INSPECTOR-SKU'), customerA: unique('insp-a'), customerB: unique('insp-b') };
const WEB = { sku: unique('INSPECTOR-WEB'), customer: unique('insp-web') };
let since: string;
let cliOrders: InspectorOrders;
let webOrders: InspectorOrders;

beforeAll(async () => {
  s = e2eContext();
  await putStock(s, CLI.sku, { price: 1250, currency: 'EUR', available: 100 });
  await putStock(s, WEB.sku, { price: 1990, currency: 'EUR', available: 100 });
  since = new Date(Date.now() - 1_000).toISOString();
  // Each part's orders one after the other (so that "newest first" has a defined order), the two
  // parts side by side. tok_error: the payment provider is down, retried, then refunded, released
  // and marked failed.
  const [[cliOk, cliDeclined, cliCompensated], [webOk, webDeclined, webCompensated]] = await Promise.all([
    placeInTurn(s, [
      { customerId: CLI.customerA, sku: CLI.sku, quantity: 2, paymentToken: 'tok_visa' },
      { customerId: CLI.customerB, sku: CLI.sku, paymentToken: 'tok_decline' },
      { customerId: CLI.customerA, sku: CLI.sku, paymentToken: 'tok_error' },
    ]),
    placeInTurn(s, [
      { customerId: WEB.customer, sku: WEB.sku, quantity: 2, paymentToken: 'tok_visa' },
      { customerId: WEB.customer, sku: WEB.sku, paymentToken: 'tok_decline' },
      { customerId: WEB.customer, sku: WEB.sku, paymentToken: 'tok_error' },
    ]),
  ]);
  // FAILED in ConfirmOrder while the faults file made it fail; the file is gone after.
  const [cliStuck, webStuck] = await failedInConfirmOrder(s, { customerId: unique('insp-stuck'), sku: CLI.sku }, { customerId: WEB.customer, sku: WEB.sku });
  cliOrders = { ok: cliOk!, declined: cliDeclined!, compensated: cliCompensated!, stuck: cliStuck! };
  webOrders = { ok: webOk!, declined: webDeclined!, compensated: webCompensated!, stuck: webStuck! };
});

afterAll(() => {
  s?.close();
});

describe('the CLI', () => {
  const { sku, customerA, customerB } = CLI;
  let saga: ReturnType<typeof sagaCli>;
  let dir: string;
  /** A row of `list --json`: the execution and its duration. */
  type ListedExecution = ExecutionRecord & { durationMs: number };
  let ok: PlacedOrder;
  let declined: PlacedOrder;
  let compensated: PlacedOrder;
  let stuck: PlacedOrder;

  beforeAll(() => {
    ({ ok, declined, compensated, stuck } = cliOrders);
    saga = sagaCli(endpointsFileOf(s));
    dir = mkdtempSync(path.join(tmpdir(), 'inspector-e2e-'));
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the three orders ended as expected (the setup the rest relies on)', () => {
    expect([ok.status, ok.order?.status]).toEqual(['SUCCEEDED', 'CONFIRMED']);
    expect([declined.status, declined.order?.status, declined.order?.failureReason]).toEqual(['FAILED', 'FAILED', 'PAYMENT_DECLINED']);
    expect([compensated.status, compensated.order?.status, compensated.order?.failureReason]).toEqual(['FAILED', 'FAILED', 'PAYMENT_UNAVAILABLE']);
  });

  describe('list', () => {
    const names = async (...args: string[]) => {
      const out = await saga('list', '--json', '--since', since, ...args);
      expect(out.code).toBe(0);
      return out.json<{ items: ListedExecution[] }>().items.map((i) => i.name);
    };
    const mine = (list: string[]) => list.filter((name) => [ok.orderId, declined.orderId, compensated.orderId].includes(name));

    it('lists them newest first with their status, in a table for people', async () => {
      const out = await saga('list', '--since', since);
      expect(out.code).toBe(0);
      expect(out.stdout.split('\n')[0]).toMatch(/^STATUS\s+ORDER\s+STARTED \(UTC\)\s+DURATION\s+REDRIVES/u);
      const rows = out.stdout.split('\n').filter((line) => [ok.orderId, declined.orderId, compensated.orderId].some((id) => line.includes(id)));
      expect(rows.map((row) => row.split(/\s{2,}/u).slice(0, 2))).toEqual([
        ['✗ FAILED', compensated.orderId],
        ['✗ FAILED', declined.orderId],
        ['✓ SUCCEEDED', ok.orderId],
      ]);
    });

    it('filters by status, order id and customer (JSON for scripts)', async () => {
      expect(mine(await names('--status', 'FAILED'))).toEqual([compensated.orderId, declined.orderId]);
      expect(mine(await names('--status', 'succeeded'))).toEqual([ok.orderId]);
      expect(await names('--order', declined.orderId)).toEqual([declined.orderId]);
      expect(await names('--order', declined.orderId, '--status', 'SUCCEEDED')).toEqual([]);
      expect(await names('--customer', customerA)).toEqual([compensated.orderId, ok.orderId]);
      expect(await names('--customer', customerB)).toEqual([declined.orderId]);
      expect(await names('--customer', customerA, '--status', 'SUCCEEDED')).toEqual([ok.orderId]);
    });

    it('pages with --limit and --cursor', async () => {
      const first = await saga('list', '--json', '--since', since, '--customer', customerA, '--limit', '1');
      const page1 = first.json<{ items: ListedExecution[]; nextCursor?: string }>();
      expect(page1.items.map((i) => [i.name, i.status])).toEqual([[compensated.orderId, 'FAILED']]);
      expect(page1.items[0]!.durationMs).toBeGreaterThan(0);
      expect(page1.nextCursor).toEqual(expect.any(String));
      const page2 = (await saga('list', '--json', '--since', since, '--customer', customerA, '--limit', '1', '--cursor', page1.nextCursor!)).json<{ items: ExecutionRecord[] }>();
      expect(page2.items.map((i) => [i.name, i.status])).toEqual([[ok.orderId, 'SUCCEEDED']]);
    });
  });

  describe('show', () => {
    it('a successful execution: summary, every step succeeded, the order CONFIRMED beside it', async () => {
      const out = await saga('show', ok.orderId);
      expect(out.code).toBe(0);
      expect(out.stdout).toContain(`Execution ${ok.orderId}  ✓ SUCCEEDED`);
      expect(out.stdout).toMatch(/Duration\s+\S+ m?s · 5 transitions · \d+ retries · redriven 0×/u);
      expect(out.stdout).toMatch(/Order\s+CONFIRMED/u);
      expect(out.stdout).not.toMatch(/Compensations/u);
      const timeline = out.stdout.split('Timeline\n')[1]!;
      for (const [state, type] of [['ReserveInventory', 'Task'], ['ProcessPayment', 'Task'], ['ShipOrder', 'Task'], ['ConfirmOrder', 'Task'], ['OrderConfirmed', 'Succeed']]) {
        expect(timeline).toMatch(new RegExp(`\\d  ${state}\\s+${type}\\s+\\+\\S+ m?s\\s+\\S+ m?s\\s+\\d+\\s+✓ succeeded`, 'u'));
      }
      expect(timeline).not.toContain('↺');
      // What each step added to the state: the priced reservation (2 × 12.50 EUR).
      expect(timeline).toContain(`out +   {"reservation":{"lines":[{"sku":"${sku}","quantity":2,"unitPrice":1250,"currency":"EUR"}]`);
    });

    it('a declined execution: the caught payment, its compensations marked, the order FAILED PAYMENT_DECLINED', async () => {
      const out = await saga('show', declined.orderId);
      expect(out.code).toBe(0);
      expect(out.stdout).toContain(`Execution ${declined.orderId}  ✗ FAILED  (compensated)`);
      expect(out.stdout).toMatch(/Error\s+OrderFailed: /u);
      expect(out.stdout).toMatch(new RegExp(`Triggered by\\s+ProcessPayment PaymentDeclined: Payment for order ${declined.orderId} was declined`, 'u'));
      expect(out.stdout).toMatch(/Compensations\s+↺ ReleaseInventoryAfterPaymentDeclined → ↺ MarkOrderFailed/u);
      expect(out.stdout).toMatch(/Order\s+FAILED\s+PAYMENT_DECLINED/u);
      expect(out.stdout).toMatch(/\d  ProcessPayment\s+Task .*⚠ caught/u);
      expect(out.stdout).toMatch(/\d  ↺ ReleaseInventoryAfterPaymentDeclined\s+Task .*✓ succeeded/u);
      expect(out.stdout).toMatch(/\d  ↺ MarkOrderFailed\s+Task .*✓ succeeded/u);
      expect(out.stdout).toMatch(/\d  OrderFailed\s+Fail .*✗ failed/u);
      expect(out.stdout).not.toMatch(/ShipOrder|ConfirmOrder/u);
    });

    it('a compensated execution as JSON: summary with retries, the compensations in order, the order record', async () => {
      const out = await saga('show', compensated.orderId, '--json');
      expect(out.code).toBe(0);
      const details = out.json<ExecutionDetails>();
      expect(details.summary).toMatchObject({
        name: compensated.orderId,
        status: 'FAILED',
        compensated: true,
        error: 'OrderFailed',
        failedState: 'OrderFailed',
        trigger: { state: 'ProcessPayment', error: expect.stringMatching(RETRIED) },
        compensations: ['RefundPaymentAfterPaymentFailed', 'ReleaseInventoryAfterPaymentFailed', 'MarkOrderFailed'],
        redriveCount: 0,
      });
      expect(details.timeline.map((e) => [e.name, e.status, e.compensation])).toEqual([
        ['ReserveInventory', 'succeeded', false],
        ['ProcessPayment', 'caught', false],
        ['RefundPaymentAfterPaymentFailed', 'succeeded', true],
        ['ReleaseInventoryAfterPaymentFailed', 'succeeded', true],
        ['MarkOrderFailed', 'succeeded', true],
        ['OrderFailed', 'failed', false],
      ]);
      // The provider outage: tried once and retried 8 times (MaxAttempts 8), then caught.
      const payment = details.timeline[1]!;
      expect(payment.retries).toBe(8);
      expect(payment.failures).toHaveLength(9);
      expect(payment.failures.every((f) => RETRIED.test(f.error ?? ''))).toBe(true);
      expect(payment.failures.filter((f) => f.error === 'TransientError').length).toBeGreaterThan(0);
      expect(details.summary.retries).toBeGreaterThanOrEqual(8);
      expect(payment.failures.map((f) => f.cause).join('\n')).toContain('Payment provider unavailable');
      expect(details.order).toEqual({
        state: 'found',
        record: expect.objectContaining({ orderId: compensated.orderId, customerId: customerA, status: 'FAILED', failureReason: 'PAYMENT_UNAVAILABLE' }),
      });
    });

    it('takes the execution ARN as well as the order id', async () => {
      const out = await saga('show', ok.arn, '--json');
      expect(out.json<ExecutionDetails>().summary).toMatchObject({ name: ok.orderId, executionArn: ok.arn, status: 'SUCCEEDED' });
    });
  });

  describe('graph', () => {
    it('draws the state machine with the path a compensated execution took', async () => {
      const out = await saga('graph', compensated.orderId);
      expect(out.code).toBe(0);
      expect(out.stdout.split('\n')[0]).toBe(`${compensated.orderId} (FAILED)`);
      expect(out.stdout).toMatch(/● ReserveInventory Task\s+✓ succeeded\n\s+⇒ ProcessPayment\n/u);
      expect(out.stdout).toMatch(
        /● ProcessPayment Task\s+⚠ caught\n\s+→ ShipOrder\n\s+→ ReleaseInventoryAfterPaymentDeclined \(catch: PaymentDeclined\)\n\s+⇒ RefundPaymentAfterPaymentFailed \(catch: States.ALL\)/u,
      );
      expect(out.stdout).toMatch(/● ↺ RefundPaymentAfterPaymentFailed Task\s+✓ succeeded\n\s+⇒ ReleaseInventoryAfterPaymentFailed/u);
      expect(out.stdout).toMatch(/● ↺ ReleaseInventoryAfterPaymentFailed Task\s+✓ succeeded\n\s+⇒ MarkOrderFailed/u);
      expect(out.stdout).toMatch(/● ↺ MarkOrderFailed Task\s+✓ succeeded\n\s+⇒ OrderFailed/u);
      expect(out.stdout).toMatch(/● OrderFailed Fail\s+✗ failed/u);
      for (const state of ['ShipOrder', 'ConfirmOrder', 'OrderConfirmed', 'ReleaseInventoryAfterPaymentDeclined', 'RefundPaymentAfterShippingFailed']) {
        expect(out.stdout).toMatch(new RegExp(`○ (↺ )?${state} `, 'u'));
      }
    });

    it('the successful path as JSON, the declined one as SVG and DOT', async () => {
      const json = (await saga('graph', ok.orderId, '--json')).json<{ path: { transitions: { from: string; to: string }[] } }>();
      expect(json.path.transitions.map((t) => `${t.from}>${t.to}`)).toEqual([
        'ReserveInventory>ProcessPayment',
        'ProcessPayment>ShipOrder',
        'ShipOrder>ConfirmOrder',
        'ConfirmOrder>OrderConfirmed',
      ]);
      const file = path.join(dir, 'declined.svg');
      expect((await saga('graph', declined.orderId, '--svg', file)).stdout).toContain(`wrote ${file}`);
      const svg = readFileSync(file, 'utf8');
      expect(svg).toContain('data-state="ProcessPayment" data-status="caught"');
      expect(svg).toContain('data-state="ReleaseInventoryAfterPaymentDeclined" data-status="succeeded" data-compensation="true"');
      expect(svg).toContain('data-state="OrderFailed" data-status="failed"');
      expect(svg).toMatch(/data-state="ShipOrder" data-status="idle"/u);
      const dot = (await saga('graph', declined.orderId, '--dot')).stdout;
      expect(dot).toContain('"ProcessPayment" -> "ReleaseInventoryAfterPaymentDeclined" [label="PaymentDeclined", style=dashed, penwidth=2.5');
    });
  });

  describe('history --json', () => {
    it.each([
      ['successful', () => ok, 'ExecutionSucceeded'],
      ['declined', () => declined, 'ExecutionFailed'],
      ['compensated', () => compensated, 'ExecutionFailed'],
    ])('exports the raw events of the %s execution, the same as GetExecutionHistory', async (_, placed, last) => {
      const { arn, orderId } = placed();
      const out = await saga('history', orderId, '--json', '--no-mask');
      expect(out.code).toBe(0);
      const events = out.json<{ events: Array<{ id: number; type: string; timestamp: string }> }>().events;
      expect(events).toEqual(JSON.parse(JSON.stringify(await executionHistory(s.sfn, arn))));
      expect(events[0]!.type).toBe('ExecutionStarted');
      expect(events.at(-1)!.type).toBe(last);
      expect(events.map((e) => e.id)).toEqual(events.map((_e, i) => i + 1));
    });

    it('the events say what happened: the declined card, the retried outage', async () => {
      type Event = { type: string; lambdaFunctionFailedEventDetails?: { error?: string }; stateEnteredEventDetails?: { name?: string }; executionFailedEventDetails?: { error?: string } };
      const declinedEvents = (await saga('history', declined.orderId, '--json')).json<{ events: Event[] }>().events;
      const declinedFailures = declinedEvents.filter((e) => e.type === 'LambdaFunctionFailed').map((e) => e.lambdaFunctionFailedEventDetails?.error ?? '');
      expect(declinedFailures.filter((error) => !RETRIED.test(error))).toEqual(['PaymentDeclined']);
      expect(declinedEvents.filter((e) => e.type.endsWith('StateEntered')).map((e) => e.stateEnteredEventDetails?.name)).toEqual([
        'ReserveInventory',
        'ProcessPayment',
        'ReleaseInventoryAfterPaymentDeclined',
        'MarkOrderFailed',
        'OrderFailed',
      ]);
      // The outage: ProcessPayment's function scheduled 9 times (1 + 8 retries), failing each time; then compensated.
      const compensatedEvents = (await saga('history', compensated.orderId, '--json')).json<{ events: Event[] }>().events;
      const byState = new Map<string, string[]>();
      let state = '';
      for (const event of compensatedEvents) {
        if (event.type.endsWith('StateEntered')) state = event.stateEnteredEventDetails?.name ?? '?';
        else if (event.type.startsWith('LambdaFunction')) byState.set(state, [...(byState.get(state) ?? []), event.type === 'LambdaFunctionFailed' ? `Failed:${event.lambdaFunctionFailedEventDetails?.error}` : event.type]);
      }
      const payment = (byState.get('ProcessPayment') ?? []).filter((e) => e !== 'LambdaFunctionStarted');
      expect(payment.filter((e) => e === 'LambdaFunctionScheduled')).toHaveLength(9);
      expect(payment.filter((e) => e.startsWith('Failed:'))).toHaveLength(9);
      expect(payment).toContain('Failed:TransientError');
      expect(payment).not.toContain('LambdaFunctionSucceeded');
      for (const compensation of ['RefundPaymentAfterPaymentFailed', 'ReleaseInventoryAfterPaymentFailed', 'MarkOrderFailed']) {
        expect([compensation, byState.get(compensation)?.at(-1)]).toEqual([compensation, 'LambdaFunctionSucceeded']);
      }
      expect([...byState.keys()]).not.toContain('ShipOrder');
      expect(compensatedEvents.at(-1)).toMatchObject({ type: 'ExecutionFailed', executionFailedEventDetails: { error: 'OrderFailed' } });
      // The people's table of the same events.
      const table = (await saga('history', compensated.orderId)).stdout;
      expect(table).toMatch(/^ID\s+TIME\s+TYPE\s+STATE\s+DETAIL/mu);
      expect(table).toMatch(/LambdaFunctionFailed\s+TransientError:/u);
      expect(table).toMatch(/ExecutionFailed\s+OrderFailed:/u);
    });
  });

  describe('redrive', () => {
    it('a failed execution is redriven to success once its cause is removed', async () => {
      const failed = stuck;
      expect(failed.status).toBe('FAILED');
      expect(failed.order?.status).toBe('PENDING');

      const before = (await saga('show', failed.orderId, '--json')).json<ExecutionDetails>();
      expect(before.summary).toMatchObject({ status: 'FAILED', failedState: 'ConfirmOrder', error: 'TransientError', compensated: false, redriveCount: 0 });
      expect(before.timeline.at(-1)).toMatchObject({ name: 'ConfirmOrder', status: 'failed', retries: 10 });
      expect(before.order).toMatchObject({ state: 'found', record: { status: 'PENDING' } });
      expect((await saga('list', '--json', '--order', failed.orderId, '--status', 'FAILED')).json<{ items: ExecutionRecord[] }>().items).toHaveLength(1);

      // The faults file is gone (failedInConfirmOrder removed it): ConfirmOrder works again.
      const out = await saga('redrive', failed.orderId, '--wait');
      expect(out.stderr).toBe('');
      expect(out.code).toBe(0);
      expect(out.stdout).toContain(`${failed.orderId} redriven (redrive 1), now SUCCEEDED`);

      const after = (await saga('show', failed.orderId, '--json')).json<ExecutionDetails>();
      expect(after.summary).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
      expect(after.timeline.slice(-3).map((e) => `${e.run}:${e.name}:${e.status}`)).toEqual(['0:ConfirmOrder:failed', '1:ConfirmOrder:succeeded', '1:OrderConfirmed:succeeded']);
      expect(after.order).toMatchObject({ state: 'found', record: { status: 'CONFIRMED' } });
      expect(await s.platform.getOrder(failed.orderId)).toMatchObject({ status: 'CONFIRMED' });
      const text = (await saga('show', failed.orderId)).stdout;
      expect(text).toContain('── redrive 1 ──');
      expect(text).toMatch(/Order\s+CONFIRMED/u);
    });

    it('refuses to redrive a successful execution (exit 1)', async () => {
      const out = await saga('redrive', ok.orderId);
      expect(out.code).toBe(1);
      expect(out.stderr).toMatch(/error: .*SUCCEEDED/u);
    });
  });
});

describe('the web page', () => {
  const { customer } = WEB;
  let inspector: string;
  let browser: Browser;
  let page: Page;
  let requests: string[];
  let rowNames: InspectorPage['rowNames'];
  let stateOf: InspectorPage['stateOf'];
  let ok: PlacedOrder;
  let declined: PlacedOrder;
  let compensated: PlacedOrder;
  let stuck: PlacedOrder;

  beforeAll(async () => {
    ({ ok, declined, compensated, stuck } = webOrders);
    expect(s.endpoints.inspector).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/u);
    inspector = s.endpoints.inspector;
    browser = await launchBrowser();
    ({ page, requests, rowNames, stateOf } = await openInspectorPage(browser));
  });

  afterAll(async () => {
    await browser?.close();
  });

  const badgeOf = (orderId: string) => page.locator(`tr[data-execution="${orderId}"] .badge`).textContent();
  /** Polls from the test side (the page's CSP forbids the eval that waitForFunction with a string needs). */
  async function until(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
    if (!(await eventually(check, Boolean, timeoutMs))) throw new Error('condition not met in time');
  }
  const statusBadge = () => page.locator('#execution-status .badge').textContent();

  it('the orders ended as expected (the setup the rest relies on)', () => {
    expect([ok.status, declined.status, compensated.status, stuck.status]).toEqual(['SUCCEEDED', 'FAILED', 'FAILED', 'FAILED']);
    expect([ok.order?.status, declined.order?.failureReason, compensated.order?.failureReason, stuck.order?.status]).toEqual([
      'CONFIRMED',
      'PAYMENT_DECLINED',
      'PAYMENT_UNAVAILABLE',
      'PENDING',
    ]);
  });

  describe('execution list', () => {
    it('shows the stack\'s executions, newest first, with their status', async () => {
      await page.goto(`${inspector}/`);
      await page.locator(`tr[data-execution="${stuck.orderId}"]`).waitFor();
      expect(await page.locator('#target').textContent()).toBe(`order-local-saga (STANDARD) · ${s.endpoints.stepFunctions}`);
      const all = await rowNames();
      const mine = all.filter((name) => [ok, declined, compensated, stuck].some((o) => o.orderId === name));
      expect(mine).toEqual([stuck.orderId, compensated.orderId, declined.orderId, ok.orderId]);
      expect(await badgeOf(ok.orderId)).toBe('SUCCEEDED');
      expect(await badgeOf(declined.orderId)).toBe('FAILED');
      expect(await badgeOf(compensated.orderId)).toBe('FAILED');
    });

    it('filters by customer and status', async () => {
      await page.locator('select[name="since"]').selectOption('1h');
      await page.locator('input[name="customer"]').fill(customer);
      await page.locator('button[type="submit"]').click();
      await until(async () => (await rowNames()).length === 4);
      expect(await rowNames()).toEqual([stuck.orderId, compensated.orderId, declined.orderId, ok.orderId]);
      await page.locator('select[name="status"]').selectOption('SUCCEEDED');
      await until(async () => (await rowNames()).length === 1);
      expect(await rowNames()).toEqual([ok.orderId]);
      expect(page.url()).toContain(`customer=${customer}`);
      expect(page.url()).toContain('status=SUCCEEDED');
    });
  });

  describe('execution page', () => {
    it('opening a failed execution shows the failed state and its compensations in the graph', async () => {
      await page.goto(`${inspector}/#/?since=1h&customer=${customer}`);
      await page.locator(`tr[data-execution="${compensated.orderId}"] a`).click();
      await page.locator('#graph svg').waitFor();
      expect(page.url()).toContain('#/execution/');
      expect(await page.locator('.exec-head h1').textContent()).toBe(compensated.orderId);

      // The payment provider was down: ProcessPayment retried, then caught; everything done before it undone.
      expect(await stateOf('ReserveInventory').getAttribute('data-status')).toBe('succeeded');
      expect(await stateOf('ProcessPayment').getAttribute('data-status')).toBe('caught');
      expect(await stateOf('OrderFailed').getAttribute('data-status')).toBe('failed');
      for (const idle of ['ShipOrder', 'ConfirmOrder', 'OrderConfirmed', 'ReleaseInventoryAfterPaymentDeclined']) {
        expect(await stateOf(idle).getAttribute('data-status')).toBe('idle');
      }
      const compensations = await page
        .locator('#graph g[data-compensation="true"][data-status="succeeded"]')
        .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-state')));
      expect(compensations.sort()).toEqual(['MarkOrderFailed', 'RefundPaymentAfterPaymentFailed', 'ReleaseInventoryAfterPaymentFailed']);
      expect(await page.locator('#graph g[data-from="ProcessPayment"][data-to="RefundPaymentAfterPaymentFailed"]').getAttribute('data-taken')).toBe('true');
      expect(await page.locator('#graph g[data-from="ProcessPayment"][data-to="ShipOrder"]').getAttribute('data-taken')).not.toBe('true');

      // Summary, error and cause, the order record beside it (read from the order API with an operator token).
      expect(await statusBadge()).toBe('FAILED');
      expect(await page.locator('.exec-head').textContent()).toContain('compensated');
      expect(await page.locator('#error').textContent()).toContain('OrderFailed');
      expect(await page.locator('#summary .trigger').textContent()).toContain('ProcessPayment');
      expect(await page.locator('#summary .trigger').textContent()).toContain('Payment provider unavailable');
      expect(await page.locator('#compensations').textContent()).toBe(
        'Compensations: ↺ RefundPaymentAfterPaymentFailed → ↺ ReleaseInventoryAfterPaymentFailed → ↺ MarkOrderFailed',
      );
      expect(await page.locator('#order-status').textContent()).toBe('FAILED');
      expect(await page.locator('#order').textContent()).toContain('PAYMENT_UNAVAILABLE');
      expect(await page.locator('#stop').isDisabled()).toBe(true);
    });

    it('has the timeline, the event table and input and output; its screenshot is the README\'s picture', async () => {
      expect(await page.locator('#timeline tr[data-state]').count()).toBe(6);
      expect(await page.locator('#timeline tr[data-state="ProcessPayment"]').getAttribute('data-status')).toBe('caught');
      expect(await page.locator('#timeline tr[data-compensation="true"]').count()).toBe(3);
      const history = await executionHistory(s.sfn, compensated.arn);
      expect(await page.locator('#events tbody tr').count()).toBe(history.length);
      expect(await page.locator('#events').textContent()).toContain('LambdaFunctionFailed');
      expect(await page.locator('#execution-input').textContent()).toContain(`"customerId": "${customer}"`);
      expect(await page.locator('#execution-output').textContent()).toContain('OrderFailed');

      mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
      // From the top of the page to the end of the timeline.
      const bottom = (await page.evaluate("document.querySelector('#timeline').getBoundingClientRect().bottom + window.scrollY")) as number;
      await page.screenshot({ path: SCREENSHOT, fullPage: true, clip: { x: 0, y: 0, width: 1400, height: Math.ceil(bottom + 36) } });
    });

    it('a declined execution: the payment caught, the reservation released', async () => {
      await page.goto(`${inspector}/#/execution/${declined.orderId}`);
      await page.locator(`[data-view="execution"][data-id="${declined.orderId}"] #graph svg`).waitFor();
      expect(await stateOf('ProcessPayment').getAttribute('data-status')).toBe('caught');
      expect(await stateOf('ReleaseInventoryAfterPaymentDeclined').getAttribute('data-status')).toBe('succeeded');
      expect(await stateOf('ReleaseInventoryAfterPaymentDeclined').getAttribute('data-compensation')).toBe('true');
      expect(await stateOf('RefundPaymentAfterPaymentFailed').getAttribute('data-status')).toBe('idle');
      expect(await page.locator('#order').textContent()).toContain('PAYMENT_DECLINED');
    });

    it('the Redrive button takes a failed execution to success once its cause is removed', async () => {
      await page.goto(`${inspector}/#/execution/${stuck.orderId}`);
      await page.locator(`[data-view="execution"][data-id="${stuck.orderId}"] #graph svg`).waitFor();
      expect(await statusBadge()).toBe('FAILED');
      expect(await stateOf('ConfirmOrder').getAttribute('data-status')).toBe('failed');
      expect(await stateOf('OrderConfirmed').getAttribute('data-status')).toBe('idle');
      expect(await page.locator('#error').textContent()).toContain('TransientError');
      expect(await page.locator('#order-status').textContent()).toBe('PENDING');
      expect(await page.locator('#stop').isDisabled()).toBe(true);
      expect(await page.locator('#redrive').isEnabled()).toBe(true);

      // The faults file was removed when the execution had failed: ConfirmOrder works again.
      await page.locator('#redrive').click();
      await until(async () => (await statusBadge()) === 'SUCCEEDED');
      expect(await stateOf('ConfirmOrder').getAttribute('data-status')).toBe('succeeded');
      expect(await stateOf('OrderConfirmed').getAttribute('data-status')).toBe('succeeded');
      expect(await page.locator('.exec-head').textContent()).toContain('redriven 1×');
      expect(await page.locator('#order-status').textContent()).toBe('CONFIRMED');
      expect(await page.locator('#redrive').isDisabled()).toBe(true);
      expect(await s.platform.getOrder(stuck.orderId)).toMatchObject({ status: 'CONFIRMED' });
    });

    it('loads nothing from anywhere but the inspector itself', () => {
      expect(requests.length).toBeGreaterThan(10);
      expect(requests.filter((url) => !url.startsWith(`${inspector}/`))).toEqual([]);
    });
  });
});
