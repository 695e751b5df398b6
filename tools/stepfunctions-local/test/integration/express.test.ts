import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StopExecutionCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { namedError, type LambdaStub } from '../helpers/lambda-stub';
import { lambdaArn } from '../helpers/saga';
import { createMachine, startLocalWithStub } from '../helpers/sfn';

// Generous: the machine is shared and slow; nothing here asserts on speed.
jest.setTimeout(60_000);

/** Express workflows: StartSyncExecution answers with the outcome; executions are not kept. */
let stub: LambdaStub;
let local: Awaited<ReturnType<typeof startLocalWithStub>>;
let sfn: SFNClient;
/** StartSyncExecution carries the SDK host prefix `sync-`; locally it must be disabled. */
let syncClient: SFNClient;

const quote = {
  StartAt: 'Quote',
  States: {
    Quote: { Type: 'Task', Resource: lambdaArn('pricing-local-quote'), ResultPath: '$.quote', End: true },
  },
};

beforeAll(async () => {
  local = await startLocalWithStub();
  ({ stub, sfn, syncClient } = local);
});

afterAll(() => local.close());

beforeEach(() => stub.reset());

test('StartSyncExecution returns the result synchronously', async () => {
  stub.on('pricing-local-quote', (e) => ({ total: 1250, currency: 'EUR', for: e }));
  const machineArn = await createMachine(sfn, 'express-quote', quote, 'EXPRESS');
  const out = await syncClient.send(new StartSyncExecutionCommand({ stateMachineArn: machineArn, name: 'q1', input: '{"sku":"sku-1"}' }));
  expect(out).toMatchObject({
    stateMachineArn: machineArn,
    name: 'q1',
    status: 'SUCCEEDED',
    input: '{"sku":"sku-1"}',
    inputDetails: { included: true },
    outputDetails: { included: true },
    billingDetails: { billedMemoryUsedInMB: 64 },
  });
  expect(out.executionArn).toMatch(/^arn:aws:states:eu-west-1:123456789012:express:express-quote:q1:[0-9a-f-]{36}$/u);
  expect(JSON.parse(out.output ?? '')).toEqual({ sku: 'sku-1', quote: { total: 1250, currency: 'EUR', for: { sku: 'sku-1' } } });
  expect(out.billingDetails?.billedDurationInMilliseconds).toBeGreaterThanOrEqual(100);
  // Billed in 100 ms steps.
  expect((out.billingDetails?.billedDurationInMilliseconds ?? 1) % 100).toBe(0);
  expect(out.stopDate?.getTime()).toBeGreaterThanOrEqual(out.startDate?.getTime() ?? Infinity);
});

test('a failed Express execution reports error and cause, no output', async () => {
  stub.on('pricing-local-quote', () => {
    throw namedError('UnknownSku', 'sku-9 is not sold');
  });
  const machineArn = await createMachine(sfn, 'express-quote-fails', quote, 'EXPRESS');
  const out = await syncClient.send(new StartSyncExecutionCommand({ stateMachineArn: machineArn, input: '{"sku":"sku-9"}' }));
  expect(out.status).toBe('FAILED');
  expect(out.error).toBe('UnknownSku');
  expect(JSON.parse(out.cause ?? '')).toMatchObject({ errorType: 'UnknownSku', errorMessage: 'sku-9 is not sold' });
  expect(out.output).toBeUndefined();
});

test('TimeoutSeconds on an Express machine gives TIMED_OUT', async () => {
  const machineArn = await createMachine(
    sfn,
    'express-timeout',
    { TimeoutSeconds: 1, StartAt: 'Hold', States: { Hold: { Type: 'Wait', Seconds: 30, End: true } } },
    'EXPRESS',
  );
  const out = await syncClient.send(new StartSyncExecutionCommand({ stateMachineArn: machineArn }));
  expect(out).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
});

test('StartExecution on Express runs asynchronously; the execution is not kept, as on AWS', async () => {
  let ran: () => void = () => undefined;
  const called = new Promise<void>((resolve) => {
    ran = resolve;
  });
  stub.on('pricing-local-quote', () => {
    ran();
    return { total: 1 };
  });
  const machineArn = await createMachine(sfn, 'express-async', quote, 'EXPRESS');
  const out = await sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, name: 'fire-and-forget' }));
  expect(out.executionArn).toContain(':express:express-async:fire-and-forget:');
  await called;
  const invalid = { name: 'InvalidArn', message: "Invalid Arn: 'Resource type not valid in this context: express'" };
  await expect(sfn.send(new DescribeExecutionCommand({ executionArn: out.executionArn }))).rejects.toMatchObject(invalid);
  await expect(sfn.send(new GetExecutionHistoryCommand({ executionArn: out.executionArn }))).rejects.toMatchObject(invalid);
  await expect(sfn.send(new StopExecutionCommand({ executionArn: out.executionArn }))).rejects.toMatchObject(invalid);
});

test('without disableHostPrefix the SDK sends StartSyncExecution to sync-127.0.0.1, which does not resolve', async () => {
  const machineArn = await createMachine(sfn, 'express-prefix', { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, 'EXPRESS');
  await expect(sfn.send(new StartSyncExecutionCommand({ stateMachineArn: machineArn }))).rejects.toThrow(/sync-127\.0\.0\.1/u);
});
