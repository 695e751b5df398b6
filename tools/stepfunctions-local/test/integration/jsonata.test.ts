import {
  DescribeStateMachineCommand,
  DescribeStateMachineForExecutionCommand,
  GetExecutionHistoryCommand,
  RedriveExecutionCommand,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { namedError, type LambdaStub } from '../helpers/lambda-stub';
import { lambdaArn } from '../helpers/saga';
import { createMachine, history, waitForEnd, startLocalWithStub } from '../helpers/sfn';

// Generous: the machine is shared and slow; nothing here asserts on speed.
jest.setTimeout(60_000);

/**
 * JSONata and variables through the HTTP API with the unmodified SDK: Lambda tasks over a real
 * Lambda Invoke endpoint, assignedVariables in GetExecutionHistory, a redrive that resumes with
 * the variables assigned before the failure, and an Express machine answering StartSyncExecution.
 */
let stub: LambdaStub;
let local: Awaited<ReturnType<typeof startLocalWithStub>>;
let sfn: SFNClient;
let syncClient: SFNClient;

beforeAll(async () => {
  local = await startLocalWithStub();
  ({ stub, sfn, syncClient } = local);
});

afterAll(() => local.close());

beforeEach(() => stub.reset());

const QUOTE_NAME = 'pricing-local-quote';
const SHIP_NAME = 'shipping-local-ship';
const QUOTE = lambdaArn(QUOTE_NAME);
const SHIP = lambdaArn(SHIP_NAME);

/** Quote (assigns the price), then Ship (reads it): the shape of a JSONata saga step. */
const pricedShipping = {
  QueryLanguage: 'JSONata',
  StartAt: 'Quote',
  States: {
    Quote: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Arguments: { FunctionName: QUOTE, Payload: { sku: '{% $states.input.sku %}' } },
      Assign: { price: '{% $states.result.Payload.price %}', orderId: '{% $states.input.orderId %}' },
      Output: '{% $states.input %}',
      Next: 'Ship',
    },
    Ship: {
      Type: 'Task',
      Resource: SHIP,
      Arguments: { orderId: '{% $orderId %}', price: '{% $price %}' },
      Output: {
        orderId: '{% $orderId %}',
        price: '{% $price %}',
        tracking: '{% $states.result.tracking %}',
        executionInput: '{% $states.context.Execution.Input %}',
      },
      End: true,
    },
  },
};

test('a JSONata machine runs through the API; its history carries assignedVariables (only with execution data)', async () => {
  stub.on(QUOTE_NAME, (e) => ({ price: (e as { sku: string }).sku.length * 10 }));
  stub.on(SHIP_NAME, (e) => ({ tracking: `T-${(e as { orderId: string }).orderId}` }));
  const machineArn = await createMachine(sfn, 'jsonata-priced-shipping', pricedShipping);
  const { executionArn = '' } = await sfn.send(
    new StartExecutionCommand({ stateMachineArn: machineArn, name: 'o-1', input: JSON.stringify({ orderId: 'o-1', sku: 'abc' }) }),
  );
  const described = await waitForEnd(sfn, executionArn);
  expect(described.status).toBe('SUCCEEDED');
  expect(JSON.parse(described.output ?? '')).toEqual({ orderId: 'o-1', price: 30, tracking: 'T-o-1', executionInput: { orderId: 'o-1', sku: 'abc' } });
  expect(stub.calls.map((c) => [c.name, c.payload])).toEqual([
    ['pricing-local-quote', { sku: 'abc' }],
    ['shipping-local-ship', { orderId: 'o-1', price: 30 }],
  ]);

  const events = await history(sfn, executionArn);
  const quoteExited = events.find((e) => e.type === 'TaskStateExited' && e.stateExitedEventDetails?.name === 'Quote');
  expect(quoteExited?.stateExitedEventDetails?.assignedVariables).toEqual({ price: '30', orderId: '"o-1"' });
  expect(quoteExited?.stateExitedEventDetails?.assignedVariablesDetails).toEqual({ truncated: false });

  // The variables each state reads, as AWS's DescribeStateMachine reports them.
  const described2 = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: machineArn }));
  expect(described2.variableReferences).toEqual({ Ship: ['orderId', 'price'] });
  const forExecution = await sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn }));
  expect(forExecution.variableReferences).toEqual({ Ship: ['orderId', 'price'] });

  const withoutData = await sfn.send(new GetExecutionHistoryCommand({ executionArn, includeExecutionData: false }));
  const bare = withoutData.events?.find((e) => e.type === 'TaskStateExited');
  expect(bare?.stateExitedEventDetails).toEqual({ name: 'Quote' });
});

test('redrive resumes at the failed state with the variables assigned before it', async () => {
  let shipAttempts = 0;
  stub.on(QUOTE_NAME, () => ({ price: 99 }));
  stub.on(SHIP_NAME, (e) => {
    shipAttempts += 1;
    if (shipAttempts === 1) throw namedError('CarrierDown', 'no carrier');
    return { tracking: `T-${(e as { orderId: string }).orderId}` };
  });
  const machineArn = await createMachine(sfn, 'jsonata-redrive', pricedShipping);
  const { executionArn = '' } = await sfn.send(
    new StartExecutionCommand({ stateMachineArn: machineArn, name: 'o-2', input: JSON.stringify({ orderId: 'o-2', sku: 'x' }) }),
  );
  const failed = await waitForEnd(sfn, executionArn);
  expect(failed).toMatchObject({ status: 'FAILED', error: 'CarrierDown' });

  await sfn.send(new RedriveExecutionCommand({ executionArn }));
  const redriven = await waitForEnd(sfn, executionArn);
  expect(redriven.status).toBe('SUCCEEDED');
  expect(redriven.redriveCount).toBe(1);
  // Quote did not run again; Ship read $orderId and $price from before the failure.
  expect(stub.calls.filter((c) => c.name === 'pricing-local-quote')).toHaveLength(1);
  expect(stub.calls.at(-1)?.payload).toEqual({ orderId: 'o-2', price: 99 });
  // $states.context.Execution.Input is the execution's input, not the resumed state's.
  expect(JSON.parse(redriven.output ?? '')).toEqual({ orderId: 'o-2', price: 99, tracking: 'T-o-2', executionInput: { orderId: 'o-2', sku: 'x' } });
  const types = (await history(sfn, executionArn)).map((e) => e.type);
  expect(types.slice(types.indexOf('ExecutionRedriven'))).toEqual([
    'ExecutionRedriven',
    'TaskStateEntered',
    'LambdaFunctionScheduled',
    'LambdaFunctionStarted',
    'LambdaFunctionSucceeded',
    'TaskStateExited',
    'ExecutionSucceeded',
  ]);
});

test('an Express JSONata machine answers StartSyncExecution; an evaluation error fails it with States.QueryEvaluationError', async () => {
  const machineArn = await createMachine(
    sfn,
    'jsonata-express',
    {
      QueryLanguage: 'JSONata',
      StartAt: 'Total',
      States: { Total: { Type: 'Pass', Output: { total: '{% $sum($states.input.lines.amount) %}' }, End: true } },
    },
    'EXPRESS',
  );
  const ok = await syncClient.send(
    new StartSyncExecutionCommand({ stateMachineArn: machineArn, input: JSON.stringify({ lines: [{ amount: 2 }, { amount: 5 }] }) }),
  );
  expect(ok.status).toBe('SUCCEEDED');
  expect(JSON.parse(ok.output ?? '')).toEqual({ total: 7 });

  const bad = await syncClient.send(new StartSyncExecutionCommand({ stateMachineArn: machineArn, input: JSON.stringify({ lines: 'none' }) }));
  expect(bad.status).toBe('FAILED');
  expect(bad.error).toBe('States.QueryEvaluationError');
  expect(bad.cause).toContain("'Output/total'");
});

test('DescribeExecution of a failed evaluation: AWS wording with the state and the event id', async () => {
  const machineArn = await createMachine(sfn, 'jsonata-undefined', {
    QueryLanguage: 'JSONata',
    StartAt: 'State0',
    States: { State0: { Type: 'Pass', Output: '{% $doesNotExist %}', End: true } },
  });
  const { executionArn = '' } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, name: 'u-1' }));
  const described = await waitForEnd(sfn, executionArn);
  expect(described).toMatchObject({
    status: 'FAILED',
    error: 'States.QueryEvaluationError',
    cause:
      "An error occurred while executing the state 'State0' (entered at the event id #2). The JSONata expression '$doesNotExist' specified for the field 'Output' returned nothing (undefined).",
  });
  const types = (await history(sfn, executionArn)).map((e) => [e.id, e.previousEventId, e.type]);
  expect(types).toEqual([
    [1, 0, 'ExecutionStarted'],
    [2, 0, 'PassStateEntered'],
    [3, 0, 'EvaluationFailed'],
    [4, 3, 'ExecutionFailed'],
  ]);
});
