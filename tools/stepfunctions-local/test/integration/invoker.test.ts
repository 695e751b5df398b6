import { createServer } from 'node:net';
import { StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { LambdaStub, namedError } from '../helpers/lambda-stub';
import { lambdaArn } from '../helpers/saga';
import { createMachine, history, startLocal, waitForEnd } from '../helpers/sfn';

// Generous: the machine is shared and slow; nothing here asserts on speed.
jest.setTimeout(60_000);

/**
 * The default invoker against real HTTP Lambda endpoints: routing by function-name prefix,
 * connection reuse, how transport failures and function errors become States errors.
 */
let orderStub: LambdaStub;
let fallbackStub: LambdaStub;
/** Mimics serverless-offline: every thrown error is reported with errorType "Error". */
let offlineStub: LambdaStub;
let local: Awaited<ReturnType<typeof startLocal>>;
let sfn: SFNClient;

/** A port that was free a moment ago: nothing answers there. */
async function unusedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  orderStub = await LambdaStub.start();
  fallbackStub = await LambdaStub.start();
  offlineStub = await LambdaStub.start({ errorType: () => 'Error' });
  local = await startLocal({
    lambdaEndpoint: fallbackStub.url,
    lambdaEndpoints: {
      'order-local-': orderStub.url,
      'payment-local-': offlineStub.url,
      // A port nothing listens on: the call cannot be made.
      'down-local-': `http://127.0.0.1:${await unusedPort()}`,
    },
  });
  sfn = local.sfn;
});

afterAll(async () => {
  await local.close();
  await Promise.all([orderStub.close(), fallbackStub.close(), offlineStub.close()]);
});

beforeEach(() => {
  orderStub.reset();
  fallbackStub.reset();
  offlineStub.reset();
});

const task = (name: string, extra: object = {}) => ({
  StartAt: 'Call',
  States: { Call: { Type: 'Task', Resource: lambdaArn(name), End: true, ...extra } },
});

let counter = 0;
async function run(definition: object, input: object = {}) {
  counter += 1;
  const machineArn = await createMachine(sfn, `invoker-${counter}`, definition);
  const { executionArn = '' } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, input: JSON.stringify(input) }));
  const described = await waitForEnd(sfn, executionArn);
  return { described, events: await history(sfn, executionArn) };
}

test('functions are routed by name prefix, others go to the default endpoint', async () => {
  orderStub.on('order-local-confirmOrder', () => ({ confirmed: true }));
  fallbackStub.on('inventory-local-reserve', () => ({ reserved: true }));
  const definition = {
    StartAt: 'Reserve',
    States: {
      Reserve: { Type: 'Task', Resource: lambdaArn('inventory-local-reserve'), ResultPath: '$.reserve', Next: 'Confirm' },
      Confirm: { Type: 'Task', Resource: lambdaArn('order-local-confirmOrder'), ResultPath: '$.confirm', End: true },
    },
  };
  const { described } = await run(definition, { orderId: 'o-1' });
  expect(JSON.parse(described.output ?? '')).toEqual({ orderId: 'o-1', reserve: { reserved: true }, confirm: { confirmed: true } });
  expect(orderStub.calls.map((c) => c.name)).toEqual(['order-local-confirmOrder']);
  expect(fallbackStub.calls.map((c) => c.name)).toEqual(['inventory-local-reserve']);
});

test('one client per endpoint: sequential invocations reuse a keep-alive connection', async () => {
  orderStub.on('order-local-ping', () => ({ pong: true }));
  const machineArn = await createMachine(sfn, 'invoker-keepalive', task('order-local-ping'));
  for (let i = 0; i < 15; i += 1) {
    const { executionArn = '' } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn }));
    expect((await waitForEnd(sfn, executionArn)).status).toBe('SUCCEEDED');
  }
  expect(orderStub.calls).toHaveLength(15);
  expect(orderStub.connections).toBeLessThanOrEqual(2);
});

test('a versioned or aliased function ARN invokes the function by its bare name', async () => {
  orderStub.on('order-local-confirmOrder', () => ({ ok: 1 }));
  const definition = {
    StartAt: 'Call',
    States: { Call: { Type: 'Task', Resource: `${lambdaArn('order-local-confirmOrder')}:live`, End: true } },
  };
  const { described, events } = await run(definition);
  expect(described.status).toBe('SUCCEEDED');
  expect(orderStub.calls.map((c) => c.name)).toEqual(['order-local-confirmOrder']);
  expect(events[2]?.lambdaFunctionScheduledEventDetails?.resource).toBe(`${lambdaArn('order-local-confirmOrder')}:live`);
});

test('serverless-offline style errors (errorType "Error") still match Catch by the error class name', async () => {
  offlineStub.on('payment-local-charge', () => {
    throw namedError('PaymentDeclined', 'card declined');
  });
  const definition = task('payment-local-charge', { Catch: [{ ErrorEquals: ['PaymentDeclined'], Next: 'Declined' }] });
  (definition.States as Record<string, unknown>)['Declined'] = { Type: 'Fail', Error: 'OrderRejected' };
  const { described, events } = await run(definition);
  expect(described).toMatchObject({ status: 'FAILED', error: 'OrderRejected' });
  const failed = events.find((e) => e.type === 'LambdaFunctionFailed')?.lambdaFunctionFailedEventDetails;
  expect(failed?.error).toBe('PaymentDeclined');
  // The cause is the payload exactly as the endpoint sent it.
  expect(JSON.parse(failed?.cause ?? '')).toMatchObject({ errorType: 'Error', errorMessage: 'card declined' });
});

test('an unknown function fails with Lambda.ResourceNotFoundException', async () => {
  const { described } = await run(task('order-local-doesNotExist'));
  expect(described.status).toBe('FAILED');
  expect(described.error).toBe('Lambda.ResourceNotFoundException');
  expect(described.cause).toContain('Function not found: order-local-doesNotExist');
  expect(described.cause).toContain('Status Code: 404; Error Code: ResourceNotFoundException');
});

test('an endpoint that cannot be reached fails with Lambda.SdkClientException, which Retry can match', async () => {
  const definition = task('down-local-anything', {
    Retry: [{ ErrorEquals: ['Lambda.SdkClientException'], IntervalSeconds: 1, MaxAttempts: 1 }],
  });
  const { described, events } = await run(definition);
  expect(described.status).toBe('FAILED');
  expect(described.error).toBe('Lambda.SdkClientException');
  expect(described.cause).toMatch(/^Unable to execute HTTP request: /u);
  expect(events.filter((e) => e.type === 'LambdaFunctionFailed')).toHaveLength(2);
});

test('a resource other than Lambda fails with States.Runtime, which Catch cannot catch', async () => {
  const definition = {
    StartAt: 'Send',
    States: {
      Send: {
        Type: 'Task',
        Resource: 'arn:aws:states:::sqs:sendMessage',
        Parameters: { QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/q', MessageBody: 'hi' },
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
        End: true,
      },
      Caught: { Type: 'Succeed' },
    },
  };
  const { described, events } = await run(definition);
  expect(described).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  expect(described.cause).toContain("'arn:aws:states:::sqs:sendMessage' is not supported");
  expect(events.map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStartFailed', 'ExecutionFailed']);
  expect(events[3]?.taskStartFailedEventDetails).toMatchObject({ resourceType: 'sqs', resource: 'sendMessage', error: 'States.Runtime' });
});
