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
  events: Array<Record<string, unknown>>;
}

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

const date = (text: string) => text.replace(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/u, 'date');

test.each(cases.map((c) => [c.id, c] as const))('%s gives the history AWS recorded', async (_id, testCase) => {
  const { events } = await runDefinition(testCase.definition, testCase.input);
  for (const event of events) expect(typeof event['timestamp']).toBe('number');
  expect(normalise(events.map(({ timestamp: _timestamp, ...rest }) => rest))).toEqual(normalise(testCase.events));
});
