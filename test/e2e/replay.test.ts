/**
 * `npm run saga -- replay` against the local stack, with real orders through the order API:
 * - a failure and its fix: an order FAILED in ConfirmOrder while a fault was injected (the faults
 *   file); the fault is cleared and the execution replayed: the replay ends SUCCEEDED under its own
 *   order id, the comparison names ConfirmOrder as the state where the runs part, and the
 *   original's execution and order record stay as they were;
 * - the regression test of the issue, in one line: `saga replay <order> --expect SUCCEEDED`;
 * - out of stock: an OUT_OF_STOCK order replayed with the same data fails the same way, with no
 *   divergence;
 * - the page: "Replay locally" on the failed execution opens the comparison (both graphs with their
 *   paths, the state-by-state table, both timelines); saves ops/inspector/docs/replay-comparison.png;
 * - a history file on a fresh stack: the masked export of one stack is replayed on a second stack
 *   started with --fresh (its own data folder and ports): the seeding makes it run.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Comparison } from '../../ops/inspector/src/core/compare';
import type { StartedReplay } from '../../ops/inspector/src/app/replay';
import { type Browser, launchBrowser, openInspectorPage } from '../../ops/inspector/test/helpers/browser';
import { REPO_ROOT } from '../../tools/local-stack/src/config';
import type { StackEndpoints } from '../../tools/local-stack/src/endpoints';
import { e2eContext, eventually, unique, type E2eContext } from './support/context';
import { putStock } from './support/guarantees';
import { endpointsFileOf, failedInConfirmOrder, placeAndSettle, sagaCli, type PlacedOrder } from './support/inspector';
import { spawnStack, stopStackProcess } from './stack-process';

jest.setTimeout(600_000);

type Replayed = StartedReplay & { comparison: Comparison };
const SCREENSHOT = path.join(REPO_ROOT, 'ops', 'inspector', 'docs', 'replay-comparison.png');
/** The second stack of part (c): its own data folder, ports from 18600 (LOCAL_PORT_BASE + 500 otherwise). */
const FRESH_DIR = path.join(REPO_ROOT, '.local', 'replay-e2e');
const FRESH_PORT_BASE = process.env.LOCAL_PORT_BASE ? Number(process.env.LOCAL_PORT_BASE) + 500 : 18600;

let s: E2eContext;
let saga: ReturnType<typeof sagaCli>;
let failed: PlacedOrder;
let outOfStock: PlacedOrder;
const fresh: { pid?: number; endpoints?: Promise<StackEndpoints> } = {};
let dir: string;

beforeAll(async () => {
  s = e2eContext();
  saga = sagaCli(endpointsFileOf(s));
  dir = mkdtempSync(path.join(tmpdir(), 'replay-e2e-'));
  const sku = unique('REPLAY-SKU');
  const scarce = unique('REPLAY-SCARCE');
  await putStock(s, sku, { price: 1500, currency: 'EUR', available: 50 });
  await putStock(s, scarce, { price: 900, currency: 'EUR', available: 1 });
  // The second stack starts meanwhile: it has its own data folder, so the faults file is not its.
  rmSync(FRESH_DIR, { recursive: true, force: true });
  fresh.endpoints = spawnStack({
    log: path.join(REPO_ROOT, '.local', 'logs', 'e2e-replay-stack.log'),
    args: ['--fresh'],
    env: { LOCAL_DATA_DIR: FRESH_DIR, LOCAL_PORT_BASE: String(FRESH_PORT_BASE) },
    endpointsFile: path.join(FRESH_DIR, 'endpoints.json'),
    onSpawn: (pid) => (fresh.pid = pid),
  }).then((started) => started.endpoints);
  fresh.endpoints.catch(() => undefined);
  let placed: PlacedOrder[];
  [placed, outOfStock] = await Promise.all([
    failedInConfirmOrder(s, { customerId: unique('replay'), sku }),
    placeAndSettle(s, { customerId: unique('replay-oos'), sku: scarce, quantity: 5, paymentToken: 'tok_visa' }),
  ]);
  failed = placed[0]!;
  expect(failed.status).toBe('FAILED');
  expect(outOfStock.status).toBe('FAILED');
});

afterAll(async () => {
  await stopStackProcess(fresh.pid);
  rmSync(FRESH_DIR, { recursive: true, force: true });
  if (dir) rmSync(dir, { recursive: true, force: true });
  s?.close();
});

test('a failure and its fix: the replay ends SUCCEEDED and the comparison names the state where the runs part', async () => {
  const before = await s.platform.getOrder(failed.orderId);
  const out = await saga('replay', failed.orderId, '--json');
  expect(out.code).toBe(0);
  const replayed = out.json<Replayed>();
  expect(replayed.replay.name).toBe(`${failed.orderId}replay1`);
  expect(replayed.comparison.replay.status).toBe('SUCCEEDED');
  expect(replayed.comparison.divergence).toEqual({ state: 'ConfirmOrder', original: 'failed TransientError', replay: 'succeeded' });
  const confirm = replayed.comparison.states.find((state) => state.name === 'ConfirmOrder')!;
  expect(confirm.original).toMatchObject({ entered: true, status: 'failed', error: 'TransientError' });
  expect(confirm.original.retries).toBeGreaterThan(0);
  expect(replayed.comparison.states.filter((state) => state.firstDivergence).map((state) => state.name)).toEqual(['ConfirmOrder']);
  // Seeded: the order row under the replay's id; the SKU is in the catalogue already, left as it is.
  expect(replayed.seeding).toEqual([
    expect.objectContaining({ what: 'stock', outcome: 'exists' }),
    expect.objectContaining({ what: 'order', key: replayed.replay.name, outcome: 'written' }),
  ]);
  expect(await s.platform.getOrder(replayed.replay.name)).toMatchObject({ status: 'CONFIRMED', customerId: failed.customerId });
  // The original is as it was: its execution FAILED, its order row untouched.
  expect((await saga('show', failed.orderId, '--json')).json<{ summary: { status: string } }>().summary.status).toBe('FAILED');
  expect(await s.platform.getOrder(failed.orderId)).toEqual(before);
});

test('regression test in one line: saga replay <order> --expect SUCCEEDED (and a wrong expectation exits 1)', async () => {
  const out = await saga('replay', failed.orderId, '--expect', 'SUCCEEDED');
  expect(out.code).toBe(0);
  expect(out.stdout).toContain(`Replay ${failed.orderId}replay2 of ${failed.orderId} (FAILED)`);
  expect(out.stdout).toContain('▶ first divergence: ConfirmOrder: original failed TransientError, replay succeeded');
  const wrong = await saga('replay', outOfStock.orderId, '--expect', 'SUCCEEDED');
  expect(wrong.code).toBe(1);
  expect(wrong.stderr).toContain(`replay ${outOfStock.orderId}replay1 ended FAILED in OrderFailed, expected SUCCEEDED`);
});

test('out of stock, replayed with the same data, fails the same way: no divergence', async () => {
  const out = await saga('replay', outOfStock.orderId, '--json', '--expect', 'FAILED');
  expect(out.code).toBe(0);
  const replayed = out.json<Replayed>();
  expect(replayed.replay.name).toBe(`${outOfStock.orderId}replay2`);
  expect(replayed.comparison.divergence).toBeNull();
  expect(replayed.comparison.states.map((state) => [state.name, state.original.status, state.replay.status, state.replay.error])).toEqual([
    ['ReserveInventory', 'caught', 'caught', 'OutOfStock'],
    ['MarkOrderFailed', 'succeeded', 'succeeded', undefined],
    ['OrderFailed', 'failed', 'failed', 'OrderFailed'],
  ]);
  expect(replayed.seeding[0]).toMatchObject({ what: 'stock', outcome: 'exists' });
  expect(await s.platform.getOrder(replayed.replay.name)).toMatchObject({ status: 'FAILED', failureReason: 'OUT_OF_STOCK' });
});

describe('the page', () => {
  let browser: Browser;
  beforeAll(async () => (browser = await launchBrowser()));
  afterAll(async () => browser?.close());

  test('"Replay locally" runs the failed execution again and shows the comparison; its screenshot is the README\'s', async () => {
    const { page, requests } = await openInspectorPage(browser);
    await page.goto(`${s.endpoints.inspector}/#/execution/${failed.orderId}`);
    await page.locator('#replay').click();
    await page.locator('[data-view="compare"]').waitFor();
    await eventually(() => page.locator('#replay-status [data-status]').getAttribute('data-status'), (status) => status === 'SUCCEEDED', 120_000, 500);
    const replay = `${failed.orderId}replay3`;
    expect(page.url()).toContain(`#/compare/${failed.orderId}/${replay}`);
    expect(await page.locator('.exec-head h1').textContent()).toBe(`Replay ${replay}`);
    expect(await page.locator('#divergence').getAttribute('data-state')).toBe('ConfirmOrder');
    expect(await page.locator('#divergence').textContent()).toContain('original failed TransientError, replay succeeded');
    expect(await page.locator('#comparison tr.divergence').getAttribute('data-state')).toBe('ConfirmOrder');
    expect(await page.locator('#comparison tr[data-state="OrderConfirmed"]').textContent()).toContain('not entered');
    // Both graphs, each with its path: ConfirmOrder failed in one, succeeded in the other, marked as the divergence.
    const state = (side: string, name: string) => page.locator(`[data-side="${side}"] g[data-state="${name}"]`);
    expect(await state('Original', 'ConfirmOrder').getAttribute('data-status')).toBe('failed');
    expect(await state('Replay', 'ConfirmOrder').getAttribute('data-status')).toBe('succeeded');
    expect(await state('Replay', 'OrderConfirmed').getAttribute('data-status')).toBe('succeeded');
    expect(await state('Replay', 'ConfirmOrder').getAttribute('class')).toContain('g-divergence');
    // One graph with both paths: the replay's outcome, the original's beside it, its path dashed over the replay's.
    const both = (name: string) => page.locator(`#both-paths g[data-state="${name}"]`);
    expect(await both('ConfirmOrder').getAttribute('data-status')).toBe('succeeded');
    expect(await both('ConfirmOrder').getAttribute('data-other-status')).toBe('failed');
    expect(await both('OrderConfirmed').getAttribute('data-other-status')).toBe('idle');
    expect(await page.locator('#both-paths g[data-from="ShipOrder"][data-to="ConfirmOrder"]').getAttribute('data-other-taken')).toBe('true');
    expect(await page.locator('#both-paths g[data-from="ConfirmOrder"][data-to="OrderConfirmed"]').getAttribute('data-taken')).toBe('true');
    expect(await page.locator('#timeline').count()).toBe(2);
    expect(requests.filter((url) => !url.startsWith(`${s.endpoints.inspector}/`))).toEqual([]);
    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    const bottom = (await page.evaluate("document.querySelector('#both-paths').getBoundingClientRect().bottom + window.scrollY")) as number;
    await page.screenshot({ path: SCREENSHOT, fullPage: true, clip: { x: 0, y: 0, width: 1400, height: Math.ceil(bottom + 24) } });
  });
});

test('a history file on a fresh stack: the masked export of this stack runs on another, seeded', async () => {
  const exported = await saga('history', failed.orderId, '--json');
  expect(exported.code).toBe(0);
  const file = path.join(dir, `${failed.orderId}-history.json`);
  writeFileSync(file, exported.stdout);
  const text = readFileSync(file, 'utf8');
  const parsed = JSON.parse(text) as { format: string; version: number; masked: string[]; definition: string; order: { email: string } };
  expect(parsed).toMatchObject({ format: 'order-saga-execution', version: 1, masked: ['email', 'paymentToken'] });
  expect(text).not.toContain(`${failed.customerId}@example.com`);
  expect(text).not.toContain('tok_visa');
  expect(parsed.order.email).toMatch(/^masked-\w+@example\.invalid$/u);

  const endpoints = await fresh.endpoints!;
  const other = sagaCli(path.join(FRESH_DIR, 'endpoints.json'));
  const out = await other('replay', file, '--json', '--expect', 'SUCCEEDED');
  expect(out.code).toBe(0);
  const replayed = out.json<Replayed>();
  expect(replayed.original.masked).toEqual(['email', 'paymentToken']);
  expect(replayed.notes.join('\n')).toContain('payment token masked in the export: tok_visa');
  expect(replayed.seeding.map((seed) => [seed.what, seed.outcome])).toEqual([
    ['stock', 'written'],
    ['order', 'written'],
  ]);
  expect(replayed.seeding[0]!.detail).toContain('1 available at 1500 EUR (price from the recorded reservation');
  expect(replayed.comparison.divergence?.state).toBe('ConfirmOrder');
  expect(replayed.replay.executionArn).toContain(`:${endpoints.accountId}:execution:order-local-saga:${failed.orderId}replay1`);
});
