/**
 * The saga inspector's web page as `npm start` serves it (the `inspector` URL of
 * .local/endpoints.json), in headless Debian Chromium driven by playwright-core, over real orders:
 * the list shows the executions, a failed one shows its failed state and compensations in the
 * graph, and the Redrive button takes a failed execution to success once its cause is removed.
 * Saves the README's screenshot of the execution page (ops/inspector/docs/execution-page.png).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { type Browser, type InspectorPage, launchBrowser, openInspectorPage } from '../../ops/inspector/test/helpers/browser';
import { executionHistory } from '../../tools/local-stack/src/client/saga-path';
import { REPO_ROOT } from '../../tools/local-stack/src/config';
import { e2eContext, eventually, unique, type E2eContext } from './support/context';
import { putStock } from './support/guarantees';
import { failedInConfirmOrder, placeAndSettle, type PlacedOrder } from './support/inspector';

jest.setTimeout(600_000);

const SCREENSHOT = path.join(REPO_ROOT, 'ops', 'inspector', 'docs', 'execution-page.png');

let s: E2eContext;
let inspector: string;
let browser: Browser;
let page: Page;
let requests: string[];
let rowNames: InspectorPage['rowNames'];
let stateOf: InspectorPage['stateOf'];
const sku = unique('INSPECTOR-WEB');
const customer = unique('insp-web');
let ok: PlacedOrder;
let declined: PlacedOrder;
let compensated: PlacedOrder;
let stuck: PlacedOrder;

beforeAll(async () => {
  s = e2eContext();
  expect(s.endpoints.inspector).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/u);
  inspector = s.endpoints.inspector;
  await putStock(s, sku, { price: 1990, currency: 'EUR', available: 100 });
  ok = await placeAndSettle(s, { customerId: customer, sku, quantity: 2, paymentToken: 'tok_visa' });
  declined = await placeAndSettle(s, { customerId: customer, sku, paymentToken: 'tok_decline' });
  compensated = await placeAndSettle(s, { customerId: customer, sku, paymentToken: 'tok_error' });
  // FAILED in ConfirmOrder while the faults file made it fail (~1.5 min of retries); the file is gone after.
  stuck = await failedInConfirmOrder(s, { customerId: customer, sku });
  browser = await launchBrowser();
  ({ page, requests, rowNames, stateOf } = await openInspectorPage(browser));
});

afterAll(async () => {
  await browser?.close();
  s?.close();
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
    'PAYMENT_FAILED',
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
    expect(await page.locator('#order').textContent()).toContain('PAYMENT_FAILED');
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
