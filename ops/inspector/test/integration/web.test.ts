import { mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { CreateStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { resolveConfig } from '../../src/app/config';
import { SagaInspector } from '../../src/app/inspector';
import { type RunningWebServer, startWebServer } from '../../src/web/server';
import { type Browser, type InspectorPage, launchBrowser, openInspectorPage } from '../helpers/browser';
import { loadSagaDefinition } from '../helpers/saga-definition';
import { REGION, SCENARIOS, type Sandbox, startSandbox } from '../helpers/sandbox';

/**
 * The web page in headless Chromium against the project's Step Functions server running the real
 * saga (in-process, with HTTP stubs for the step Lambdas and the order API).
 */
jest.setTimeout(90_000);

// The README's picture (docs/execution-page.png) comes from the real stack (test/e2e/inspector-web.test.ts); this one is the stubs'.
const SCREENSHOT = path.join(tmpdir(), 'inspector-web-test', 'execution-page.png');

let sandbox: Sandbox;
let web: RunningWebServer;
let browser: Browser;
let page: Page;
let requests: string[];
let rowNames: InspectorPage['rowNames'];
let stateOf: InspectorPage['stateOf'];

beforeAll(async () => {
  sandbox = await startSandbox();
  for (const [orderId, scenario, customer] of [
    ['ord-1001', SCENARIOS.success, 'cust-a'],
    ['ord-1002', SCENARIOS.declined, 'cust-b'],
    ['ord-1003', SCENARIOS.compensated, 'cust-a'],
    ['ord-1004', SCENARIOS.retried, 'cust-c'],
    ['ord-1005', SCENARIOS.stuck, 'cust-b'],
  ] as const) {
    await sandbox.placeOrder(orderId, scenario, customer);
    await sandbox.waitFor(orderId);
  }
  const config = resolveConfig(
    { endpoint: sandbox.sfnUrl, orderApi: sandbox.orderApiUrl, region: REGION, stage: 'local', endpointsFile: '/nonexistent/endpoints.json' },
    {},
  );
  web = await startWebServer({ inspector: SagaInspector.fromConfig(config), config, port: 0 });
  browser = await launchBrowser();
  ({ page, requests, rowNames, stateOf } = await openInspectorPage(browser));
});

afterAll(async () => {
  await browser?.close();
  await web?.close();
  await sandbox?.close();
});

/** Polls from the test side (the page's CSP forbids the eval that waitForFunction with a string needs). */
async function until(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
const waitForStatus = (status: string) => until(async () => (await page.locator('#execution-status .badge').textContent()) === status);

describe('execution list', () => {
  it('shows the executions newest first with their status', async () => {
    await page.goto(`${web.url}/`);
    await page.locator('#executions tr[data-execution]').nth(4).waitFor();
    expect(await rowNames()).toEqual(['ord-1005', 'ord-1004', 'ord-1003', 'ord-1002', 'ord-1001']);
    expect(await page.locator('tr[data-execution="ord-1003"] .badge').textContent()).toBe('FAILED');
    expect(await page.locator('tr[data-execution="ord-1001"] .badge').textContent()).toBe('SUCCEEDED');
    expect(await page.locator('#target').textContent()).toContain('order-local-saga (STANDARD)');
  });

  it('filters by status and by customer', async () => {
    await page.locator('select[name="status"]').selectOption('FAILED');
    await until(async () => (await rowNames()).length === 3);
    expect(await rowNames()).toEqual(['ord-1005', 'ord-1003', 'ord-1002']);
    await page.locator('input[name="customer"]').fill('cust-b');
    await page.locator('button[type="submit"]').click();
    await until(async () => (await rowNames()).length === 2);
    expect(await rowNames()).toEqual(['ord-1005', 'ord-1002']);
    expect(page.url()).toContain('status=FAILED');
  });

  it('refreshes itself: a new execution appears without a reload', async () => {
    await page.goto(`${web.url}/#/`);
    await page.locator('tr[data-execution="ord-1001"]').waitFor();
    await sandbox.placeOrder('ord-1006', SCENARIOS.success, 'cust-d');
    await page.locator('tr[data-execution="ord-1006"]').waitFor({ timeout: 10_000 });
    expect((await rowNames())[0]).toBe('ord-1006');
  });
});

describe('execution page', () => {
  it('opening a failed execution shows the failed state and its compensations in the graph', async () => {
    await page.goto(`${web.url}/#/`);
    await page.locator('tr[data-execution="ord-1003"] a').click();
    await page.locator('#graph svg').waitFor();
    expect(page.url()).toContain('#/execution/');

    expect(await stateOf('ShipOrder').getAttribute('data-status')).toBe('caught');
    expect(await stateOf('OrderFailed').getAttribute('data-status')).toBe('failed');
    expect(await stateOf('ConfirmOrder').getAttribute('data-status')).toBe('idle');
    const compensations = await page
      .locator('#graph g[data-compensation="true"][data-status="succeeded"]')
      .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-state')));
    expect(compensations.sort()).toEqual(['MarkOrderFailed', 'RefundPaymentAfterShippingFailed', 'ReleaseInventoryAfterShippingFailed']);
    expect(await page.locator('#graph g[data-from="ShipOrder"][data-to="RefundPaymentAfterShippingFailed"]').getAttribute('data-taken')).toBe('true');

    // Summary, error and cause, the order record beside it.
    expect(await page.locator('#execution-status .badge').textContent()).toBe('FAILED');
    expect(await page.locator('#error').textContent()).toContain('OrderFailed');
    expect(await page.locator('#summary .trigger').textContent()).toContain('ShipOrder');
    expect(await page.locator('#compensations').textContent()).toContain('↺ RefundPaymentAfterShippingFailed');
    expect(await page.locator('#order-status').textContent()).toBe('FAILED');
    expect(await page.locator('#order').textContent()).toContain('SHIPPING_FAILED');
  });

  it('has a timeline, the event table, and input and output side by side', async () => {
    const timeline = page.locator('#timeline tr[data-state]');
    expect(await timeline.count()).toBe(7);
    expect(await page.locator('#timeline tr[data-state="ShipOrder"]').getAttribute('data-status')).toBe('caught');
    expect(await page.locator('#timeline tr[data-compensation="true"]').count()).toBe(3);
    // A row opens on its input and output.
    await page.locator('#timeline tr[data-state="ShipOrder"]').click();
    const detail = page.locator('#timeline tr.detail:not([hidden])');
    expect(await detail.locator('.io pre').count()).toBe(2);
    expect(await detail.textContent()).toContain('Carrier rejected the parcel');

    expect(await page.locator('#events tbody tr').count()).toBe(33);
    expect(await page.locator('#events').textContent()).toContain('LambdaFunctionFailed');
    const input = await page.locator('#execution-input').boundingBox();
    const output = await page.locator('#execution-output').boundingBox();
    expect(input!.y).toBeCloseTo(output!.y, 0);
    expect(output!.x).toBeGreaterThan(input!.x + input!.width);
    expect(await page.locator('#execution-output').textContent()).toContain('OrderFailed');

    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    // The README's picture: from the top of the page to the end of the timeline.
    const bottom = (await page.evaluate("document.querySelector('#timeline').getBoundingClientRect().bottom + window.scrollY")) as number;
    await page.screenshot({ path: SCREENSHOT, fullPage: true, clip: { x: 0, y: 0, width: 1400, height: Math.ceil(bottom + 36) } });
  });

  it('the redrive button redrives a failed execution to success once its cause is gone', async () => {
    await page.goto(`${web.url}/#/execution/ord-1005`);
    await page.locator('#graph svg').waitFor();
    expect(await stateOf('ConfirmOrder').getAttribute('data-status')).toBe('failed');
    expect(await page.locator('#stop').isDisabled()).toBe(true);
    expect(await page.locator('#redrive').isEnabled()).toBe(true);

    sandbox.lambda.scenario('ord-1005', {}); // the orders table is back
    await page.locator('#redrive').click();
    await waitForStatus('SUCCEEDED');
    expect(await stateOf('ConfirmOrder').getAttribute('data-status')).toBe('succeeded');
    expect(await stateOf('OrderConfirmed').getAttribute('data-status')).toBe('succeeded');
    expect(await page.locator('.exec-head').textContent()).toContain('redriven 1×');
    expect(await page.locator('#order-status').textContent()).toBe('CONFIRMED');
    expect(await page.locator('#redrive').isDisabled()).toBe(true);
  });

  it('the stop button stops a running execution', async () => {
    let release = () => {};
    await sandbox.placeOrder('ord-1007', { charge: { hold: new Promise<void>((r) => (release = r)) } }, 'cust-e');
    await page.goto(`${web.url}/#/execution/ord-1007`);
    await page.locator('#graph svg').waitFor();
    expect(await stateOf('ProcessPayment').getAttribute('data-status')).toBe('running');
    await page.locator('#stop').click();
    await waitForStatus('ABORTED');
    expect(await stateOf('ProcessPayment').getAttribute('data-status')).toBe('aborted');
    release();
  });

  it('loads nothing from outside this server', () => {
    expect(requests.length).toBeGreaterThan(10);
    expect(requests.filter((url) => !url.startsWith(web.url))).toEqual([]);
  });
});

describe('Express workflow', () => {
  it('says that executions cannot be listed and still draws the definition', async () => {
    const client = new SFNClient({ region: REGION, endpoint: sandbox.sfnUrl, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    await client.send(
      new CreateStateMachineCommand({ name: 'order-express-saga', type: 'EXPRESS', definition: loadSagaDefinition(), roleArn: 'arn:aws:iam::123456789012:role/saga' }),
    );
    client.destroy();
    const config = resolveConfig({ endpoint: sandbox.sfnUrl, region: REGION, stateMachine: 'order-express-saga', endpointsFile: '/nonexistent/endpoints.json' }, {});
    const express = await startWebServer({ inspector: SagaInspector.fromConfig(config), config, port: 0 });
    try {
      await page.goto(`${express.url}/`);
      await page.locator('#graph svg').waitFor();
      expect(await page.locator('.notice').textContent()).toContain('order-express-saga is an EXPRESS state machine');
      expect(await page.locator('#graph g[data-state="MarkOrderFailed"]').getAttribute('data-compensation')).toBe('true');
    } finally {
      await express.close();
    }
  });
});

describe('web API guards', () => {
  it('refuses actions without a JSON body type or from another origin, and foreign Host headers', async () => {
    const url = `${web.url}/api/executions/ord-1002/redrive`;
    expect((await fetch(url, { method: 'POST' })).status).toBe(403);
    expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'http://evil.example' } })).status).toBe(403);
    // fetch cannot forge Host; a raw request can (that is what DNS rebinding amounts to).
    const status = await new Promise<number | undefined>((resolve, reject) =>
      request(`${web.url}/api/config`, { headers: { host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      })
        .on('error', reject)
        .end(),
    );
    expect(status).toBe(421);
  });

  it('answers API errors as JSON with the right status', async () => {
    const missing = await fetch(`${web.url}/api/executions/ord-none`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: 'NOT_FOUND', message: expect.stringContaining('ord-none') } });
    const conflict = await fetch(`${web.url}/api/executions/ord-1001/redrive`, { method: 'POST', headers: { 'content-type': 'application/json' } });
    expect(conflict.status).toBe(409);
    expect((await fetch(`${web.url}/api/executions?status=NOPE`)).status).toBe(400);
    const history = await fetch(`${web.url}/api/executions/ord-1002/history`);
    expect(history.headers.get('content-disposition')).toBe('attachment; filename="ord-1002-history.json"');
    expect(((await history.json()) as { events: unknown[] }).events.length).toBe(23);
  });

  it('compares two executions: state by state, the first divergence, one graph with both paths', async () => {
    const answer = await fetch(`${web.url}/api/compare/ord-1003/ord-1001`);
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { svg: string; comparison: { divergence: { state: string } | null }; original: { summary: { name: string } }; replay: { svg: string } };
    expect(body.original.summary.name).toBe('ord-1003');
    expect(body.comparison.divergence).toEqual({ state: 'ShipOrder', original: 'caught ShippingFailed', replay: 'succeeded' });
    expect(body.svg).toContain('data-state="ShipOrder" data-status="succeeded" data-compensation="false" data-other-status="caught"');
    expect(body.svg).toContain('data-other-taken="true"');
    expect(body.replay.svg).not.toContain('data-other-status');
  });

  it('replays only where it can seed the local stack, and says how', async () => {
    const answer = await fetch(`${web.url}/api/executions/ord-1002/replay`, { method: 'POST', headers: { 'content-type': 'application/json' } });
    expect(answer.status).toBe(422);
    expect(await answer.json()).toEqual({ error: { code: 'UNSUPPORTED', message: expect.stringContaining('npm start') } });
    expect((await fetch(`${web.url}/api/executions/ord-1002/replay`, { method: 'POST' })).status).toBe(403);
  });
});
