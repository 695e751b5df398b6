import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { FAULTS_FILE_NAME, FAULTS_LOG_NAME } from '@order-platform/shared/lambda/fault-injection';
import { localClientConfig } from '../../tools/local-stack/src/aws-clients';
import { devCredentials, eventually, PlatformClient } from '../../tools/local-stack/src/client/platform-client';
import { executionHistory } from '../../tools/local-stack/src/client/saga-path';
import { DEFAULT_PORT_BASE, REPO_ROOT } from '../../tools/local-stack/src/config';
import type { StackEndpoints } from '../../tools/local-stack/src/endpoints';
import { sleep } from '../../tools/local-stack/src/process/wait';
import { unique } from './e2e-context';
import { spawnStack, stopStackProcess } from './stack-process';

/**
 * "Executions survive a restart of `npm start`": a second stack of its own (its own data folder
 * and ports, so the shared e2e stack is not disturbed) is stopped with SIGTERM while an order's
 * payment step is in flight, and started again. DynamoDB Local, SNS/SQS (fauxqs) and Step
 * Functions keep their data in the data folder; the interrupted execution is redriven at start
 * (LOCAL_SFN_RESUME, on by default) and the order completes, charged once, notified once.
 */
jest.setTimeout(20 * 60_000);

const dataDir = path.join(REPO_ROOT, '.local', 'restart-e2e');
const portBase = Number(process.env.LOCAL_PORT_BASE || DEFAULT_PORT_BASE) + 500;
const log = path.join(REPO_ROOT, '.local', 'logs', 'e2e-restart-stack.log');
let pid: number | undefined;

async function startStack(fresh: boolean): Promise<StackEndpoints> {
  const started = await spawnStack({
    log,
    args: fresh ? ['--fresh'] : [],
    env: { LOCAL_DATA_DIR: dataDir, LOCAL_PORT_BASE: String(portBase) },
    endpointsFile: path.join(dataDir, 'endpoints.json'),
    onSpawn: (spawned) => (pid = spawned),
  });
  return started.endpoints;
}

/** SIGTERM, as Ctrl-C would: the stack stops every component cleanly. */
async function stopStack(): Promise<void> {
  const running = pid;
  pid = undefined;
  await stopStackProcess(running);
}

afterAll(async () => {
  await stopStack();
  rmSync(dataDir, { recursive: true, force: true });
});

test('an order whose saga is in flight when the stack stops completes after a restart, charged and notified once', async () => {
  let endpoints = await startStack(true);
  const credentials = devCredentials(path.join(dataDir, 'auth'));
  let platform = new PlatformClient(endpoints, credentials);
  const sku = unique('RESTART');
  await platform.putStock(sku, { price: 700, currency: 'EUR', available: 5 });

  // One order before the restart, finished.
  const before = await platform.placeOrder({ customerId: unique('before'), email: 'b@example.com', items: [{ sku, quantity: 1 }], paymentToken: 'tok_visa' });
  expect(await platform.waitForOutcome(before.orderId)).toMatchObject({ status: 'CONFIRMED' });
  await eventually(() => platform.listNotifications(before.orderId), (items) => items.length > 0, 90_000);

  // One order whose payment step hangs (an injected timeout) while the stack is stopped.
  writeFileSync(path.join(dataDir, FAULTS_FILE_NAME), JSON.stringify({ 'payment-local-charge': { timeout: 1 } }));
  const during = await platform.placeOrder({ customerId: unique('during'), email: 'd@example.com', items: [{ sku, quantity: 2 }], paymentToken: 'tok_visa' });
  const faultsLog = path.join(dataDir, FAULTS_LOG_NAME);
  await eventually(
    async () => (existsSync(faultsLog) ? readFileSync(faultsLog, 'utf8') : ''),
    (text) => text.includes('"payment-local-charge"') && text.includes('"timeout"'),
    60_000,
  );
  expect(await platform.getOrder(during.orderId)).toMatchObject({ status: 'PENDING' });
  await stopStack();
  rmSync(path.join(dataDir, FAULTS_FILE_NAME));

  endpoints = await startStack(false);
  platform = new PlatformClient(endpoints, credentials);
  const sfn = new SFNClient(localClientConfig(endpoints.stepFunctions, endpoints.region));
  try {
    // Everything from before the restart is still there.
    expect(await platform.getOrder(before.orderId)).toMatchObject({ status: 'CONFIRMED' });
    // The interrupted saga was redriven and finished: reserved once, charged once, shipped.
    const final = await platform.waitForOutcome(during.orderId, 120_000);
    expect(final).toMatchObject({ status: 'CONFIRMED', total: { amount: 1400, currency: 'EUR' } });
    expect(await platform.getPayment(during.orderId)).toMatchObject({ status: 'CAPTURED', amount: { amount: 1400, currency: 'EUR' } });
    expect(await platform.getStock(sku)).toMatchObject({ available: 2, reserved: 0, shipped: 3 });

    const { executions } = await sfn.send(new ListExecutionsCommand({ stateMachineArn: final.executionArn!.replace(/:execution:(.+):[^:]+$/, ':stateMachine:$1') }));
    const byName = new Map((executions ?? []).map((e) => [e.name, e]));
    expect(byName.get(before.orderId)?.status).toBe('SUCCEEDED');
    expect(byName.get(during.orderId)?.status).toBe('SUCCEEDED');
    const history = await executionHistory(sfn, final.executionArn!);
    expect(history.map((event) => event.type)).toContain('ExecutionRedriven');

    // One notification per order, none lost and none repeated by the restart.
    const notified = await eventually(() => platform.listNotifications(during.orderId), (items) => items.length > 0, 90_000);
    await sleep(3_000);
    expect(notified.map((n) => n.eventType)).toEqual(['OrderConfirmed']);
    expect((await platform.listNotifications(during.orderId)).map((n) => n.eventType)).toEqual(['OrderConfirmed']);
    expect((await platform.listNotifications(before.orderId)).map((n) => n.eventType)).toEqual(['OrderConfirmed']);
  } finally {
    sfn.destroy();
  }
});
