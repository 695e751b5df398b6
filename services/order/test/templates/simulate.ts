import type { AslDefinition, AslState, Catcher, Retrier } from './saga-asl';

/**
 * A tiny, pure interpreter of the JSONPath subset the saga uses (Task with Parameters,
 * ResultPath, Retry and Catch; Succeed; Fail), enough to walk the graph and follow the data.
 * Each Task either returns a result or throws an error name; a thrown error is retried by a
 * matching retrier until its attempts run out (the error is taken as persistent), then caught
 * by the first matching catcher, or ends the execution.
 */

export type TaskOutcome = { output: unknown } | { error: string; cause?: string };
export type TaskBehaviour = (stateName: string, resource: string, input: Record<string, unknown>) => TaskOutcome;

export type Ending =
  | { type: 'Succeed'; output: unknown }
  | { type: 'Fail'; state: string; error?: string; cause?: string }
  | { type: 'ExecutionFailed'; state: string; error: string };

export interface Run {
  path: string[];
  ending: Ending;
  /** Attempts per Task state (1 + retries). */
  attempts: Record<string, number>;
  /** The input each Task state received, in order. */
  taskInputs: Array<{ state: string; resource: string; input: Record<string, unknown> }>;
}

type Json = Record<string, unknown>;

function read(path: string, state: unknown, context: unknown): unknown {
  const [root, rest] = path.startsWith('$$') ? [context, path.slice(2)] : [state, path.slice(1)];
  if (rest === '') return root;
  if (!rest.startsWith('.')) throw new Error(`Unsupported JSONPath ${path}`);
  return rest
    .slice(1)
    .split('.')
    .reduce<unknown>((value, key) => {
      if (value === null || typeof value !== 'object' || !(key in (value as Json))) {
        throw new Error(`States.Runtime: ${path} matches nothing`);
      }
      return (value as Json)[key];
    }, root);
}

export function applyParameters(template: Json, state: unknown, context: unknown): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$')) out[key.slice(0, -2)] = read(value as string, state, context);
    else if (value !== null && typeof value === 'object' && !Array.isArray(value)) out[key] = applyParameters(value as Json, state, context);
    else out[key] = value;
  }
  return out;
}

function place(resultPath: string | null | undefined, state: unknown, result: unknown): unknown {
  if (resultPath === null) return state;
  if (resultPath === undefined || resultPath === '$') return result;
  const match = /^\$\.([A-Za-z0-9_]+)$/.exec(resultPath);
  if (!match) throw new Error(`Unsupported ResultPath ${resultPath}`);
  return { ...(state as Json), [match[1]!]: result };
}

/** ASL matching: States.ALL matches everything, States.TaskFailed everything but States.Timeout. */
export function matches(errorEquals: string[], error: string): boolean {
  return errorEquals.some(
    (name) => name === error || name === 'States.ALL' || (name === 'States.TaskFailed' && error !== 'States.Timeout'),
  );
}

export function simulate(definition: AslDefinition, input: Json, behaviour: TaskBehaviour, executionId: string): Run {
  const context = { Execution: { Id: executionId, Input: input } };
  const run: Run = { path: [], ending: { type: 'Succeed', output: undefined }, attempts: {}, taskInputs: [] };
  let stateName = definition.StartAt;
  let data: unknown = input;

  for (let steps = 0; steps < 100; steps += 1) {
    const state: AslState | undefined = definition.States[stateName];
    if (!state) throw new Error(`Transition to a missing state ${stateName}`);
    run.path.push(stateName);

    if (state.Type === 'Succeed') {
      run.ending = { type: 'Succeed', output: data };
      return run;
    }
    if (state.Type === 'Fail') {
      run.ending = { type: 'Fail', state: stateName, ...(state.Error ? { error: state.Error } : {}), ...(state.Cause ? { cause: state.Cause } : {}) };
      return run;
    }
    if (state.Type !== 'Task') throw new Error(`The simulator does not handle ${state.Type} states`);

    const taskInput = state.Parameters ? applyParameters(state.Parameters, data, context) : (data as Json);
    run.taskInputs.push({ state: stateName, resource: state.Resource!, input: taskInput });
    const outcome = behaviour(stateName, state.Resource!, taskInput);

    if ('output' in outcome) {
      run.attempts[stateName] = 1;
      data = place(state.ResultPath, data, outcome.output);
    } else {
      const retrier: Retrier | undefined = (state.Retry ?? []).find((r) => matches(r.ErrorEquals, outcome.error));
      run.attempts[stateName] = 1 + (retrier ? (retrier.MaxAttempts ?? 3) : 0);
      const catcher: Catcher | undefined = (state.Catch ?? []).find((c) => matches(c.ErrorEquals, outcome.error));
      if (!catcher) {
        run.ending = { type: 'ExecutionFailed', state: stateName, error: outcome.error };
        return run;
      }
      data = place(catcher.ResultPath, data, { Error: outcome.error, Cause: outcome.cause ?? '' });
      stateName = catcher.Next;
      continue;
    }

    if (state.End) {
      run.ending = { type: 'Succeed', output: data };
      return run;
    }
    stateName = state.Next!;
  }
  throw new Error('No terminal state within 100 transitions: the definition loops');
}

/** Every state that can transition into `target` (by Next or by a Catch). */
export function predecessors(definition: AslDefinition, target: string): string[] {
  return Object.entries(definition.States)
    .filter(([, state]) => state.Next === target || (state.Catch ?? []).some((c) => c.Next === target))
    .map(([name]) => name);
}
