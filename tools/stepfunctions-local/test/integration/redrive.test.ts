import {
  DescribeExecutionCommand,
  ExecutionNotRedrivable,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  StartExecutionCommand,
  StopExecutionCommand,
  UpdateStateMachineCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { namedError, type LambdaStub } from '../helpers/lambda-stub';
import { FUNCTIONS, sagaDefinition, sagaObject } from '../helpers/saga';
import { createMachine, enteredStates, history, skeleton, waitForEnd, waitForHistory, startLocalWithStub } from '../helpers/sfn';

// Generous: the machine is shared and slow; nothing here asserts on speed.
jest.setTimeout(60_000);

let stub: LambdaStub;
let local: Awaited<ReturnType<typeof startLocalWithStub>>;
let sfn: SFNClient;

beforeAll(async () => {
  local = await startLocalWithStub();
  ({ stub, sfn } = local);
});

afterAll(() => local.close());

beforeEach(() => {
  stub.reset();
  stub
    .on(FUNCTIONS.ReserveInventoryFunctionArn, (e) => ({ ...(e as object), reserved: true }))
    .on(FUNCTIONS.ProcessPaymentFunctionArn, (e) => ({ ...(e as object), paid: true }))
    .on(FUNCTIONS.ReleaseInventoryFunctionArn, () => ({ released: true }));
});

async function start(stateMachineArn: string, name: string, input = '{"orderId":"o-9"}'): Promise<string> {
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input }));
  if (!executionArn) throw new Error('no executionArn');
  return executionArn;
}

/**
 * The saga with ShipOrder's Catch removed (and the compensation states only it reached, since
 * unreachable states are an invalid definition): a shipping failure fails the execution in place.
 */
function sagaWithoutShipCatch(): object {
  const saga = sagaObject();
  delete saga.States['ShipOrder']?.['Catch'];
  for (const state of ['ShippingFailed', 'ReleaseInventoryAfterShipFail', 'ShippingFailedState']) delete saga.States[state];
  return saga;
}

test('fail, fix the function, redrive: resumes at the failed state and succeeds', async () => {
  const machineArn = await createMachine(sfn, 'saga-redrive', sagaWithoutShipCatch());
  stub.on(FUNCTIONS.ShipOrderFunctionArn, () => {
    throw namedError('CarrierUnavailable', 'carrier API down');
  });
  const executionArn = await start(machineArn, 'ship-later');
  const failed = await waitForEnd(sfn, executionArn);
  expect(failed).toMatchObject({ status: 'FAILED', error: 'CarrierUnavailable', redriveCount: 0, redriveStatus: 'REDRIVABLE' });
  const before = await history(sfn, executionArn);
  expect(skeleton(before).slice(-5)).toEqual([
    [12, 11, 'TaskStateEntered'],
    [13, 12, 'LambdaFunctionScheduled'],
    [14, 13, 'LambdaFunctionStarted'],
    [15, 14, 'LambdaFunctionFailed'],
    [16, 15, 'ExecutionFailed'],
  ]);

  // The function is fixed; the execution is redriven.
  stub.on(FUNCTIONS.ShipOrderFunctionArn, (e) => ({ ...(e as object), shipped: true }));
  const redriven = await sfn.send(new RedriveExecutionCommand({ executionArn }));
  expect(redriven.redriveDate).toBeInstanceOf(Date);

  const done = await waitForEnd(sfn, executionArn);
  expect(done).toMatchObject({
    executionArn,
    status: 'SUCCEEDED',
    redriveCount: 1,
    redriveStatus: 'NOT_REDRIVABLE',
    redriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven',
  });
  expect(done.redriveDate?.getTime()).toBe(redriven.redriveDate?.getTime());
  expect(done.error).toBeUndefined();
  expect(JSON.parse(done.output ?? '')).toEqual({ orderId: 'o-9', reserved: true, paid: true, shipped: true });

  const after = await history(sfn, executionArn);
  // The earlier history is kept as it was; the redrive is appended.
  expect(after.slice(0, before.length)).toEqual(before);
  expect(skeleton(after.slice(before.length))).toEqual([
    [17, 16, 'ExecutionRedriven'],
    [18, 17, 'TaskStateEntered'],
    [19, 18, 'LambdaFunctionScheduled'],
    [20, 19, 'LambdaFunctionStarted'],
    [21, 20, 'LambdaFunctionSucceeded'],
    [22, 21, 'TaskStateExited'],
    [23, 22, 'ExecutionSucceeded'],
  ]);
  expect(after[16]?.executionRedrivenEventDetails).toEqual({ redriveCount: 1 });
  // Resumed with the failed state's original input; the steps that had succeeded did not run again.
  expect(after[17]?.stateEnteredEventDetails?.input).toBe(before[11]?.stateEnteredEventDetails?.input);
  expect(stub.callsTo(FUNCTIONS.ReserveInventoryFunctionArn)).toHaveLength(1);
  expect(stub.callsTo(FUNCTIONS.ProcessPaymentFunctionArn)).toHaveLength(1);
  const shipCalls = stub.callsTo(FUNCTIONS.ShipOrderFunctionArn);
  expect(shipCalls).toHaveLength(2);
  expect(shipCalls[1]).toEqual(shipCalls[0]);

  await expect(sfn.send(new RedriveExecutionCommand({ executionArn }))).rejects.toMatchObject({
    name: 'ExecutionNotRedrivable',
    message: 'Execution is SUCCEEDED and cannot be redriven',
  });
  const redrivenList = await sfn.send(new ListExecutionsCommand({ stateMachineArn: machineArn, redriveFilter: 'REDRIVEN' }));
  expect(redrivenList.executions?.map((e) => [e.name, e.redriveCount])).toEqual([['ship-later', 1]]);
});

test('a redrive uses the definition the execution started with, not an updated one', async () => {
  const machineArn = await createMachine(sfn, 'saga-redrive-updated', sagaWithoutShipCatch());
  stub.on(FUNCTIONS.ShipOrderFunctionArn, (_e, call) => {
    if (call === 1) throw namedError('CarrierUnavailable', 'down');
    return { shipped: true };
  });
  const executionArn = await start(machineArn, 'pinned');
  await waitForEnd(sfn, executionArn);
  await sfn.send(
    new UpdateStateMachineCommand({
      stateMachineArn: machineArn,
      definition: JSON.stringify({ StartAt: 'ShipOrder', States: { ShipOrder: { Type: 'Pass', End: true } } }),
    }),
  );
  await sfn.send(new RedriveExecutionCommand({ executionArn }));
  expect((await waitForEnd(sfn, executionArn)).status).toBe('SUCCEEDED');
  expect(stub.callsTo(FUNCTIONS.ShipOrderFunctionArn)).toHaveLength(2);
});

test('the seed saga fails in a Fail state: a redrive re-runs that state and fails again', async () => {
  const machineArn = await createMachine(sfn, 'saga-redrive-fail-state', sagaDefinition());
  stub.on(FUNCTIONS.ReserveInventoryFunctionArn, () => {
    throw namedError('OutOfStock', 'none left');
  });
  const executionArn = await start(machineArn, 'out-of-stock');
  await waitForEnd(sfn, executionArn);
  await sfn.send(new RedriveExecutionCommand({ executionArn }));
  const done = await waitForEnd(sfn, executionArn);
  expect(done).toMatchObject({ status: 'FAILED', cause: 'Failed to reserve inventory', redriveCount: 1, redriveStatus: 'REDRIVABLE' });
  const events = await history(sfn, executionArn);
  expect(skeleton(events).slice(-4)).toEqual([
    [8, 7, 'ExecutionFailed'],
    [9, 8, 'ExecutionRedriven'],
    [10, 9, 'FailStateEntered'],
    [11, 10, 'ExecutionFailed'],
  ]);
  expect(stub.callsTo(FUNCTIONS.ReserveInventoryFunctionArn)).toHaveLength(1);
});

describe('aborted and running executions', () => {
  const waiting = {
    StartAt: 'Prepare',
    States: {
      Prepare: { Type: 'Pass', Result: { step: 'prepared' }, ResultPath: '$.prep', Next: 'Hold' },
      Hold: { Type: 'Wait', Seconds: 300, Next: 'Finish' },
      Finish: { Type: 'Succeed' },
    },
  };

  test('a RUNNING execution is not redrivable', async () => {
    const machineArn = await createMachine(sfn, 'hold-running', waiting);
    const executionArn = await start(machineArn, 'busy');
    await expect(sfn.send(new RedriveExecutionCommand({ executionArn }))).rejects.toMatchObject({
      name: 'ExecutionNotRedrivable',
      message: 'Execution is RUNNING and cannot be redriven',
    });
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(described).toMatchObject({ redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution is RUNNING and cannot be redriven' });
    await sfn.send(new StopExecutionCommand({ executionArn }));
  });

  test('an ABORTED execution resumes in the state it was stopped in; a client token makes the redrive idempotent', async () => {
    const machineArn = await createMachine(sfn, 'hold-aborted', waiting);
    const executionArn = await start(machineArn, 'stopped-then-redriven');
    await waitForHistory(sfn, executionArn, (events) => events.some((e) => e.type === 'WaitStateEntered'));
    await sfn.send(new StopExecutionCommand({ executionArn }));
    await waitForHistory(sfn, executionArn, (events) => events.some((e) => e.type === 'ExecutionAborted'));

    const first = await sfn.send(new RedriveExecutionCommand({ executionArn, clientToken: 'retry-1' }));
    const repeat = await sfn.send(new RedriveExecutionCommand({ executionArn, clientToken: 'retry-1' }));
    expect(repeat.redriveDate?.getTime()).toBe(first.redriveDate?.getTime());

    const events = await waitForHistory(sfn, executionArn, (e) => e.filter((x) => x.type === 'WaitStateEntered').length === 2);
    expect(skeleton(events)).toEqual([
      [1, 0, 'ExecutionStarted'],
      [2, 0, 'PassStateEntered'],
      [3, 2, 'PassStateExited'],
      [4, 3, 'WaitStateEntered'],
      [5, 0, 'ExecutionAborted'],
      [6, 5, 'ExecutionRedriven'],
      [7, 6, 'WaitStateEntered'],
    ]);
    expect(enteredStates(events)).toEqual(['Prepare', 'Hold', 'Hold']);
    expect(events[6]?.stateEnteredEventDetails?.input).toBe(events[3]?.stateEnteredEventDetails?.input);
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(described).toMatchObject({ status: 'RUNNING', redriveCount: 1 });
    expect(described.stopDate).toBeUndefined();
    await sfn.send(new StopExecutionCommand({ executionArn }));
  });

  test('redriving an unknown execution is ExecutionDoesNotExist', async () => {
    await expect(
      sfn.send(new RedriveExecutionCommand({ executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:hold-aborted:nope' })),
    ).rejects.toMatchObject({ name: 'ExecutionDoesNotExist' });
  });

  test('the error class is the SDK one', async () => {
    const machineArn = await createMachine(sfn, 'hold-class', waiting);
    const executionArn = await start(machineArn, 'busy');
    await expect(sfn.send(new RedriveExecutionCommand({ executionArn }))).rejects.toBeInstanceOf(ExecutionNotRedrivable);
    await sfn.send(new StopExecutionCommand({ executionArn }));
  });
});
