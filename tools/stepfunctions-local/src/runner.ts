import { ExecutionError, ExecutionTimeoutError, type RunOptions } from 'aws-local-stepfunctions';
import type { CompiledDefinition } from './definition';
import type { EngineEvent, HistoryRecorder, Terminal } from './history';
import { runInterpreter } from './interpreter';
import type { LambdaInvoker } from './invoker';
import { taskHandlers } from './tasks';

export interface RunRequest {
  definition: CompiledDefinition;
  /** Top-level state to start from (a redrive); the definition's StartAt by default. */
  startAt?: string;
  input: unknown;
  /** Context object fields ($$.Execution.Id, $$.StateMachine.Name, ...). */
  context: Record<string, unknown>;
  invoker: LambdaInvoker;
  /** Records history; without one (Express) the outcome comes from the result alone. */
  recorder?: HistoryRecorder;
  /** Workflow variables to start with (a redrive: those assigned before the state it resumes). */
  variables?: Record<string, unknown>;
}

export interface RunHandle {
  /** Stops the engine; the outcome then settles as ABORTED. */
  abort(): void;
  /** Stops the engine without recording anything more; the outcome settles as null. */
  detach(): void;
  outcome: Promise<Terminal | null>;
}

/**
 * Runs one attempt (a start or a redrive) of an execution: on the aws-local-stepfunctions engine,
 * or on the interpreter when the definition uses JSONata or variables. Both give the same events.
 */
export function startRun(request: RunRequest): RunHandle {
  const handlers = taskHandlers(request.definition.tasks, { invoker: request.invoker, recorder: request.recorder });
  const execution = request.definition.interpreted
    ? runInterpreter(request.definition.machine(request.startAt), request.input, {
        context: request.context,
        handlers,
        ...(request.variables && { variables: request.variables }),
      })
    : runEngine(request, handlers);
  const state = { aborted: false, detached: false };
  const recorder = request.recorder;
  const outcome = recorder
    ? consume(execution.eventLogs, execution.result, recorder, state)
    : settle(execution.result, request.definition, state);
  return {
    abort: () => {
      state.aborted = true;
      execution.abort();
    },
    detach: () => {
      state.detached = true;
      if (recorder) recorder.closed = true;
      execution.abort();
    },
    outcome,
  };
}

function runEngine(request: RunRequest, handlers: ReturnType<typeof taskHandlers>) {
  const engine = request.definition.engine(request.startAt);
  const options: RunOptions = {
    overrides: { taskResourceLocalHandlers: handlers as NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers'] },
    noThrowOnAbort: true,
    context: request.context,
  };
  return engine.run(request.input as Parameters<typeof engine.run>[0], options);
}

/** Standard executions: the event log is the source of truth, so history and status agree. */
async function consume(
  events: AsyncGenerator<unknown>,
  result: Promise<unknown>,
  recorder: HistoryRecorder,
  state: { detached: boolean },
): Promise<Terminal | null> {
  result.catch(() => undefined);
  for await (const event of events) {
    if (state.detached) return null;
    const terminal = recorder.onEngineEvent(event as EngineEvent);
    if (terminal) return terminal;
  }
  return state.detached ? null : { status: 'FAILED', error: 'States.Runtime', cause: 'The engine stopped without a result' };
}

/** Express executions keep no history: the outcome is read from the result promise. */
async function settle(
  result: Promise<unknown>,
  definition: CompiledDefinition,
  state: { aborted: boolean; detached: boolean },
): Promise<Terminal | null> {
  try {
    const output = await result;
    if (state.detached) return null;
    if (state.aborted) return { status: 'ABORTED' };
    return { status: 'SUCCEEDED', output: JSON.stringify(output) ?? 'null' };
  } catch (error) {
    if (state.detached) return null;
    if (error instanceof ExecutionTimeoutError) return { status: 'TIMED_OUT', error: 'States.Timeout' };
    const cause = error instanceof ExecutionError ? (error.cause as Error & { cause?: unknown }) : (error as Error);
    return { status: 'FAILED', ...failureOf(cause, definition) };
  }
}

function failureOf(error: Error & { cause?: unknown }, definition: CompiledDefinition): { error?: string; cause?: string } {
  const raw = error.cause ?? error.message;
  let name: string | undefined = error.name;
  let cause: string | undefined = typeof raw === 'string' ? raw : JSON.stringify(raw);
  // The engine fills in defaults for a Fail state without Error/Cause; AWS reports none.
  const failStates = [...definition.states.values()].filter((s) => s.type === 'Fail').map((s) => s.def);
  if (name === 'FailStateError' && failStates.length > 0 && failStates.every((d) => !('Error' in d) && !('ErrorPath' in d))) {
    name = undefined;
  }
  if (cause === 'Execution failed because of a Fail state' && failStates.every((d) => !('Cause' in d) && !('CausePath' in d))) {
    cause = undefined;
  }
  return { ...(name !== undefined && { error: name }), ...(cause !== undefined && { cause }) };
}
