import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { paginateListExecutions, SFNClient, type ExecutionListItem } from '@aws-sdk/client-sfn';
import { FAULTS_FILE_NAME, FAULTS_LOG_NAME } from '@order-platform/shared/lambda/fault-injection';
import { localClientConfig } from '../../tools/local-stack/src/aws-clients';
import { devCredentials, PlatformClient } from '../../tools/local-stack/src/client/platform-client';
import { executionHistory } from '../../tools/local-stack/src/client/saga-path';
import { eventually, sleep, unique } from './support/context';
import { restartableStack } from './support/restartable-stack';

/**
 * "Executions survive a restart of `npm start`": the stack is stopped with SIGTERM while an
 * order's payment step is in flight, and started again. DynamoDB Local, SNS/SQS (fauxqs) and Step
 * Functions keep their data in the data folder; the interrupted execution is redriven at start
 * (LOCAL_SFN_RESUME, on by default) and the order completes, charged once, notified once.
 *
 * Only what must restart restarts: when this e2e run started the shared stack, that stack is
 * restarted (its packaged templates are reused, so a restart is a plain start). When the run uses
 * a developer's `npm start`, which it must not stop, the test starts a stack of its own (its own
 * data folder and ports) and restarts that one.
 */
jest.setTimeout(20 * 60_000);

const stack = restartableStack('restart');

afterAll(async () => {
  rmSync(path.join(stack.dataDir, FAULTS_FILE_NAME), { force: true });
  await stack.cleanUp();
});

async function executionsOf(sfn: SFNClient, stateMachineArn: string): Promise<ExecutionListItem[]> {
  const executions: ExecutionListItem[] = [];
  for await (const page of paginateListExecutions({ client: sfn }, { stateMachineArn })) executions.push(...(page.executions ?? []));
  return executions;
}

test('an order whose saga is in flight when the stack stops completes after a restart, charged and notified once', async () => {
  const { dataDir } = stack;
  let endpoints = await stack.start();
  const credentials = devCredentials(path.join(dataDir, 'auth'));
  let platform = new PlatformClient(endpoints, credentials);
  const sku = unique('RESTART');
  await platform.putStock(sku, { price: 700, currency: 'EUR', available: 5 });

  // One order before the restart, finished.
  const before = await platform.placeOrder({ customerId: unique('before'), email: 'b@example.com', items: [{ sku, quantity: 1 }], paymentToken: 'tok_visa' });
  expect(await platform.waitForOutcome(before.orderId)).toMatchObject({ status: 'CONFIRMED' });
  // Seen before the stop (eventually returns its last value when the time is up: assert it).
  const notifiedBefore = await eventually(() => platform.listNotifications(before.orderId), (items) => items.length > 0, 90_000);
  expect(notifiedBefore.map((n) => n.eventType)).toEqual(['OrderConfirmed']);

  // One order whose payment step hangs (an injected timeout) while the stack is stopped. The
  // faults log may hold earlier tests' faults (the shared stack): only what follows counts.
  const faultsLog = path.join(dataDir, FAULTS_LOG_NAME);
  const logStart = existsSync(faultsLog) ? statSync(faultsLog).size : 0;
  writeFileSync(path.join(dataDir, FAULTS_FILE_NAME), JSON.stringify({ 'payment-local-charge': { timeout: 1 } }));
  const during = await platform.placeOrder({ customerId: unique('during'), email: 'd@example.com', items: [{ sku, quantity: 2 }], paymentToken: 'tok_visa' });
  await eventually(
    async () => (existsSync(faultsLog) ? readFileSync(faultsLog).subarray(logStart).toString('utf8') : ''),
    (text) => text.includes('"payment-local-charge"') && text.includes('"timeout"'),
    60_000,
  );
  expect(await platform.getOrder(during.orderId)).toMatchObject({ status: 'PENDING' });
  await stack.stop();
  rmSync(path.join(dataDir, FAULTS_FILE_NAME));

  endpoints = await stack.start();
  platform = new PlatformClient(endpoints, credentials);
  const sfn = new SFNClient(localClientConfig(endpoints.stepFunctions, endpoints.region));
  try {
    // Everything from before the restart is still there.
    expect(await platform.getOrder(before.orderId)).toMatchObject({ status: 'CONFIRMED' });
    // The interrupted saga was redriven and finished: reserved once, charged once, shipped.
    const final = await platform.waitForOutcome(during.orderId, 120_000);
    expect(final).toMatchObject({ status: 'CONFIRMED', total: { amount: 1400, currency: 'EUR' } });
    expect(await platform.getPayment(during.orderId)).toMatchObject({ status: 'CAPTURED', amount: { amount: 1400, currency: 'EUR' } });
    expect(await platform.getStock(sku)).toMatchObject({ available: 2, held: 3 });

    const executions = await executionsOf(sfn, final.executionArn!.replace(/:execution:(.+):[^:]+$/, ':stateMachine:$1'));
    const byName = new Map(executions.map((e) => [e.name, e]));
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
