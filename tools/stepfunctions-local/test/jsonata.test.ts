import { decodeEvent, encodeEvent, hevent } from '../src/history';
import { lambdaArn } from './helpers/saga';
import { assignedByState, runDefinition, skeleton } from './helpers/in-memory';

/**
 * JSONata and workflow variables as the Step Functions developer guide describes them ("Transforming
 * data with JSONata", "Passing data between states with variables", "Handling errors"), run in
 * memory through the interpreter, the history recorder and GetExecutionHistory's rendering.
 * test/aws-variables.test.ts checks whole histories against AWS's recorded ones.
 */

const PRICE = lambdaArn('pricing-local-price');
const invokeHandlers = {
  'pricing-local-price': (event: unknown) => {
    const e = event as { sku?: string };
    if (e.sku === 'bad') {
      const error = new Error(`no price for ${e.sku}`);
      error.name = 'UnknownSku';
      throw error;
    }
    return { sku: e.sku, price: (e.sku?.length ?? 0) * 100 };
  },
};

describe('the developer guide: converting JSONPath to JSONata gives the same result', () => {
  // "Given the input { "title": "Doctor" } and the variable customerName assigned "María", both give ..."
  const expected = { static: 'Hello', title: 'Doctor', name: 'María', 'not-evaluated': '$customerName' };
  const assign = { Type: 'Pass', Assign: { customerName: 'María' }, Next: 'Convert' } as const;

  test('JSONPath: Parameters with key.$ paths and a $variable', async () => {
    const run = await runDefinition(
      {
        StartAt: 'Assign',
        States: {
          Assign: assign,
          Convert: {
            QueryLanguage: 'JSONPath',
            Type: 'Pass',
            Parameters: { static: 'Hello', 'title.$': '$.title', 'name.$': '$customerName', 'not-evaluated': '$customerName' },
            End: true,
          },
        },
      },
      { title: 'Doctor' },
    );
    expect(run.terminal.status).toBe('SUCCEEDED');
    expect(run.output).toEqual(expected);
  });

  test('JSONata: Output with {% %} templates', async () => {
    const run = await runDefinition(
      {
        StartAt: 'Assign',
        States: {
          Assign: assign,
          Convert: {
            QueryLanguage: 'JSONata',
            Type: 'Pass',
            Output: { static: 'Hello', title: '{% $states.input.title %}', name: '{% $customerName %}', 'not-evaluated': '$customerName' },
            End: true,
          },
        },
      },
      { title: 'Doctor' },
    );
    expect(run.output).toEqual(expected);
  });
});

describe('variables', () => {
  test('an Assign sees the values from before it: all names are assigned at once', async () => {
    const run = await runDefinition({
      QueryLanguage: 'JSONata',
      StartAt: 'First',
      States: {
        First: { Type: 'Pass', Assign: { x: 1 }, Next: 'Second' },
        Second: { Type: 'Pass', Assign: { x: '{% $x + 1 %}', y: '{% $x %}' }, Output: { x: '{% $x %}' }, Next: 'Third' },
        Third: { Type: 'Pass', Output: { x: '{% $x %}', y: '{% $y %}' }, End: true },
      },
    });
    // Output is evaluated with the values from before the state's own Assign.
    expect(assignedByState(run.events)).toEqual([
      ['First', { x: '1' }],
      ['Second', { x: '2', y: '1' }],
    ]);
    const exited = run.events.find((e) => e.type === 'PassStateExited' && (e['stateExitedEventDetails'] as { name: string }).name === 'Second');
    expect((exited?.['stateExitedEventDetails'] as { output: unknown }).output).toEqual({ x: 1 });
    expect(run.output).toEqual({ x: 2, y: 1 });
  });

  test('a Parallel branch reads outer variables, assigns its own, and writes nothing back', async () => {
    const branch = (name: string, value: number) => ({
      StartAt: name,
      States: {
        [name]: { Type: 'Pass', Assign: { x: value, seen: '{% $x %}' }, Output: { outer: '{% $x %}' }, End: true },
      },
    });
    const run = await runDefinition({
      QueryLanguage: 'JSONata',
      StartAt: 'Outer',
      States: {
        Outer: { Type: 'Pass', Assign: { x: 'outer' }, Next: 'Fork' },
        Fork: { Type: 'Parallel', Branches: [branch('Left', 1), branch('Right', 2)], Next: 'After' },
        After: { Type: 'Pass', Output: { results: '{% $states.input %}', x: '{% $x %}', seen: '{% $exists($seen) %}' }, End: true },
      },
    });
    expect(run.output).toEqual({ results: [{ outer: 'outer' }, { outer: 'outer' }], x: 'outer', seen: false });
    expect(assignedByState(run.events)).toEqual(
      expect.arrayContaining([
        ['Left', { x: '1', seen: '"outer"' }],
        ['Right', { x: '2', seen: '"outer"' }],
      ]),
    );
  });

  test('Map iterations each have their own scope; Output is the only way out', async () => {
    const run = await runDefinition({
      QueryLanguage: 'JSONata',
      StartAt: 'Rate',
      States: {
        Rate: { Type: 'Pass', Assign: { rate: 2 }, Next: 'Each' },
        Each: {
          Type: 'Map',
          Items: '{% $states.input.values %}',
          MaxConcurrency: 1,
          ItemSelector: { value: '{% $states.context.Map.Item.Value %}', index: '{% $states.context.Map.Item.Index %}' },
          ItemProcessor: {
            StartAt: 'Scale',
            States: { Scale: { Type: 'Pass', Assign: { last: '{% $states.input.value %}' }, Output: '{% $states.input.value * $rate + $states.input.index %}', End: true } },
          },
          Assign: { total: '{% $sum($states.result) %}' },
          Output: { scaled: '{% $states.result %}', lastVisible: '{% $exists($last) %}' },
          End: true,
        },
      },
    }, { values: [1, 2, 3] });
    expect(run.output).toEqual({ scaled: [2, 5, 8], lastVisible: false });
    expect(assignedByState(run.events).at(-1)).toEqual(['Each', { total: '15' }]);
  });

  test('JSONPath states: Assign from the result with $-paths, and $variable in Parameters, Choice and ResultSelector', async () => {
    const priceStates = {
      Price: {
        Type: 'Task',
        Resource: PRICE,
        ResultSelector: { 'price.$': '$.price', 'currency.$': '$currency' },
        Assign: { 'price.$': '$.price', 'sku.$': '$$.Execution.Input.sku' },
        ResultPath: '$.priced',
        Next: 'Expensive?',
      },
      'Expensive?': {
        Type: 'Choice',
        Choices: [{ Variable: '$price', NumericGreaterThan: 250, Next: 'Expensive', Assign: { band: 'high' } }],
        Default: 'Cheap',
        Assign: { band: 'low' },
      },
      Expensive: { Type: 'Pass', Parameters: { 'band.$': '$band', 'sku.$': '$sku', 'priced.$': '$.priced' }, End: true },
      Cheap: { Type: 'Pass', Parameters: { 'band.$': '$band', 'sku.$': '$sku', 'priced.$': '$.priced' }, End: true },
    };
    const run = await runDefinition(
      { StartAt: 'Price', States: priceStates },
      { sku: 'abc', currency: 'EUR' },
      invokeHandlers,
    );
    // ResultSelector reads $currency before it exists: a JSONPath to an undefined variable fails the state.
    expect(run.terminal).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });

    const ok = await runDefinition(
      { StartAt: 'Setup', States: { Setup: { Type: 'Pass', Assign: { 'currency.$': '$.currency' }, Next: 'Price' }, ...priceStates } },
      { sku: 'abc', currency: 'EUR' },
      invokeHandlers,
    );
    expect(ok.output).toEqual({ band: 'high', sku: 'abc', priced: { price: 300, currency: 'EUR' } });
    expect(assignedByState(ok.events)).toEqual([
      ['Setup', { currency: '"EUR"' }],
      ['Price', { price: '300', sku: '"abc"' }],
      ['Expensive?', { band: '"high"' }],
    ]);
    expect(skeleton(ok.events).map(([, , type]) => type)).toEqual([
      'ExecutionStarted',
      'PassStateEntered',
      'PassStateExited',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'ChoiceStateEntered',
      'ChoiceStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
  });
});

describe('JSONata states', () => {
  test('Task: Arguments, $states.result, Output and Assign for lambda:invoke; TaskScheduled shows the evaluated Arguments', async () => {
    const run = await runDefinition(
      {
        QueryLanguage: 'JSONata',
        StartAt: 'Price',
        States: {
          Price: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Arguments: { FunctionName: PRICE, Payload: { sku: '{% $states.input.order.sku %}' } },
            Assign: { price: '{% $states.result.Payload.price %}' },
            Output: { sku: '{% $states.result.Payload.sku %}', status: '{% $states.result.StatusCode %}', execution: '{% $states.context.Execution.Name %}' },
            End: true,
          },
        },
      },
      { order: { sku: 'abcd' } },
      invokeHandlers,
    );
    expect(run.output).toEqual({ sku: 'abcd', status: 200, execution: 'run' });
    expect(skeleton(run.events)).toEqual([
      [1, 0, 'ExecutionStarted'],
      [2, 0, 'TaskStateEntered'],
      [3, 2, 'TaskScheduled'],
      [4, 3, 'TaskStarted'],
      [5, 4, 'TaskSucceeded'],
      [6, 5, 'TaskStateExited'],
      [7, 6, 'ExecutionSucceeded'],
    ]);
    const scheduled = run.events[2]?.['taskScheduledEventDetails'] as { parameters: string; resourceType: string };
    expect(JSON.parse(scheduled.parameters)).toEqual({ FunctionName: PRICE, Payload: { sku: 'abcd' } });
    expect(assignedByState(run.events)).toEqual([['Price', { price: '400' }]]);
  });

  test('Catch: $states.errorOutput in the catcher Output and Assign; the state-level Assign is not applied', async () => {
    const run = await runDefinition(
      {
        QueryLanguage: 'JSONata',
        StartAt: 'Price',
        States: {
          Price: {
            Type: 'Task',
            Resource: PRICE,
            Arguments: '{% $states.input %}',
            Assign: { result: 'SUCCESS' },
            Retry: [{ ErrorEquals: ['UnknownSku'], MaxAttempts: 1, IntervalSeconds: 0 }],
            Catch: [
              {
                ErrorEquals: ['States.ALL'],
                Assign: { result: '{% $states.errorOutput.Error %}' },
                Output: { failed: '{% $states.input.sku %}', error: '{% $states.errorOutput.Error %}' },
                Next: 'Fallback',
              },
            ],
            End: true,
          },
          Fallback: { Type: 'Pass', Output: { caught: '{% $states.input %}', result: '{% $result %}' }, End: true },
        },
      },
      { sku: 'bad' },
      invokeHandlers,
    );
    expect(run.output).toEqual({ caught: { failed: 'bad', error: 'UnknownSku' }, result: 'UnknownSku' });
    expect(skeleton(run.events).map(([, , type]) => type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionFailed',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionFailed',
      'TaskStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
    expect(assignedByState(run.events)).toEqual([['Price', { result: '"UnknownSku"' }]]);
  });

  test('Choice: Condition picks the rule; its Output and Assign apply, else the Default and the state-level ones', async () => {
    const machine = {
      QueryLanguage: 'JSONata',
      StartAt: 'Route',
      States: {
        Route: {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $states.input.total > 100 %}', Next: 'Done', Output: { lane: 'manual' }, Assign: { lane: 'manual' } },
            { Condition: '{% $states.input.total > 10 %}', Next: 'Done', Assign: { lane: 'auto' } },
          ],
          Default: 'Done',
          Assign: { lane: 'free' },
        },
        Done: { Type: 'Succeed', Output: { lane: '{% $lane %}', input: '{% $states.input %}' } },
      },
    };
    expect((await runDefinition(machine, { total: 500 })).output).toEqual({ lane: 'manual', input: { lane: 'manual' } });
    expect((await runDefinition(machine, { total: 50 })).output).toEqual({ lane: 'auto', input: { total: 50 } });
    expect((await runDefinition(machine, { total: 5 })).output).toEqual({ lane: 'free', input: { total: 5 } });
  });

  test('Choice: a Condition that is not a boolean fails with States.QueryEvaluationError', async () => {
    const run = await runDefinition({
      QueryLanguage: 'JSONata',
      StartAt: 'Route',
      States: { Route: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.total %}', Next: 'Done' }], Default: 'Done' }, Done: { Type: 'Succeed' } },
    }, { total: 5 });
    expect(run.terminal).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError' });
    expect(run.events.map((e) => e.type)).toEqual(['ExecutionStarted', 'ChoiceStateEntered', 'EvaluationFailed', 'ExecutionFailed']);
    expect(run.events[2]?.['evaluationFailedEventDetails']).toMatchObject({ location: 'Choices[0]/Condition', state: 'Route' });
  });

  test('Fail: Error and Cause are JSONata', async () => {
    const run = await runDefinition({
      QueryLanguage: 'JSONata',
      StartAt: 'Stop',
      States: { Stop: { Type: 'Fail', Error: '{% "Order." & $states.input.reason %}', Cause: '{% "order " & $states.input.id & " refused" %}' } },
    }, { reason: 'Refused', id: 'o-1' });
    expect(run.terminal).toEqual({ status: 'FAILED', error: 'Order.Refused', cause: 'order o-1 refused' });
    expect(run.events.map((e) => e.type)).toEqual(['ExecutionStarted', 'FailStateEntered', 'ExecutionFailed']);
  });

  test('Wait: Seconds and Timestamp are JSONata', async () => {
    const started = Date.now();
    const run = await runDefinition({
      QueryLanguage: 'JSONata',
      StartAt: 'Short',
      States: {
        Short: { Type: 'Wait', Seconds: '{% $states.input.delay %}', Next: 'Until' },
        Until: { Type: 'Wait', Timestamp: '{% $fromMillis($toMillis($now()) + 300) %}', Output: 'waited', End: true },
      },
    }, { delay: 1 });
    // Output may be any JSON value, a plain string too (asl-validator alone would refuse it).
    expect(run.output).toBe('waited');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1250);
  });

  test('the functions Step Functions adds to JSONata', async () => {
    const run = await runDefinition({
      QueryLanguage: 'JSONata',
      StartAt: 'Functions',
      States: {
        Functions: {
          Type: 'Pass',
          Output: {
            partition: '{% $partition([1,2,3,4,5], 2) %}',
            range: '{% $range(0, 10, 5) %}',
            hash: '{% $hash("hello", "SHA-256") %}',
            parse: '{% $parse("{\\"a\\":1}") %}',
            uuid: '{% $length($uuid()) %}',
            random: '{% $random() < 1 %}',
          },
          End: true,
        },
      },
    });
    expect(run.output).toEqual({
      partition: [[1, 2], [3, 4], [5]],
      range: [0, 5, 10],
      hash: '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
      parse: { a: 1 },
      uuid: 36,
      random: true,
    });
  });

  test('Parallel: Arguments feed every branch; $states.result is the array of branch outputs', async () => {
    const run = await runDefinition({
      QueryLanguage: 'JSONata',
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Arguments: { n: '{% $states.input.n * 10 %}' },
          Branches: [
            { StartAt: 'A', States: { A: { Type: 'Pass', Output: '{% $states.input.n + 1 %}', End: true } } },
            { StartAt: 'B', States: { B: { Type: 'Pass', Output: '{% $states.input.n + 2 %}', End: true } } },
          ],
          Output: { sum: '{% $sum($states.result) %}' },
          End: true,
        },
      },
    }, { n: 1 });
    expect(run.output).toEqual({ sum: 23 });
    const tail = run.events.slice(-3);
    expect(tail.map((e) => e.type)).toEqual(['ParallelStateSucceeded', 'ParallelStateExited', 'ExecutionSucceeded']);
    expect(tail[1]?.previousEventId).toBe(tail[0]?.previousEventId);
  });

  test('a JSONPath state inside a JSONata machine (QueryLanguage per state)', async () => {
    const run = await runDefinition({
      QueryLanguage: 'JSONata',
      StartAt: 'Legacy',
      States: {
        Legacy: { QueryLanguage: 'JSONPath', Type: 'Pass', Parameters: { 'doubled.$': 'States.MathAdd($.n, $.n)' }, Assign: { 'was.$': '$.doubled' }, Next: 'Modern' },
        Modern: { Type: 'Pass', Output: { doubled: '{% $states.input.doubled %}', was: '{% $was %}' }, End: true },
      },
    }, { n: 21 });
    expect(run.output).toEqual({ doubled: 42, was: 42 });
  });
});

test('persistence keeps the assigned variables of an Exited event', () => {
  const exited = hevent('PassStateExited', 1, 2, 'Assign', '{}', undefined, undefined, undefined, '{"x":"1"}');
  expect(decodeEvent(JSON.parse(JSON.stringify(encodeEvent(exited))))).toEqual(exited);
  const plain = hevent('PassStateExited', 1, 2, 'Plain', '{}');
  expect(encodeEvent(plain)).toEqual(['PassStateExited', 1, 2, 'Plain', '{}']);
});

test('an unsupported Task resource fails the execution with States.Runtime, neither retried nor caught', async () => {
  const run = await runDefinition({
    QueryLanguage: 'JSONata',
    StartAt: 'Send',
    States: {
      Send: {
        Type: 'Task',
        Resource: 'arn:aws:states:::sqs:sendMessage',
        Arguments: { QueueUrl: 'q', MessageBody: '{% $states.input %}' },
        Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 0 }],
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
        End: true,
      },
      Caught: { Type: 'Succeed' },
    },
  });
  expect(run.terminal).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  expect(run.events.map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStartFailed', 'ExecutionFailed']);
});

test('a JSONata expression that throws: AWS wording with the JSONata error code', async () => {
  const run = await runDefinition({
    QueryLanguage: 'JSONata',
    StartAt: 'State_0',
    States: { State_0: { Type: 'Pass', Output: { FunctionResult: '{% $randomSeeded($states.input.fst) %}' }, End: true } },
  }, { fst: 1 });
  expect(run.terminal).toEqual({
    status: 'FAILED',
    error: 'States.QueryEvaluationError',
    // As AWS recorded it for this expression (LocalStack's AWS-validated snapshots).
    cause:
      "An error occurred while executing the state 'State_0' (entered at the event id #2). The JSONata expression '$randomSeeded($states.input.fst)' specified for the field 'Output/FunctionResult' threw an error during evaluation. T1006: Attempted to invoke a non-function",
  });
});

test('Map iterations that run at once all link their MapIterationStarted to MapStateStarted', async () => {
  const run = await runDefinition({
    QueryLanguage: 'JSONata',
    StartAt: 'All',
    States: {
      All: {
        Type: 'Map',
        Items: '{% $states.input %}',
        MaxConcurrency: 3,
        ItemProcessor: { StartAt: 'Price', States: { Price: { Type: 'Task', Resource: PRICE, Output: '{% $states.result.price %}', End: true } } },
        End: true,
      },
    },
  }, [{ sku: 'a' }, { sku: 'bb' }, { sku: 'ccc' }], invokeHandlers);
  expect(run.output).toEqual([100, 200, 300]);
  const started = run.events.find((e) => e.type === 'MapStateStarted');
  expect(started?.['mapStateStartedEventDetails']).toEqual({ length: 3 });
  const iterations = run.events.filter((e) => e.type === 'MapIterationStarted');
  expect(iterations.map((e) => e.previousEventId)).toEqual([started?.id, started?.id, started?.id]);
  for (const event of run.events) expect(event.previousEventId).toBeLessThan(event.id);
});
