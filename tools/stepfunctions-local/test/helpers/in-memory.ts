import { compileDefinition, validateDefinition } from '../../src/definition';
import { HistoryRecorder, hevent, type HEvent, type Terminal } from '../../src/history';
import { renderEvent } from '../../src/history-render';
import { createLocalInvoker, type LambdaInvoker, type LocalHandler } from '../../src/invoker';
import { startRun } from '../../src/runner';
import { ACCOUNT, REGION } from './saga';

export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/test-role`;

/** An AWS-shaped history event whose JSON texts (input, output, assigned values) are parsed back into values. */
export type ParsedEvent = Record<string, unknown> & { id: number; previousEventId: number; type: string };

export interface InMemoryRun {
  terminal: Terminal;
  /** The execution output, parsed. */
  output: unknown;
  events: ParsedEvent[];
}

/**
 * Runs a definition in memory — the validation CreateStateMachine applies, the runner, the
 * history recorder and GetExecutionHistory's rendering — without the HTTP server (unit tier).
 */
export async function runDefinition(
  definition: object,
  input: unknown = {},
  lambdas: Record<string, LocalHandler> | LambdaInvoker = {},
): Promise<InMemoryRun> {
  const text = JSON.stringify(definition);
  validateDefinition(text);
  const compiled = compileDefinition(text);
  const inputText = JSON.stringify(input);
  const events: HEvent[] = [hevent('ExecutionStarted', Date.now(), 0, undefined, inputText)];
  const recorder = new HistoryRecorder(events, compiled, () => undefined);
  const arn = `arn:aws:states:${REGION}:${ACCOUNT}:execution:machine:run`;
  const handle = startRun({
    definition: compiled,
    input,
    context: {
      Execution: { Id: arn, Name: 'run', RoleArn: ROLE_ARN, RedriveCount: 0 },
      StateMachine: { Id: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:machine`, Name: 'machine' },
    },
    invoker: typeof lambdas === 'function' ? lambdas : createLocalInvoker(lambdas),
    recorder,
  });
  const terminal = (await handle.outcome) ?? { status: 'ABORTED' };
  const rendered = events.map((event, i) => parse(renderEvent(event, i + 1, { includeData: true, region: REGION, roleArn: ROLE_ARN })));
  return { terminal, output: terminal.output === undefined ? undefined : JSON.parse(terminal.output), events: rendered };
}

/** Parses the JSON object texts of input and output, the way LocalStack's recorded AWS snapshots show them (other values stay text). */
function parse(event: Record<string, unknown>): ParsedEvent {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) {
    if (!key.endsWith('EventDetails') || typeof value !== 'object' || value === null) {
      out[key] = value;
      continue;
    }
    const details: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const field of ['input', 'output']) {
      const text = details[field];
      if (typeof text === 'string' && text.startsWith('{')) details[field] = JSON.parse(text);
    }
    out[key] = details;
  }
  return out as ParsedEvent;
}

/** [id, previousEventId, type] triples. */
export const skeleton = (events: ParsedEvent[]) => events.map((e) => [e.id, e.previousEventId, e.type]);

/** The `assignedVariables` of every StateExited event that has them, by state name. */
export function assignedByState(events: ParsedEvent[]): Array<[string, Record<string, string>]> {
  return events
    .map((e) => e['stateExitedEventDetails'] as { name: string; assignedVariables?: Record<string, string> } | undefined)
    .filter((d): d is { name: string; assignedVariables: Record<string, string> } => !!d?.assignedVariables)
    .map((d) => [d.name, d.assignedVariables]);
}
