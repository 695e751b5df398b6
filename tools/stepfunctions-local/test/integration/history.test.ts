import { GetExecutionHistoryCommand, StartExecutionCommand, type HistoryEvent, type SFNClient } from '@aws-sdk/client-sfn';
import { createLocalInvoker } from '../../src';
import { namedError } from '../helpers/lambda-stub';
import { lambdaArn } from '../helpers/saga';
import { createMachine, enteredStates, history, skeleton, startLocal, waitForEnd } from '../helpers/sfn';

// Generous: the machine is shared and slow; nothing here asserts on speed.
jest.setTimeout(60_000);

/**
 * History shapes beyond the saga: the lambda:invoke integration (Task* events and the Invoke
 * response), Parallel and Map (Started/Succeeded and per-branch / per-iteration linking),
 * Task timeouts, and GetExecutionHistory paging options. Lambdas run in-process here.
 */
let slowDone: Promise<void> = Promise.resolve();

const invoker = createLocalInvoker({
  'pricing-local-price': (event) => {
    const e = event as { sku?: string };
    if (e.sku === 'bad') throw namedError('UnknownSku', `no price for ${e.sku}`);
    return { sku: e.sku, price: (e.sku?.length ?? 0) * 100 };
  },
  'pricing-local-slow': () => {
    slowDone = new Promise((resolve) => setTimeout(resolve, 2500));
    return slowDone.then(() => ({ late: true }));
  },
});

let local: Awaited<ReturnType<typeof startLocal>>;
let sfn: SFNClient;

beforeAll(async () => {
  local = await startLocal({ invoker });
  sfn = local.sfn;
});

afterAll(async () => {
  await slowDone;
  await local.close();
});

async function run(definition: object, input: unknown, name = 'run') {
  const machineArn = await createMachine(sfn, `${name}-machine`, definition);
  const { executionArn = '' } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, name, input: JSON.stringify(input) }));
  const described = await waitForEnd(sfn, executionArn);
  return { executionArn, described, events: await history(sfn, executionArn) };
}

/** Follows previousEventId links back from an event until `stop` (exclusive). */
function chain(events: HistoryEvent[], from: number, stop: number): HistoryEvent[] {
  const out: HistoryEvent[] = [];
  for (let id = from; id !== stop && id > 0; ) {
    const event = events[id - 1];
    if (!event) break;
    out.unshift(event);
    id = event.previousEventId ?? 0;
  }
  return out;
}

describe('arn:aws:states:::lambda:invoke', () => {
  const invokeDefinition = (functionName: string) => ({
    StartAt: 'Price',
    States: {
      Price: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: functionName, 'Payload.$': '$' },
        Catch: [{ ErrorEquals: ['UnknownSku'], ResultPath: '$.error', Next: 'NoPrice' }],
        End: true,
      },
      NoPrice: { Type: 'Pass', End: true },
    },
  });

  test('records Task* events and returns the Invoke response shape', async () => {
    const { described, events } = await run(invokeDefinition(lambdaArn('pricing-local-price')), { sku: 'abc' }, 'invoke-ok');
    expect(skeleton(events)).toEqual([
      [1, 0, 'ExecutionStarted'],
      [2, 0, 'TaskStateEntered'],
      [3, 2, 'TaskScheduled'],
      [4, 3, 'TaskStarted'],
      [5, 4, 'TaskSucceeded'],
      [6, 5, 'TaskStateExited'],
      [7, 6, 'ExecutionSucceeded'],
    ]);
    expect(events[2]?.taskScheduledEventDetails).toEqual({
      resourceType: 'lambda',
      resource: 'invoke',
      region: 'eu-west-1',
      parameters: JSON.stringify({ FunctionName: lambdaArn('pricing-local-price'), Payload: { sku: 'abc' } }),
    });
    expect(events[3]?.taskStartedEventDetails).toEqual({ resourceType: 'lambda', resource: 'invoke' });
    const output = JSON.parse(described.output ?? '');
    expect(output).toMatchObject({
      ExecutedVersion: '$LATEST',
      Payload: { sku: 'abc', price: 300 },
      StatusCode: 200,
      SdkHttpMetadata: { HttpStatusCode: 200, HttpHeaders: { 'X-Amz-Executed-Version': '$LATEST' } },
      SdkResponseMetadata: { RequestId: expect.any(String) },
    });
    expect(events[4]?.taskSucceededEventDetails?.output).toBe(described.output);
  });

  test('a function error surfaces under its own name, for Catch to match', async () => {
    const { described, events } = await run(invokeDefinition('pricing-local-price'), { sku: 'bad' }, 'invoke-error');
    expect(described.status).toBe('SUCCEEDED');
    const failed = events.find((e) => e.type === 'TaskFailed')?.taskFailedEventDetails;
    expect(failed).toMatchObject({ resourceType: 'lambda', resource: 'invoke', error: 'UnknownSku' });
    expect(JSON.parse(failed?.cause ?? '')).toMatchObject({ errorType: 'UnknownSku', errorMessage: 'no price for bad' });
    expect(JSON.parse(described.output ?? '')).toEqual({ sku: 'bad', error: { Error: 'UnknownSku', Cause: failed?.cause } });
    expect(enteredStates(events)).toEqual(['Price', 'NoPrice']);
  });

  test.each([['name:alias', 'pricing-local-price:live'], ['partial ARN', '123456789012:function:pricing-local-price'], ['versioned ARN', `${lambdaArn('pricing-local-price')}:3`]])(
    'FunctionName as %s reaches the function',
    async (_label, functionName) => {
      const { described } = await run(invokeDefinition(functionName), { sku: 'xy' }, `invoke-${_label.replace(/\W/gu, '')}`);
      expect(JSON.parse(described.output ?? '').Payload).toEqual({ sku: 'xy', price: 200 });
    },
  );
});

test('Parallel: Started, branches linked to it, Succeeded and Exited after the last branch event', async () => {
  const definition = {
    StartAt: 'Both',
    States: {
      Both: {
        Type: 'Parallel',
        Branches: [
          { StartAt: 'Left', States: { Left: { Type: 'Pass', Result: 'L', End: true } } },
          {
            StartAt: 'Right1',
            States: { Right1: { Type: 'Pass', Result: 'R', Next: 'Right2' }, Right2: { Type: 'Pass', End: true } },
          },
        ],
        End: true,
      },
    },
  };
  const { described, events } = await run(definition, {}, 'parallel');
  expect(JSON.parse(described.output ?? '')).toEqual(['L', 'R']);
  expect(skeleton(events.slice(0, 3))).toEqual([
    [1, 0, 'ExecutionStarted'],
    [2, 0, 'ParallelStateEntered'],
    [3, 2, 'ParallelStateStarted'],
  ]);
  const byName = (type: string, name: string) =>
    events.find((e) => e.type === type && (e.stateEnteredEventDetails?.name ?? e.stateExitedEventDetails?.name) === name);
  expect(byName('PassStateEntered', 'Left')?.previousEventId).toBe(3);
  expect(byName('PassStateEntered', 'Right1')?.previousEventId).toBe(3);
  expect(byName('PassStateExited', 'Left')?.previousEventId).toBe(byName('PassStateEntered', 'Left')?.id);
  expect(byName('PassStateEntered', 'Right2')?.previousEventId).toBe(byName('PassStateExited', 'Right1')?.id);
  const tail = events.slice(-3);
  expect(tail.map((e) => e.type)).toEqual(['ParallelStateSucceeded', 'ParallelStateExited', 'ExecutionSucceeded']);
  expect(tail[0]?.previousEventId).toBe((tail[0]?.id ?? 0) - 1);
  // AWS links ParallelStateExited like ParallelStateSucceeded, to the last branch event (its recorded
  // histories: LocalStack's AWS-validated test_parallel_state and test_map_state snapshots).
  expect(tail[1]?.previousEventId).toBe(tail[0]?.previousEventId);
  expect(events).toHaveLength(3 + 6 + 3);
});

test('Map with a Lambda task: each iteration is its own linked chain, even when calls overlap', async () => {
  const definition = {
    StartAt: 'PriceAll',
    States: {
      PriceAll: {
        Type: 'Map',
        ItemsPath: '$.skus',
        MaxConcurrency: 3,
        ItemProcessor: {
          StartAt: 'Price',
          States: { Price: { Type: 'Task', Resource: lambdaArn('pricing-local-price'), End: true } },
        },
        End: true,
      },
    },
  };
  const skus = [{ sku: 'a' }, { sku: 'bb' }, { sku: 'ccc' }];
  const { described, events } = await run(definition, { skus }, 'map');
  expect(JSON.parse(described.output ?? '')).toEqual([
    { sku: 'a', price: 100 },
    { sku: 'bb', price: 200 },
    { sku: 'ccc', price: 300 },
  ]);
  expect(skeleton(events.slice(0, 3))).toEqual([
    [1, 0, 'ExecutionStarted'],
    [2, 0, 'MapStateEntered'],
    [3, 2, 'MapStateStarted'],
  ]);
  expect(events[2]?.mapStateStartedEventDetails).toEqual({ length: 3 });
  for (const [index, item] of skus.entries()) {
    const started = events.find((e) => e.type === 'MapIterationStarted' && e.mapIterationStartedEventDetails?.index === index);
    const succeeded = events.find((e) => e.type === 'MapIterationSucceeded' && e.mapIterationSucceededEventDetails?.index === index);
    expect(started?.previousEventId).toBe(3);
    expect(started?.mapIterationStartedEventDetails).toEqual({ name: 'PriceAll', index });
    const iteration = chain(events, succeeded?.id ?? 0, started?.id ?? 0);
    expect(iteration.map((e) => e.type)).toEqual([
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'MapIterationSucceeded',
    ]);
    expect(JSON.parse(iteration[0]?.stateEnteredEventDetails?.input ?? '')).toEqual(item);
    expect(JSON.parse(iteration[1]?.lambdaFunctionScheduledEventDetails?.input ?? '')).toEqual(item);
    expect(JSON.parse(iteration[3]?.lambdaFunctionSucceededEventDetails?.output ?? '').sku).toBe(item.sku);
  }
  expect(events.slice(-3).map((e) => e.type)).toEqual(['MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded']);
  expect(events).toHaveLength(3 + 3 * 7 + 3);
  // Every link points backwards.
  for (const event of events) expect(event.previousEventId ?? 0).toBeLessThan(event.id ?? 0);
});

test('a Task over its TimeoutSeconds records LambdaFunctionTimedOut with States.Timeout', async () => {
  const definition = {
    StartAt: 'Slow',
    States: { Slow: { Type: 'Task', Resource: lambdaArn('pricing-local-slow'), TimeoutSeconds: 1, End: true } },
  };
  const { executionArn, described, events } = await run(definition, {}, 'timeout');
  expect(described).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
  expect(skeleton(events)).toEqual([
    [1, 0, 'ExecutionStarted'],
    [2, 0, 'TaskStateEntered'],
    [3, 2, 'LambdaFunctionScheduled'],
    [4, 3, 'LambdaFunctionStarted'],
    [5, 4, 'LambdaFunctionTimedOut'],
    [6, 5, 'ExecutionFailed'],
  ]);
  expect(events[2]?.lambdaFunctionScheduledEventDetails?.timeoutInSeconds).toBe(1);
  expect(events[4]?.lambdaFunctionTimedOutEventDetails?.error).toBe('States.Timeout');
  // The late answer changes nothing.
  await slowDone;
  expect(await history(sfn, executionArn)).toHaveLength(6);
});

describe('GetExecutionHistory options', () => {
  let executionArn = '';

  beforeAll(async () => {
    const definition = {
      StartAt: 'A',
      States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'C' }, C: { Type: 'Pass', End: true } },
    };
    ({ executionArn } = await run(definition, { secret: 'card-4242' }, 'paging'));
  });

  test('pages forwards and backwards with maxResults and nextToken', async () => {
    const ids = async (reverseOrder: boolean) => {
      const out: number[] = [];
      let nextToken: string | undefined;
      do {
        const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 3, reverseOrder, nextToken }));
        expect(page.events?.length).toBeLessThanOrEqual(3);
        out.push(...(page.events ?? []).map((e) => e.id ?? 0));
        nextToken = page.nextToken;
      } while (nextToken);
      return out;
    };
    expect(await ids(false)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await ids(true)).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
  });

  test('includeExecutionData=false leaves inputs and outputs out', async () => {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, includeExecutionData: false }));
    const text = JSON.stringify(page.events);
    expect(text).not.toContain('card-4242');
    expect(page.events?.[1]?.stateEnteredEventDetails).toEqual({ name: 'A' });
    expect(page.events?.[0]?.executionStartedEventDetails?.roleArn).toContain(':role/');
  });
});
