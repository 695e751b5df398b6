import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidArn,
  InvalidDefinition,
  InvalidExecutionInput,
  InvalidName,
  InvalidToken,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StateMachineAlreadyExists,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  UpdateStateMachineCommand,
  ValidateStateMachineDefinitionCommand,
  ValidationException,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { client, createMachine, ROLE_ARN, startLocal, waitForEnd } from '../helpers/sfn';

// Generous: the machine is shared and slow; nothing here asserts on speed.
jest.setTimeout(60_000);

/** Every error the API can answer with, as the unmodified SDK sees it (class, name, message). */
const pass = { StartAt: 'Only', States: { Only: { Type: 'Pass', End: true } } };
const smArn = (name: string) => `arn:aws:states:eu-west-1:123456789012:stateMachine:${name}`;
const execArn = (machine: string, name: string) => `arn:aws:states:eu-west-1:123456789012:execution:${machine}:${name}`;

let local: Awaited<ReturnType<typeof startLocal>>;
let sfn: SFNClient;
let machineArn: string;
let executionArn: string;

beforeAll(async () => {
  local = await startLocal();
  sfn = local.sfn;
  machineArn = await createMachine(sfn, 'errors-pass', pass);
  executionArn = (await sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, name: 'e1' }))).executionArn ?? '';
  await waitForEnd(sfn, executionArn);
});

afterAll(() => local.close());

const create = (input: Partial<{ name: string; definition: string; roleArn: string; type: 'STANDARD' | 'EXPRESS' }>) =>
  sfn.send(new CreateStateMachineCommand({ name: 'x', definition: JSON.stringify(pass), roleArn: ROLE_ARN, ...input } as never));

describe('InvalidDefinition', () => {
  test.each([
    ['bad JSON', '{"StartAt": "A", "States": {', /^Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: /u],
    ['not an object', '[1, 2]', /INVALID_JSON_DESCRIPTION/u],
    ['unknown state in Next', JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nowhere' } } }), /MISSING_TRANSITION_TARGET.*Nowhere/u],
    ['missing StartAt', JSON.stringify({ States: { A: { Type: 'Pass', End: true } } }), /SCHEMA_VALIDATION_FAILED.*StartAt/u],
    ['StartAt names no state', JSON.stringify({ StartAt: 'B', States: { A: { Type: 'Pass', End: true } } }), /MISSING_TRANSITION_TARGET/u],
    ['unknown field', JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', End: true, Bogus: 1 } } }), /SCHEMA_VALIDATION_FAILED/u],
    ['Resource not an ARN', JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Task', Resource: 'doSomething', End: true } } }), /SCHEMA_VALIDATION_FAILED/u],
    // JSONata and variables run (test/aws-variables.test.ts, jsonata.test.ts); what the interpreter lacks is refused by name.
    [
      'a JSONata Map reading items with ItemReader (still unsupported)',
      JSON.stringify({
        QueryLanguage: 'JSONata',
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            ItemReader: { Resource: 'arn:aws:states:::s3:getObject', Arguments: { Bucket: 'b', Key: 'k' } },
            ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
            End: true,
          },
        },
      }),
      /The field 'ItemReader' is not supported by stepfunctions-local .* at \/States\/M\/ItemReader/u,
    ],
    [
      'a Map with ToleratedFailureCount in a machine with variables (still unsupported)',
      JSON.stringify({
        StartAt: 'A',
        States: {
          A: { Type: 'Pass', Assign: { total: 1 }, Next: 'M' },
          M: { Type: 'Map', ToleratedFailureCount: 1, ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true },
        },
      }),
      /The field 'ToleratedFailureCount' is not supported .* at \/States\/M\/ToleratedFailureCount/u,
    ],
  ])('%s', async (_label, definition, message) => {
    const attempt = create({ name: 'invalid', definition });
    await expect(attempt).rejects.toBeInstanceOf(InvalidDefinition);
    await expect(attempt).rejects.toThrow(message);
  });

  test('UpdateStateMachine validates too', async () => {
    await expect(
      sfn.send(new UpdateStateMachineCommand({ stateMachineArn: machineArn, definition: '{"StartAt":"A","States":{}}' })),
    ).rejects.toBeInstanceOf(InvalidDefinition);
  });

  test('UpdateStateMachine refuses an unsupported field of a JSONata state, naming it and the state', async () => {
    const definition = JSON.stringify({
      QueryLanguage: 'JSONata',
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Credentials: { RoleArn: ROLE_ARN }, Arguments: { FunctionName: 'f' }, End: true } },
    });
    const attempt = sfn.send(new UpdateStateMachineCommand({ stateMachineArn: machineArn, definition }));
    await expect(attempt).rejects.toBeInstanceOf(InvalidDefinition);
    await expect(attempt).rejects.toThrow(/The field 'Credentials' is not supported .* at \/States\/T\/Credentials/u);
  });
});

describe('ValidateStateMachineDefinition', () => {
  test('a valid JSONata definition with variables: OK, no diagnostics', async () => {
    const definition = JSON.stringify({
      QueryLanguage: 'JSONata',
      StartAt: 'A',
      States: { A: { Type: 'Pass', Assign: { x: '{% $states.input.x %}' }, Output: { x: '{% $x %}' }, End: true } },
    });
    const out = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition }));
    expect(out).toMatchObject({ result: 'OK', diagnostics: [], truncated: false });
  });

  test('an unsupported field: FAIL with the reason CreateStateMachine gives, and its location', async () => {
    const definition = JSON.stringify({
      QueryLanguage: 'JSONata',
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Credentials: { RoleArn: ROLE_ARN }, Arguments: { FunctionName: 'f' }, End: true } },
    });
    const out = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition }));
    expect(out.result).toBe('FAIL');
    expect(out.diagnostics).toEqual([
      {
        severity: 'ERROR',
        code: 'SCHEMA_VALIDATION_FAILED',
        message: "The field 'Credentials' is not supported by stepfunctions-local in a state machine that uses JSONata or variables at /States/T/Credentials",
        location: '/States/T/Credentials',
      },
    ]);
  });

  test('a transition to nowhere: FAIL with MISSING_TRANSITION_TARGET', async () => {
    const definition = JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nowhere' } } });
    const out = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition }));
    expect(out.result).toBe('FAIL');
    expect(out.diagnostics?.[0]).toMatchObject({ severity: 'ERROR', code: 'MISSING_TRANSITION_TARGET' });
  });
});

describe('InvalidArn', () => {
  test('not an ARN at all', async () => {
    await expect(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: 'not_a_valid_arn' }))).rejects.toMatchObject({
      name: 'InvalidArn',
      message: "Invalid Arn: 'Invalid ARN prefix: not_a_valid_arn'",
    });
  });

  test.each([
    ['an execution ARN where a machine is expected', () => sfn.send(new DescribeStateMachineCommand({ stateMachineArn: executionArn }))],
    ['a machine ARN where an execution is expected', () => sfn.send(new DescribeExecutionCommand({ executionArn: machineArn }))],
    ['a truncated ARN', () => sfn.send(new ListExecutionsCommand({ stateMachineArn: 'arn:aws:states:eu-west-1:123456789012' }))],
    ['another service', () => sfn.send(new GetExecutionHistoryCommand({ executionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:f' }))],
    ['an execution ARN without a name', () => sfn.send(new StopExecutionCommand({ executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:errors-pass' }))],
    ['a roleArn that is not an ARN', () => create({ name: 'bad-role', roleArn: 'my-role' })],
  ])('%s', async (_label, call) => {
    await expect(call()).rejects.toBeInstanceOf(InvalidArn);
  });

  test('Express execution ARNs are not valid for execution actions (as on AWS)', async () => {
    const express = 'arn:aws:states:eu-west-1:123456789012:express:errors-pass:n:7b7f1c0e-0000-4000-8000-000000000000';
    await expect(sfn.send(new DescribeExecutionCommand({ executionArn: express }))).rejects.toMatchObject({
      name: 'InvalidArn',
      message: "Invalid Arn: 'Resource type not valid in this context: express'",
    });
  });
});

describe('does not exist', () => {
  test('StateMachineDoesNotExist', async () => {
    const arn = smArn('nope');
    await expect(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }))).rejects.toMatchObject({
      name: 'StateMachineDoesNotExist',
      message: `State Machine Does Not Exist: '${arn}'`,
    });
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: arn }))).rejects.toBeInstanceOf(StateMachineDoesNotExist);
    await expect(sfn.send(new ListExecutionsCommand({ stateMachineArn: arn }))).rejects.toBeInstanceOf(StateMachineDoesNotExist);
    // Another account's ARN, or a qualified (version) ARN, names no machine here.
    await expect(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: machineArn.replace('123456789012', '999999999999') }))).rejects.toBeInstanceOf(
      StateMachineDoesNotExist,
    );
    await expect(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${machineArn}:1` }))).rejects.toBeInstanceOf(StateMachineDoesNotExist);
  });

  test('ExecutionDoesNotExist', async () => {
    const arn = execArn('errors-pass', 'missing');
    await expect(sfn.send(new DescribeExecutionCommand({ executionArn: arn }))).rejects.toMatchObject({
      name: 'ExecutionDoesNotExist',
      message: `Execution Does Not Exist: '${arn}'`,
    });
    await expect(sfn.send(new GetExecutionHistoryCommand({ executionArn: arn }))).rejects.toBeInstanceOf(ExecutionDoesNotExist);
    await expect(sfn.send(new StopExecutionCommand({ executionArn: execArn('no-machine', 'x') }))).rejects.toBeInstanceOf(ExecutionDoesNotExist);
  });

  test('deleting a machine that does not exist succeeds, like AWS', async () => {
    const out = await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: smArn('never-existed') }));
    expect(out.$metadata.httpStatusCode).toBe(200);
  });
});

describe('ValidationException', () => {
  test.each([
    ['CreateStateMachine without roleArn', () => create({ roleArn: undefined }), "Value null at 'roleArn' failed to satisfy constraint: Member must not be null"],
    ['CreateStateMachine without definition', () => create({ definition: undefined }), "Value null at 'definition'"],
    ['StartExecution without stateMachineArn', () => sfn.send(new StartExecutionCommand({} as never)), "Value null at 'stateMachineArn'"],
    ['DescribeExecution without executionArn', () => sfn.send(new DescribeExecutionCommand({} as never)), "Value null at 'executionArn'"],
    ['an unknown machine type', () => create({ name: 'typed', type: 'FAST' as never }), 'Member must satisfy enum value set: [STANDARD, EXPRESS]'],
    ['maxResults above 1000', () => sfn.send(new ListExecutionsCommand({ stateMachineArn: machineArn, maxResults: 1001 })), "Value '1001' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000"],
    ['negative maxResults', () => sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: -1 })), 'greater than or equal to 0'],
    ['a lower-case status filter', () => sfn.send(new ListExecutionsCommand({ stateMachineArn: machineArn, statusFilter: 'succeeded' as never })), "Value 'succeeded' at 'statusFilter'"],
    ['a nextToken over the length limit', () => sfn.send(new ListStateMachinesCommand({ nextToken: 'x'.repeat(1025) })), 'Member must have length less than or equal to 1024'],
  ])('%s', async (_label, call, message) => {
    const attempt = call();
    await expect(attempt).rejects.toBeInstanceOf(ValidationException);
    await expect(attempt).rejects.toThrow(message);
  });

  test('UpdateStateMachine with nothing to update is MissingRequiredParameter', async () => {
    await expect(sfn.send(new UpdateStateMachineCommand({ stateMachineArn: machineArn }))).rejects.toMatchObject({
      name: 'MissingRequiredParameter',
      message: 'Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified',
    });
  });
});

describe('InvalidToken', () => {
  test.each([
    ['garbage', 'not-a-token'],
    ['valid base64 of something else', Buffer.from('{"k":"other"}').toString('base64url')],
  ])('ListExecutions with %s', async (_label, nextToken) => {
    await expect(sfn.send(new ListExecutionsCommand({ stateMachineArn: machineArn, nextToken }))).rejects.toBeInstanceOf(InvalidToken);
  });

  test('a token is bound to what it pages: one machine’s token is refused for another, and history tokens for lists', async () => {
    const other = await createMachine(sfn, 'errors-other', pass);
    for (let i = 0; i < 3; i += 1) await sfn.send(new StartExecutionCommand({ stateMachineArn: other, name: `o${i}` }));
    const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn: other, maxResults: 1 }));
    expect(page.nextToken).toBeDefined();
    await expect(sfn.send(new ListExecutionsCommand({ stateMachineArn: machineArn, nextToken: page.nextToken }))).rejects.toBeInstanceOf(InvalidToken);
    const events = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1 }));
    await expect(sfn.send(new ListStateMachinesCommand({ nextToken: events.nextToken }))).rejects.toMatchObject({ name: 'InvalidToken' });
    await expect(sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken: 'zzz' }))).rejects.toBeInstanceOf(InvalidToken);
  });
});

describe('names and inputs', () => {
  test.each([['has space'], ['a'.repeat(81)], ['colon:name'], ['slash/name'], ['star*'], ['brace{']])('InvalidName: %s', async (name) => {
    await expect(create({ name })).rejects.toBeInstanceOf(InvalidName);
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, name }))).rejects.toMatchObject({
      name: 'InvalidName',
      message: `Invalid Name: '${name}'`,
    });
  });

  test.each([['not json'], ["{'single': 'quotes'}"], ['{"a":'], ['']])('InvalidExecutionInput: %j', async (input) => {
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, input }))).rejects.toBeInstanceOf(InvalidExecutionInput);
  });

  test('any JSON value is a valid input', async () => {
    for (const input of ['42', '"text"', 'null', '[1,2]']) {
      const { executionArn: arn = '' } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, input }));
      const out = await waitForEnd(sfn, arn);
      expect(out).toMatchObject({ status: 'SUCCEEDED', input, output: input });
    }
  });
});

describe('StateMachineAlreadyExists', () => {
  test('same name, other definition', async () => {
    const other = JSON.stringify({ StartAt: 'Other', States: { Other: { Type: 'Succeed' } } });
    await expect(create({ name: 'errors-pass', definition: other })).rejects.toMatchObject({
      name: 'StateMachineAlreadyExists',
      message: `State Machine Already Exists: '${machineArn}'`,
    });
    await expect(create({ name: 'errors-pass', definition: other })).rejects.toBeInstanceOf(StateMachineAlreadyExists);
  });

  test('the exact same create again is idempotent', async () => {
    const again = await create({ name: 'errors-pass' });
    expect(again.stateMachineArn).toBe(machineArn);
  });
});

describe('type mismatches', () => {
  test('StartSyncExecution on a Standard machine is StateMachineTypeNotSupported', async () => {
    const sync = client(local.server.url, { disableHostPrefix: true });
    try {
      await expect(sync.send(new StartSyncExecutionCommand({ stateMachineArn: machineArn }))).rejects.toMatchObject({
        name: 'StateMachineTypeNotSupported',
        message: 'This operation is not supported by this type of state machine',
      });
    } finally {
      sync.destroy();
    }
  });

  test('ListExecutions on an Express machine is StateMachineTypeNotSupported', async () => {
    const express = await createMachine(sfn, 'errors-express', pass, 'EXPRESS');
    await expect(sfn.send(new ListExecutionsCommand({ stateMachineArn: express }))).rejects.toMatchObject({ name: 'StateMachineTypeNotSupported' });
  });
});

describe('protocol', () => {
  const post = (target: string, body: string) =>
    fetch(local.server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': target },
      body,
    });

  test('an unknown operation is UnknownOperationException with status 400', async () => {
    const res = await post('AWSStepFunctions.DoMagic', '{}');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    expect(await res.json()).toEqual({ __type: 'UnknownOperationException', message: 'Unknown operation AWSStepFunctions.DoMagic' });
  });

  test('inherited object keys are not operations', async () => {
    const res = await post('AWSStepFunctions.constructor', '{}');
    expect(await res.json()).toMatchObject({ __type: 'UnknownOperationException' });
  });

  test('a malformed body is SerializationException', async () => {
    const res = await post('AWSStepFunctions.ListStateMachines', '{not json');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ __type: 'SerializationException' });
  });

  test('dates are epoch seconds on the wire', async () => {
    const res = await post('AWSStepFunctions.DescribeStateMachine', JSON.stringify({ stateMachineArn: machineArn }));
    const body = (await res.json()) as { creationDate: unknown };
    expect(typeof body.creationDate).toBe('number');
    expect(Math.abs((body.creationDate as number) - Date.now() / 1000)).toBeLessThan(600);
  });
});
