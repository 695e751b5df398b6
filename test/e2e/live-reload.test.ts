import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { devCredentials, eventually, PlatformClient } from '../../tools/local-stack/src/client/platform-client';
import { REPO_ROOT } from '../../tools/local-stack/src/config';
import type { StackEndpoints } from '../../tools/local-stack/src/endpoints';
import { createScratchRepo, type ScratchRepo } from '../../tools/local-stack/src/scratch-repo';
import { spawnStack, stopStackProcess } from '../../tools/local-stack/src/stack-launcher';
import { unique } from './support/context';

/**
 * Live reload of `npm start`, on a scratch copy of the repository with a stack of its own (ports
 * from 3500), so that the edits never touch the developer's files or the shared e2e stack.
 */
const NOT_ALLOWED = 'shared/src/lambda/method-not-allowed.ts';
let scratch: ScratchRepo;
let pid: number | undefined;
let endpoints: StackEndpoints;
let platform: PlatformClient;
let stackLog: string;
let original: string;

beforeAll(async () => {
  scratch = createScratchRepo({ templatesFrom: path.join(REPO_ROOT, '.local') });
  stackLog = path.join(scratch.dir, '.local', 'logs', 'live-reload-stack.log');
  ({ endpoints } = await spawnStack({
    rootDir: scratch.dir,
    log: stackLog,
    endpointsFile: path.join(scratch.dir, '.local', 'endpoints.json'),
    env: { LOCAL_PORT_BASE: '3500', LOCAL_DATA_DIR: '', LOCAL_TYPECHECK: 'false' },
    onSpawn: (spawned) => (pid = spawned),
  }));
  platform = new PlatformClient(endpoints, devCredentials(path.join(scratch.dir, '.local', 'auth')));
  original = readFileSync(path.join(scratch.dir, NOT_ALLOWED), 'utf8');
}, 600_000);

afterAll(async () => {
  await stopStackProcess(pid);
  scratch?.dispose();
});

const save = (text: string) => writeFileSync(path.join(scratch.dir, NOT_ALLOWED), text);

/** The 405 detail the order API answers for DELETE /orders (the shared method-not-allowed handler). */
async function notAllowedDetail(): Promise<string> {
  const headers = await devCredentials(path.join(scratch.dir, '.local', 'auth')).customer('reload');
  const response = await fetch(`${endpoints.orderApi}/orders`, { method: 'DELETE', headers });
  expect(response.status).toBe(405);
  return ((await response.json()) as { detail: string }).detail;
}

const logSince = (offset: number) => readFileSync(stackLog, 'utf8').slice(offset);

test('a saved change is served, a broken save keeps the last good build, the fix is picked up, and an order in flight completes', async () => {
  const sku = unique('RELOAD-SKU');
  await platform.putStock(sku, { price: 700, currency: 'EUR', available: 5 });
  const placed = await platform.placeOrder({ customerId: unique('reload'), email: 'reload@example.com', items: [{ sku, quantity: 1 }], paymentToken: 'tok_visa' });
  expect(await notAllowedDetail()).toMatch(/^Method DELETE is not allowed on \/orders/);

  // 1. A change reaches the running stack.
  save(original.replace('is not allowed on', 'is not allowed (reloaded) on'));
  expect(await eventually(notAllowedDetail, (detail) => detail.includes('(reloaded)'), 15_000)).toMatch(/^Method DELETE is not allowed \(reloaded\) on \/orders/);

  // 2. A syntax error is printed with file and line; the last good build keeps answering.
  let offset = readFileSync(stackLog, 'utf8').length;
  save(original.replace('is not allowed on', 'is not allowed (broken) on').replace('const methods =', 'const methods = ('));
  const failure = await eventually(async () => logSince(offset), (log) => log.includes('build failed at'), 15_000);
  expect(failure).toMatch(new RegExp(`build failed at ${NOT_ALLOWED.replaceAll('.', '\\.')}:\\d+:\\d+; the previous build keeps serving`));
  expect(await notAllowedDetail()).toContain('(reloaded)');

  // 3. The fix is picked up by itself.
  offset = readFileSync(stackLog, 'utf8').length;
  save(original.replace('is not allowed on', 'is not allowed (fixed) on'));
  expect(await eventually(notAllowedDetail, (detail) => detail.includes('(fixed)'), 15_000)).toContain('(fixed)');
  expect(logSince(offset)).toContain('build mended');

  // 4. The order placed before the edits went through.
  expect(await platform.waitForOutcome(placed.orderId)).toMatchObject({ status: 'CONFIRMED' });
});

test('a changed serverless.yml restarts only that service, which then answers again', async () => {
  const file = path.join(scratch.dir, 'services', 'payment', 'serverless.yml');
  const yml = readFileSync(file, 'utf8');
  const offset = readFileSync(stackLog, 'utf8').length;
  // A comment is enough to change the packaged inputs: the service is packaged, provisioned and restarted.
  writeFileSync(file, `${yml}\n# live-reload test\n`);
  const log = await eventually(async () => logSince(offset), (text) => /payment restarted/.test(text), 120_000);
  expect(log).toMatch(/services\/payment\/serverless\.yml changed: packaging payment/);
  expect(log).not.toMatch(/(order|inventory|notification) service /);
  const payment = await fetch(`${endpoints.paymentApi}/payments/ord_unknown`, { headers: await devCredentials(path.join(scratch.dir, '.local', 'auth')).admin() });
  expect(payment.status).toBe(404);
});
