import { StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { namedError, type LambdaStub } from '../helpers/lambda-stub';
import { FUNCTIONS, sagaObject } from '../helpers/saga';
import { createMachine, history, skeleton, waitForEnd, startLocalWithStub } from '../helpers/sfn';

// Generous: the machine is shared and slow; nothing here asserts on speed.
jest.setTimeout(60_000);

/**
 * The saga with a Retry on ProcessPayment for a transient error (the business errors still go
 * straight to Catch). Each attempt shows as its own Scheduled/Started/Failed group inside one
 * TaskStateEntered..TaskStateExited, as on AWS.
 */
let stub: LambdaStub;
let local: Awaited<ReturnType<typeof startLocalWithStub>>;
let sfn: SFNClient;
let machineArn: string;

beforeAll(async () => {
  local = await startLocalWithStub();
  ({ stub, sfn } = local);
  const saga = sagaObject();
  saga.States['ProcessPayment'] = {
    ...saga.States['ProcessPayment'],
    Retry: [{ ErrorEquals: ['PaymentProviderUnavailable'], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 1 }],
  };
  machineArn = await createMachine(sfn, 'order-saga-retry', saga);
});

afterAll(() => local.close());

beforeEach(() => {
  stub.reset();
  stub
    .on(FUNCTIONS.ReserveInventoryFunctionArn, (e) => e)
    .on(FUNCTIONS.ShipOrderFunctionArn, (e) => e)
    .on(FUNCTIONS.ReleaseInventoryFunctionArn, () => ({ released: true }));
});

async function run(name: string) {
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, name, input: '{"orderId":"o-7"}' }));
  if (!executionArn) throw new Error('no executionArn');
  return { described: await waitForEnd(sfn, executionArn), events: await history(sfn, executionArn) };
}

const attempt = (id: number, outcome: string) => [
  [id, id - 1, 'LambdaFunctionScheduled'],
  [id + 1, id, 'LambdaFunctionStarted'],
  [id + 2, id + 1, outcome],
];

const reserve = [
  [2, 0, 'TaskStateEntered'],
  [3, 2, 'LambdaFunctionScheduled'],
  [4, 3, 'LambdaFunctionStarted'],
  [5, 4, 'LambdaFunctionSucceeded'],
  [6, 5, 'TaskStateExited'],
];

test('a transient failure is retried, then the saga succeeds', async () => {
  stub.on(FUNCTIONS.ProcessPaymentFunctionArn, (e, call) => {
    if (call === 1) throw namedError('PaymentProviderUnavailable', 'provider timeout');
    return e;
  });
  const { described, events } = await run('retry-then-success');

  expect(described.status).toBe('SUCCEEDED');
  expect(skeleton(events)).toEqual([
    [1, 0, 'ExecutionStarted'],
    ...reserve,
    [7, 6, 'TaskStateEntered'],
    ...attempt(8, 'LambdaFunctionFailed'),
    ...attempt(11, 'LambdaFunctionSucceeded'),
    [14, 13, 'TaskStateExited'],
    [15, 14, 'TaskStateEntered'],
    [16, 15, 'LambdaFunctionScheduled'],
    [17, 16, 'LambdaFunctionStarted'],
    [18, 17, 'LambdaFunctionSucceeded'],
    [19, 18, 'TaskStateExited'],
    [20, 19, 'ExecutionSucceeded'],
  ]);
  expect(events[9]?.lambdaFunctionFailedEventDetails?.error).toBe('PaymentProviderUnavailable');
  // IntervalSeconds is honoured: the retry was scheduled at least a second after the failure.
  const failedAt = events[9]?.timestamp?.getTime() ?? 0;
  const retriedAt = events[10]?.timestamp?.getTime() ?? 0;
  expect(retriedAt - failedAt).toBeGreaterThanOrEqual(950);
  expect(stub.callsTo(FUNCTIONS.ProcessPaymentFunctionArn)).toHaveLength(2);
});

test('retries exhausted, then Catch runs the compensation', async () => {
  stub.on(FUNCTIONS.ProcessPaymentFunctionArn, () => {
    throw namedError('PaymentProviderUnavailable', 'provider down');
  });
  const { described, events } = await run('retry-exhausted');

  expect(described.status).toBe('FAILED');
  expect(described.cause).toBe('Payment processing failed');
  expect(skeleton(events)).toEqual([
    [1, 0, 'ExecutionStarted'],
    ...reserve,
    [7, 6, 'TaskStateEntered'],
    ...attempt(8, 'LambdaFunctionFailed'),
    ...attempt(11, 'LambdaFunctionFailed'),
    ...attempt(14, 'LambdaFunctionFailed'),
    [17, 16, 'TaskStateExited'],
    [18, 17, 'TaskStateEntered'],
    [19, 18, 'LambdaFunctionScheduled'],
    [20, 19, 'LambdaFunctionStarted'],
    [21, 20, 'LambdaFunctionSucceeded'],
    [22, 21, 'TaskStateExited'],
    [23, 22, 'FailStateEntered'],
    [24, 23, 'ExecutionFailed'],
  ]);
  expect(stub.callsTo(FUNCTIONS.ProcessPaymentFunctionArn)).toHaveLength(3);
  expect(stub.callsTo(FUNCTIONS.ReleaseInventoryFunctionArn)).toHaveLength(1);
});

test('a business error is not retried: it goes straight to Catch', async () => {
  stub.on(FUNCTIONS.ProcessPaymentFunctionArn, () => {
    throw namedError('PaymentDeclined', 'insufficient funds');
  });
  const { described, events } = await run('declined-no-retry');

  expect(described.status).toBe('FAILED');
  expect(stub.callsTo(FUNCTIONS.ProcessPaymentFunctionArn)).toHaveLength(1);
  expect(events.filter((e) => e.type === 'LambdaFunctionFailed').map((e) => e.lambdaFunctionFailedEventDetails?.error)).toEqual([
    'PaymentDeclined',
  ]);
});
