import { StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { namedError, type LambdaStub } from '../helpers/lambda-stub';
import { FUNCTIONS, lambdaArn, sagaDefinition } from '../helpers/saga';
import { createMachine, enteredStates, history, skeleton, waitForEnd, startLocalWithStub } from '../helpers/sfn';

// Generous: the machine is shared and slow; nothing here asserts on speed.
jest.setTimeout(60_000);

/**
 * The seed's order saga, run through the SDK against Lambda stubs behind a real HTTP Invoke
 * endpoint. Every path's history is asserted event by event: types, ids and previousEventIds as
 * AWS records them (state entered → Lambda scheduled/started/succeeded|failed → state exited).
 */
const order = { orderId: 'o-1001', items: [{ sku: 'sku-1', quantity: 2 }] };

let stub: LambdaStub;
let local: Awaited<ReturnType<typeof startLocalWithStub>>;
let sfn: SFNClient;
let machineArn: string;

beforeAll(async () => {
  local = await startLocalWithStub();
  ({ stub, sfn } = local);
  machineArn = await createMachine(sfn, 'order-saga', sagaDefinition());
});

afterAll(() => local.close());

beforeEach(() => stub.reset());

async function run(name: string) {
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, name, input: JSON.stringify(order) }));
  if (!executionArn) throw new Error('no executionArn');
  const described = await waitForEnd(sfn, executionArn);
  return { described, events: await history(sfn, executionArn) };
}

const okStubs = () =>
  stub
    .on(FUNCTIONS.ReserveInventoryFunctionArn, (e) => ({ ...(e as object), reserved: true }))
    .on(FUNCTIONS.ProcessPaymentFunctionArn, (e) => ({ ...(e as object), paymentId: 'pay-1' }))
    .on(FUNCTIONS.ShipOrderFunctionArn, (e) => ({ ...(e as object), shipmentId: 'ship-1' }))
    .on(FUNCTIONS.ReleaseInventoryFunctionArn, () => ({ released: true }))
    .on(FUNCTIONS.RefundPaymentFunctionArn, () => ({ refunded: true }));

/** The five events of one successful Lambda task, starting at `id`, entered after `previous`. */
const lambdaTask = (id: number, previous: number, outcome = 'LambdaFunctionSucceeded') => [
  [id, previous, 'TaskStateEntered'],
  [id + 1, id, 'LambdaFunctionScheduled'],
  [id + 2, id + 1, 'LambdaFunctionStarted'],
  [id + 3, id + 2, outcome],
  [id + 4, id + 3, 'TaskStateExited'],
];

test('success: ReserveInventory -> ProcessPayment -> ShipOrder', async () => {
  okStubs();
  const { described, events } = await run('success');

  expect(described.status).toBe('SUCCEEDED');
  expect(JSON.parse(described.output ?? '')).toEqual({ ...order, reserved: true, paymentId: 'pay-1', shipmentId: 'ship-1' });
  expect(skeleton(events)).toEqual([
    [1, 0, 'ExecutionStarted'],
    ...lambdaTask(2, 0),
    ...lambdaTask(7, 6),
    ...lambdaTask(12, 11),
    [17, 16, 'ExecutionSucceeded'],
  ]);
  expect(enteredStates(events)).toEqual(['ReserveInventory', 'ProcessPayment', 'ShipOrder']);
  // Details carry what AWS puts there: the state input, the Lambda ARN, the function output.
  expect(events[0]?.executionStartedEventDetails).toMatchObject({ input: JSON.stringify(order), roleArn: expect.stringContaining(':role/') });
  expect(events[1]?.stateEnteredEventDetails).toEqual({ name: 'ReserveInventory', input: JSON.stringify(order), inputDetails: { truncated: false } });
  expect(events[2]?.lambdaFunctionScheduledEventDetails).toMatchObject({
    resource: lambdaArn(FUNCTIONS.ReserveInventoryFunctionArn),
    input: JSON.stringify(order),
  });
  expect(JSON.parse(events[4]?.lambdaFunctionSucceededEventDetails?.output ?? '')).toEqual({ ...order, reserved: true });
  expect(events[16]?.executionSucceededEventDetails?.output).toBe(described.output);
  // Each task's Lambda got the previous state's output, by exact function name.
  expect(stub.calls.map((c) => c.name)).toEqual([
    FUNCTIONS.ReserveInventoryFunctionArn,
    FUNCTIONS.ProcessPaymentFunctionArn,
    FUNCTIONS.ShipOrderFunctionArn,
  ]);
  expect(stub.callsTo(FUNCTIONS.ShipOrderFunctionArn)).toEqual([{ ...order, reserved: true, paymentId: 'pay-1' }]);
  // Timestamps are epoch seconds in order.
  const times = events.map((e) => e.timestamp?.getTime() ?? 0);
  expect(times).toEqual([...times].sort((a, b) => a - b));
});

test('inventory fails: InventoryReservationFailed', async () => {
  okStubs().on(FUNCTIONS.ReserveInventoryFunctionArn, () => {
    throw namedError('OutOfStock', 'sku-1 has 0 available');
  });
  const { described, events } = await run('inventory-fails');

  expect(described.status).toBe('FAILED');
  expect(described.error).toBeUndefined();
  expect(described.cause).toBe('Failed to reserve inventory');
  expect(skeleton(events)).toEqual([
    [1, 0, 'ExecutionStarted'],
    ...lambdaTask(2, 0, 'LambdaFunctionFailed'),
    [7, 6, 'FailStateEntered'],
    [8, 7, 'ExecutionFailed'],
  ]);
  const failed = events[4]?.lambdaFunctionFailedEventDetails;
  expect(failed?.error).toBe('OutOfStock');
  expect(JSON.parse(failed?.cause ?? '')).toMatchObject({ errorType: 'OutOfStock', errorMessage: 'sku-1 has 0 available' });
  // Catch without ResultPath: the state's output is the error object.
  expect(JSON.parse(events[5]?.stateExitedEventDetails?.output ?? '')).toEqual({ Error: 'OutOfStock', Cause: failed?.cause });
  expect(events[7]?.executionFailedEventDetails).toEqual({ cause: 'Failed to reserve inventory' });
  expect(stub.calls.map((c) => c.name)).toEqual([FUNCTIONS.ReserveInventoryFunctionArn]);
});

test('payment fails: ReleaseInventory then PaymentFailedState', async () => {
  okStubs().on(FUNCTIONS.ProcessPaymentFunctionArn, () => {
    throw namedError('PaymentDeclined', 'card declined');
  });
  const { described, events } = await run('payment-fails');

  expect(described.status).toBe('FAILED');
  expect(described.cause).toBe('Payment processing failed');
  expect(skeleton(events)).toEqual([
    [1, 0, 'ExecutionStarted'],
    ...lambdaTask(2, 0),
    ...lambdaTask(7, 6, 'LambdaFunctionFailed'),
    ...lambdaTask(12, 11),
    [17, 16, 'FailStateEntered'],
    [18, 17, 'ExecutionFailed'],
  ]);
  expect(enteredStates(events)).toEqual(['ReserveInventory', 'ProcessPayment', 'PaymentFailed', 'PaymentFailedState']);
  expect(events[9]?.lambdaFunctionFailedEventDetails?.error).toBe('PaymentDeclined');
  // The compensation ran once, with the caught error as its input (the seed's Catch has no ResultPath).
  expect(stub.callsTo(FUNCTIONS.ReleaseInventoryFunctionArn)).toEqual([
    { Error: 'PaymentDeclined', Cause: events[9]?.lambdaFunctionFailedEventDetails?.cause },
  ]);
  expect(stub.callsTo(FUNCTIONS.ShipOrderFunctionArn)).toEqual([]);
  expect(stub.callsTo(FUNCTIONS.RefundPaymentFunctionArn)).toEqual([]);
});

test('shipping fails: RefundPayment -> ReleaseInventoryAfterShipFail -> ShippingFailedState', async () => {
  okStubs().on(FUNCTIONS.ShipOrderFunctionArn, () => {
    throw namedError('CarrierUnavailable', 'no carrier for zone');
  });
  const { described, events } = await run('shipping-fails');

  expect(described.status).toBe('FAILED');
  expect(described.cause).toBe('Shipping failed');
  expect(skeleton(events)).toEqual([
    [1, 0, 'ExecutionStarted'],
    ...lambdaTask(2, 0),
    ...lambdaTask(7, 6),
    ...lambdaTask(12, 11, 'LambdaFunctionFailed'),
    ...lambdaTask(17, 16),
    ...lambdaTask(22, 21),
    [27, 26, 'FailStateEntered'],
    [28, 27, 'ExecutionFailed'],
  ]);
  expect(enteredStates(events)).toEqual([
    'ReserveInventory',
    'ProcessPayment',
    'ShipOrder',
    'ShippingFailed',
    'ReleaseInventoryAfterShipFail',
    'ShippingFailedState',
  ]);
  // Compensations in reverse order: refund first, then release.
  expect(stub.calls.map((c) => c.name).slice(3)).toEqual([FUNCTIONS.RefundPaymentFunctionArn, FUNCTIONS.ReleaseInventoryFunctionArn]);
});
