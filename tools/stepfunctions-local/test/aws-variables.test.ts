import { randomUUID } from 'node:crypto';
import type { LambdaInvoker } from '../src/invoker';
import { variableReferences } from '../src/references';
import referencesFixture from './fixtures/aws-variable-references.json';
import fixture from './fixtures/aws-variables.json';
import { runDefinition } from './helpers/in-memory';

/**
 * Workflow variables and JSONata against AWS's own answers: each case is a state machine from
 * LocalStack's AWS-validated test suite with the GetExecutionHistory response recorded on AWS
 * (see the fixture's `source`). The whole history must match: event types, ids, previousEventId
 * links, inputs, outputs, assignedVariables and the error/cause of failures.
 */
interface Case {
  id: string;
  definition: object;
  input: unknown;
  /** The Lambda function the case calls. */
  lambda?: 'raise-exception';
  events: Array<Record<string, unknown>>;
}

/** The recorded cases' Python function `raise Exception("Some exception was raised.")`, as Lambda reports it. */
const raiseException: LambdaInvoker = async () => ({
  functionError: 'Unhandled',
  statusCode: 200,
  payload: {
    errorMessage: 'Some exception was raised.',
    errorType: 'Exception',
    requestId: randomUUID(),
    stackTrace: ['  File "/var/task/handler.py", line 2, in handler\n    raise Exception("Some exception was raised.")\n'],
  },
});

const cases = (fixture as { cases: Case[] }).cases;

/**
 * The snapshots replace the role ARN and timestamps in data with placeholders, and show some JSON
 * texts parsed and others not: both sides are compared with every JSON object or list text parsed.
 */
function normalise(value: unknown): unknown {
  if (typeof value === 'string') {
    const text = value.replace(/arn:aws:iam::\d+:role\/test-role/gu, 'snf_role_arn');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return date(text);
    }
    return typeof parsed === 'string' ? JSON.stringify(date(parsed)) : normalise(parsed);
  }
  if (Array.isArray(value)) return value.map(normalise);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v)]));
  return value;
}

/** LocalStack's placeholders for this run's ARNs and names, and for UUIDs (numbered in order of appearance). */
function placeholders(events: object[]): unknown {
  const uuids = new Map<string, number>();
  const text = JSON.stringify(events)
    .replace(/arn:aws:states:eu-west-1:123456789012:execution:machine:run/gu, 'arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>')
    .replace(/arn:aws:states:eu-west-1:123456789012:stateMachine:machine/gu, 'arn:<partition>:states:<region>:111111111111:stateMachine:<ArnPart_0idx>')
    .replace(/arn:aws:lambda:eu-west-1:123456789012:function:fn-exception/gu, 'arn:<partition>:lambda:<region>:111111111111:function:<lambda-function-name>')
    .replace(/"region":"eu-west-1"/gu, '"region":"<region>"')
    .replace(/(\\*"Name\\*":\\*")run(\\*")/gu, '$1<ExecArnPart_0idx>$2')
    .replace(/(\\*"Name\\*":\\*")machine(\\*")/gu, '$1<ArnPart_0idx>$2')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/gu, (uuid) => {
      if (!uuids.has(uuid)) uuids.set(uuid, uuids.size + 1);
      return `<uuid:${uuids.get(uuid)}>`;
    });
  return JSON.parse(text);
}

const date = (text: string) => text.replace(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/u, 'date');

test.each(cases.map((c) => [c.id, c] as const))('%s gives the history AWS recorded', async (_id, testCase) => {
  const { events } = await runDefinition(testCase.definition, testCase.input, testCase.lambda ? raiseException : {});
  for (const event of events) expect(typeof event['timestamp']).toBe('number');
  expect(normalise(placeholders(events.map(({ timestamp: _timestamp, ...rest }) => rest)))).toEqual(normalise(testCase.events));
});

describe("DescribeStateMachine's variableReferences, as AWS answered", () => {
  const references = (referencesFixture as { cases: Array<{ id: string; definition: Record<string, unknown>; variableReferences: unknown }> }).cases;
  test.each(references.map((c) => [c.id, c] as const))('%s', (_id, testCase) => {
    expect(variableReferences(testCase.definition) ?? null).toEqual(testCase.variableReferences);
  });

  test('JSONata: free variables only (not $states, functions called, or names bound in the expression)', () => {
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Output: { total: '{% ($rate := 2; $sum($lines) * $rate + $bias + $states.input.n) %}' }, Assign: { seen: '{% $exists($flag) %}' }, Next: 'B' },
        B: { Type: 'Map', Items: '{% $items %}', ItemProcessor: { StartAt: 'C', States: { C: { Type: 'Pass', Output: '{% $map($xs, function($v) { $v * $k }) %}', End: true } } }, End: true },
      },
    };
    expect(variableReferences(definition)).toEqual({ A: ['bias', 'flag', 'lines'], B: ['items'], C: ['k', 'xs'] });
  });
});
