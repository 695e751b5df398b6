import { ExecutionError, ExecutionTimeoutError } from 'aws-local-stepfunctions';
import {
  Scope,
  StatesError,
  applyResultPath,
  evaluateJsonata,
  isObject,
  payloadTemplate,
  queryPath,
  runtimeError,
  testChoiceRule,
  type StatesVar,
} from './query';

/**
 * The interpreter for state machines that use JSONata or workflow variables, which the
 * aws-local-stepfunctions engine does not know. It speaks the engine's interface — `run()`
 * returns an event log, a result and `abort` — and writes the same events (StateEntered,
 * StateExited, StateFailed, StateRetried, MapIteration*, Execution*), so the history recorder,
 * the task handlers and the service treat both alike. StateExited also carries the variables a
 * state assigned; EvaluationFailed reports a JSONata evaluation that failed the state.
 */

type Json = Record<string, unknown>;
type Handler = (input: unknown) => Promise<unknown>;
type QueryLanguage = 'JSONPath' | 'JSONata';

export interface InterpreterRunOptions {
  /**
   * Context object fields ($$ / $states.context): Execution, StateMachine; and `Origin` (Input,
   * StartTime), the execution's own input and start time, when they differ from this run's (a redrive).
   */
  context: Json;
  /** One task handler per Task state name (tasks.ts). */
  handlers: Record<string, Handler>;
  /** Variables the run starts with (a redrive restores those assigned before it). */
  variables?: Json;
}

export interface InterpreterRun {
  abort(): void;
  eventLogs: AsyncGenerator<unknown>;
  result: Promise<unknown>;
}

/** A thread of execution: the top level, a Parallel branch or a Map iteration. */
interface Frame {
  scope: Scope;
  /** The outermost Map iteration index, which the engine puts on nested state events. */
  index: number | undefined;
  queryLanguage: QueryLanguage;
  /** The Map item of the enclosing iteration ($$.Map.Item). */
  mapItem?: { Index: number; Value: unknown };
  signal: Signal;
}

/** Cancellation: a failed branch cancels its siblings, an abort or timeout everything. */
interface Signal {
  cancelled: boolean;
  parent?: Signal;
}

const isCancelled = (signal: Signal | undefined): boolean => !!signal && (signal.cancelled || isCancelled(signal.parent));

/** Thrown inside cancelled threads; never becomes an event. */
class Cancelled extends Error {}

interface StateOutcome {
  output: unknown;
  next?: string;
  end: boolean;
  assigned?: Json;
}

const DEFAULT_MAX_ATTEMPTS = 3;
const DEFAULT_INTERVAL_SECONDS = 1;
const DEFAULT_BACKOFF_RATE = 2;
const DEFAULT_MAP_CONCURRENCY = 40;

/** Runs a state machine definition (already validated) from its StartAt. */
export function runInterpreter(machine: Json, input: unknown, options: InterpreterRunOptions): InterpreterRun {
  const run = new Run(machine, options);
  return { abort: () => run.abort(), eventLogs: run.log.events(), result: run.start(input) };
}

class EventLog {
  private readonly queue: unknown[] = [];
  private closed = false;
  private wake: (() => void) | undefined;

  dispatch(event: Json): void {
    if (this.closed) return;
    this.queue.push({ timestamp: Date.now(), ...event });
    this.wake?.();
  }

  close(): void {
    this.closed = true;
    this.wake?.();
  }

  async *events(): AsyncGenerator<unknown> {
    for (;;) {
      while (this.queue.length > 0) yield this.queue.shift();
      if (this.closed) return;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = undefined;
    }
  }
}

class Run {
  readonly log = new EventLog();
  private readonly root: Signal = { cancelled: false };
  private settle: ((value: unknown) => void) | undefined;
  private done = false;
  private context: Json = {};
  private readonly reported = new WeakSet<Error>();

  constructor(
    private readonly machine: Json,
    private readonly options: InterpreterRunOptions,
  ) {}

  start(input: unknown): Promise<unknown> {
    const { Origin: origin, ...base } = this.options.context;
    // $$.Execution.Input and StartTime are the execution's own, a redriven run's too.
    const { Input = input, StartTime = new Date().toISOString() } = isObject(origin) ? origin : {};
    this.context = { ...base, Execution: { ...(isObject(base['Execution']) ? base['Execution'] : {}), Input, StartTime } };
    this.log.dispatch({ type: 'ExecutionStarted', input });
    const scope = new Scope();
    if (this.options.variables) scope.assign(this.options.variables);
    const frame: Frame = {
      scope,
      index: undefined,
      queryLanguage: this.machine['QueryLanguage'] === 'JSONata' ? 'JSONata' : 'JSONPath',
      signal: this.root,
    };
    return new Promise((resolve, reject) => {
      this.settle = resolve;
      const timeout = this.machine['TimeoutSeconds'];
      const timer =
        typeof timeout === 'number'
          ? setTimeout(() => {
              if (this.finish()) {
                this.log.dispatch({ type: 'ExecutionTimeout' });
                this.log.close();
                reject(new ExecutionTimeoutError());
              }
            }, timeout * 1000)
          : undefined;
      this.runMachine(this.machine, structuredClone(input), frame).then(
        (output) => {
          clearTimeout(timer);
          if (!this.finish()) return;
          this.log.dispatch({ type: 'ExecutionSucceeded', output });
          this.log.close();
          resolve(output);
        },
        (error: unknown) => {
          clearTimeout(timer);
          if (!this.finish()) return;
          const failure = asStatesError(error);
          this.log.dispatch({ type: 'ExecutionFailed', Error: failure.name, Cause: failure.message });
          this.log.close();
          reject(new ExecutionError(failure as unknown as ConstructorParameters<typeof ExecutionError>[0]));
        },
      );
    });
  }

  abort(): void {
    if (!this.finish()) return;
    this.log.dispatch({ type: 'ExecutionAborted' });
    this.log.close();
    this.settle?.(null);
  }

  /** Marks the run finished; false when it already was (the first outcome wins). */
  private finish(): boolean {
    if (this.done) return false;
    this.done = true;
    this.root.cancelled = true;
    return true;
  }

  private emit(frame: Frame, event: Json): void {
    if (!isCancelled(frame.signal)) this.log.dispatch(event);
  }

  private async runMachine(machine: Json, input: unknown, frame: Frame): Promise<unknown> {
    const states = machine['States'] as Record<string, Json>;
    let name = String(machine['StartAt']);
    let current = input;
    for (;;) {
      if (isCancelled(frame.signal)) throw new Cancelled();
      const state = states[name];
      if (!state) throw runtimeError(`The state '${name}' does not exist`);
      const outcome = await this.runState(name, state, current, frame);
      current = outcome.output;
      if (outcome.end || outcome.next === undefined) return current;
      name = outcome.next;
    }
  }

  private async runState(name: string, state: Json, input: unknown, frame: Frame): Promise<StateOutcome> {
    const stateEvent = (extra: Json = {}) => ({ state: { name, input, ...extra }, index: frame.index });
    this.emit(frame, { type: 'StateEntered', ...stateEvent() });
    const language: QueryLanguage = state['QueryLanguage'] === 'JSONata' ? 'JSONata' : state['QueryLanguage'] === 'JSONPath' ? 'JSONPath' : frame.queryLanguage;
    const retriers = Array.isArray(state['Retry']) ? (state['Retry'] as Json[]) : [];
    const attempts = retriers.map(() => 0);
    const context = {
      ...this.context,
      // RetryCount only where Retry applies (AWS's $$ for a Pass state has none).
      State: { Name: name, EnteredTime: new Date().toISOString(), ...(retriable(state) && { RetryCount: 0 }) },
      ...(frame.mapItem && { Map: { Item: frame.mapItem } }),
    };
    for (;;) {
      try {
        const outcome = await this.execute(name, state, input, frame, language, context);
        if (isCancelled(frame.signal)) throw new Cancelled();
        return this.exit(name, outcome, frame);
      } catch (caught) {
        if (caught instanceof Cancelled || isCancelled(frame.signal)) throw new Cancelled();
        const error = asStatesError(caught);
        this.emit(frame, { type: 'StateFailed', ...stateEvent(), Error: error.name, Cause: error.message });
        const retry = this.retrier(state, retriers, attempts, error);
        if (retry !== undefined) {
          await this.sleep(retry.delayMs, frame);
          this.emit(frame, { type: 'StateRetried', ...stateEvent() });
          (context.State as Json)['RetryCount'] = attempts.reduce((a, b) => a + b, 0);
          continue;
        }
        const caughtOutcome = await this.catcher(state, error, input, frame, language, context);
        if (caughtOutcome) return this.exit(name, caughtOutcome, frame);
        if (error.name === 'States.QueryEvaluationError' && !this.reported.has(error)) {
          // Reported once, by the state whose expression failed (not again by its Map or Parallel).
          this.reported.add(error);
          this.emit(frame, { type: 'EvaluationFailed', ...stateEvent(), Error: error.name, Cause: error.message, location: error.location });
        }
        throw error;
      }
    }
  }

  /** Variables take their new values when the state exits, all at once. */
  private exit(name: string, outcome: StateOutcome, frame: Frame): StateOutcome {
    if (outcome.assigned) frame.scope.assign(outcome.assigned);
    this.emit(frame, {
      type: 'StateExited',
      state: { name, output: outcome.output },
      index: frame.index,
      ...(outcome.assigned && { assigned: outcome.assigned }),
    });
    return outcome;
  }

  private retrier(state: Json, retriers: Json[], attempts: number[], error: StatesError): { delayMs: number } | undefined {
    if (!error.isRetryable) return undefined;
    for (const [i, retrier] of retriers.entries()) {
      if (!matches(retrier['ErrorEquals'], error, state)) continue;
      const max = typeof retrier['MaxAttempts'] === 'number' ? retrier['MaxAttempts'] : DEFAULT_MAX_ATTEMPTS;
      const count = attempts[i] ?? 0;
      if (count >= max) return undefined;
      attempts[i] = count + 1;
      const interval = typeof retrier['IntervalSeconds'] === 'number' ? retrier['IntervalSeconds'] : DEFAULT_INTERVAL_SECONDS;
      const rate = typeof retrier['BackoffRate'] === 'number' ? retrier['BackoffRate'] : DEFAULT_BACKOFF_RATE;
      let seconds = interval * rate ** count;
      if (typeof retrier['MaxDelaySeconds'] === 'number') seconds = Math.min(seconds, retrier['MaxDelaySeconds']);
      if (retrier['JitterStrategy'] === 'FULL') seconds = Math.random() * seconds;
      return { delayMs: seconds * 1000 };
    }
    return undefined;
  }

  private async catcher(
    state: Json,
    error: StatesError,
    input: unknown,
    frame: Frame,
    language: QueryLanguage,
    context: Json,
  ): Promise<StateOutcome | undefined> {
    if (!error.isCatchable || !Array.isArray(state['Catch'])) return undefined;
    const catcher = (state['Catch'] as Json[]).find((c) => matches(c['ErrorEquals'], error, state));
    if (!catcher) return undefined;
    const errorOutput = { Error: error.name, Cause: error.message };
    const next = String(catcher['Next']);
    if (language === 'JSONata') {
      const states: StatesVar = { input, context, errorOutput };
      const assigned = await this.assignJsonata(catcher, states, frame);
      const output = 'Output' in catcher ? await evaluateJsonata(catcher['Output'], states, frame.scope, 'Output') : errorOutput;
      return { output, next, end: false, assigned };
    }
    const assigned = 'Assign' in catcher ? nonEmpty(payloadTemplate(catcher['Assign'], errorOutput, context, frame.scope) as Json) : undefined;
    return { output: applyResultPath(catcher['ResultPath'] as string | null | undefined, input, errorOutput), next, end: false, assigned };
  }

  private async assignJsonata(holder: Json, states: StatesVar, frame: Frame): Promise<Json | undefined> {
    if (!('Assign' in holder)) return undefined;
    return nonEmpty((await evaluateJsonata(holder['Assign'], states, frame.scope, 'Assign')) as Json);
  }

  private execute(name: string, state: Json, input: unknown, frame: Frame, language: QueryLanguage, context: Json): Promise<StateOutcome> {
    return language === 'JSONata' ? this.executeJsonata(name, state, input, frame, context) : this.executeJsonPath(name, state, input, frame, context);
  }

  // ------------------------------------------------------------ JSONata states

  private async executeJsonata(name: string, state: Json, input: unknown, frame: Frame, context: Json): Promise<StateOutcome> {
    const type = state['Type'];
    const states: StatesVar = { input, context };
    const scope = frame.scope;
    const transition = { next: typeof state['Next'] === 'string' ? state['Next'] : undefined, end: state['End'] === true };
    const argumentsOf = async () => ('Arguments' in state ? evaluateJsonata(state['Arguments'], states, scope, 'Arguments') : input);
    const finish = async (holder: Json, result: unknown, hasResult: boolean, next = transition): Promise<StateOutcome> => {
      const withResult: StatesVar = hasResult ? { ...states, result } : states;
      const assigned = await this.assignJsonata(holder, withResult, frame);
      const output = 'Output' in holder ? await evaluateJsonata(holder['Output'], withResult, scope, 'Output') : hasResult ? result : input;
      return { output, assigned, ...next };
    };
    switch (type) {
      case 'Pass':
        return finish(state, undefined, false);
      case 'Succeed':
        return finish(state, undefined, false, { next: undefined, end: true });
      case 'Task': {
        const args = await argumentsOf();
        const timeout = await this.numberField(state, 'TimeoutSeconds', states, frame);
        return finish(state, await this.task(name, args, timeout), true);
      }
      case 'Parallel':
        return finish(state, await this.parallel(state, await argumentsOf(), frame), true);
      case 'Map': {
        const items = 'Items' in state ? await evaluateJsonata(state['Items'], states, scope, 'Items') : input;
        if (!Array.isArray(items)) {
          throw new StatesError('States.QueryEvaluationError', `The Items field must evaluate to a JSON array, got '${JSON.stringify(items)}'.`, 'Items');
        }
        const concurrency = await this.numberField(state, 'MaxConcurrency', states, frame);
        const result = await this.map(name, state, items, frame, concurrency, (item, index) => {
          if (!('ItemSelector' in state)) return Promise.resolve(item);
          const itemContext = { ...context, Map: { Item: { Index: index, Value: item } } };
          return evaluateJsonata(state['ItemSelector'], { input, context: itemContext }, scope, 'ItemSelector');
        });
        return finish(state, result, true);
      }
      case 'Wait': {
        await this.wait(state, frame, async (field) => evaluateJsonata(state[field], states, scope, field));
        return finish(state, undefined, false);
      }
      case 'Choice': {
        const choices = Array.isArray(state['Choices']) ? (state['Choices'] as Json[]) : [];
        for (const [i, rule] of choices.entries()) {
          const holds = await evaluateJsonata(rule['Condition'], states, scope, `Choices[${i}]/Condition`);
          if (typeof holds !== 'boolean') {
            throw new StatesError('States.QueryEvaluationError', `The Condition of choice rule ${i} must evaluate to a boolean, got '${JSON.stringify(holds)}'.`, `Choices[${i}]/Condition`);
          }
          if (holds) return finish(rule, undefined, false, { next: String(rule['Next']), end: false });
        }
        if (typeof state['Default'] === 'string') return finish(state, undefined, false, { next: state['Default'], end: false });
        throw new StatesError('States.NoChoiceMatched', 'No Matches!');
      }
      case 'Fail': {
        const text = async (field: 'Error' | 'Cause', fallback: string) =>
          field in state ? String(await evaluateJsonata(state[field], states, scope, field)) : fallback;
        throw new StatesError(await text('Error', 'FailStateError'), await text('Cause', 'Execution failed because of a Fail state'));
      }
      default:
        throw runtimeError(`Unsupported state type '${String(type)}'`);
    }
  }

  private async numberField(state: Json, field: string, states: StatesVar, frame: Frame): Promise<number | undefined> {
    if (!(field in state)) return undefined;
    const value = await evaluateJsonata(state[field], states, frame.scope, field);
    if (typeof value !== 'number') throw new StatesError('States.QueryEvaluationError', `The field '${field}' must be a number, got '${JSON.stringify(value)}'.`, field);
    return value;
  }

  // ------------------------------------------------------------ JSONPath states

  private async executeJsonPath(name: string, state: Json, rawInput: unknown, frame: Frame, context: Json): Promise<StateOutcome> {
    const type = state['Type'];
    const scope = frame.scope;
    const path = (p: unknown, from: unknown) => queryPath(String(p), from, context, scope);
    let input = rawInput;
    if ('InputPath' in state) input = state['InputPath'] === null ? {} : path(state['InputPath'], rawInput);
    const effective = 'Parameters' in state && type !== 'Map' ? payloadTemplate(state['Parameters'], input, context, scope) : input;
    const transition = { next: typeof state['Next'] === 'string' ? state['Next'] : undefined, end: state['End'] === true };
    const outputPath = (value: unknown) => ('OutputPath' in state ? (state['OutputPath'] === null ? {} : path(state['OutputPath'], value)) : value);
    const assignFrom = (holder: Json, value: unknown) => ('Assign' in holder ? nonEmpty(payloadTemplate(holder['Assign'], value, context, scope) as Json) : undefined);
    /** Task, Parallel, Map and Pass: ResultSelector, Assign (from the result), ResultPath, OutputPath. */
    const withResult = (raw: unknown, selectable: boolean): StateOutcome => {
      const result = selectable && 'ResultSelector' in state ? payloadTemplate(state['ResultSelector'], raw, context, scope) : raw;
      const assigned = assignFrom(state, result);
      const output = outputPath(applyResultPath(state['ResultPath'] as string | null | undefined, rawInput, result));
      return { output, assigned, ...transition };
    };
    switch (type) {
      case 'Pass':
        return withResult('Result' in state ? state['Result'] : effective, false);
      case 'Task': {
        const timeout = typeof state['TimeoutSecondsPath'] === 'string' ? Number(path(state['TimeoutSecondsPath'], input)) : undefined;
        return withResult(await this.task(name, effective, timeout ?? (state['TimeoutSeconds'] as number | undefined)), true);
      }
      case 'Parallel':
        return withResult(await this.parallel(state, effective, frame), true);
      case 'Map': {
        const items = typeof state['ItemsPath'] === 'string' ? path(state['ItemsPath'], input) : input;
        if (!Array.isArray(items)) throw runtimeError('Input of Map state must be an array or ItemsPath property must point to an array');
        const concurrency =
          typeof state['MaxConcurrencyPath'] === 'string' ? Number(path(state['MaxConcurrencyPath'], input)) : (state['MaxConcurrency'] as number | undefined);
        const selector = state['ItemSelector'] ?? state['Parameters'];
        const result = await this.map(name, state, items, frame, concurrency, (item, index) =>
          Promise.resolve(selector === undefined ? item : payloadTemplate(selector, input, { ...context, Map: { Item: { Index: index, Value: item } } }, scope)),
        );
        return withResult(result, true);
      }
      case 'Wait':
        await this.wait(state, frame, async (field) => (field.endsWith('Path') ? path(state[field], input) : state[field]));
        return { output: outputPath(input), assigned: assignFrom(state, input), ...transition };
      case 'Succeed':
        return { output: outputPath(input), end: true };
      case 'Choice': {
        const choices = Array.isArray(state['Choices']) ? (state['Choices'] as Json[]) : [];
        const rule = choices.find((r) => testChoiceRule(r, input, context, scope));
        const next = rule ? String(rule['Next']) : typeof state['Default'] === 'string' ? state['Default'] : undefined;
        if (next === undefined) throw new StatesError('States.NoChoiceMatched', 'No Matches!');
        return { output: outputPath(input), assigned: assignFrom(rule ?? state, input), next, end: false };
      }
      case 'Fail': {
        const text = (field: 'Error' | 'Cause', fallback: string) =>
          typeof state[`${field}Path`] === 'string' ? String(path(state[`${field}Path`], input)) : typeof state[field] === 'string' ? String(state[field]) : fallback;
        throw new StatesError(text('Error', 'FailStateError'), text('Cause', 'Execution failed because of a Fail state'));
      }
      default:
        throw runtimeError(`Unsupported state type '${String(type)}'`);
    }
  }

  // ------------------------------------------------------------ shared work

  private async task(name: string, input: unknown, timeoutSeconds: number | undefined): Promise<unknown> {
    const handler = this.options.handlers[name];
    if (!handler) throw runtimeError(`No handler for the Task state '${name}'`);
    const call = handler(input);
    if (timeoutSeconds === undefined) return call;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StatesError('States.Timeout', 'States.Timeout')), timeoutSeconds * 1000);
    });
    try {
      return await Promise.race([call, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async parallel(state: Json, input: unknown, frame: Frame): Promise<unknown[]> {
    const branches = Array.isArray(state['Branches']) ? (state['Branches'] as Json[]) : [];
    const signal: Signal = { cancelled: false, parent: frame.signal };
    try {
      return await Promise.all(
        branches.map((branch) =>
          this.runMachine(branch, structuredClone(input), { ...frame, scope: new Scope(frame.scope), signal }),
        ),
      );
    } catch (error) {
      signal.cancelled = true;
      throw error;
    }
  }

  private async map(
    name: string,
    state: Json,
    items: unknown[],
    frame: Frame,
    maxConcurrency: number | undefined,
    itemInput: (item: unknown, index: number) => Promise<unknown>,
  ): Promise<unknown[]> {
    const processor = (state['ItemProcessor'] ?? state['Iterator']) as Json;
    const config = isObject(processor['ProcessorConfig']) ? processor['ProcessorConfig'] : {};
    // A Distributed Map's iterations do not see the variables outside it.
    const outer = config['Mode'] === 'DISTRIBUTED' ? undefined : frame.scope;
    const signal: Signal = { cancelled: false, parent: frame.signal };
    const results: unknown[] = new Array(items.length);
    let nextIndex = 0;
    const worker = async () => {
      while (nextIndex < items.length && !signal.cancelled) {
        const index = nextIndex++;
        const item = items[index];
        const input = await itemInput(item, index);
        const iteration: Frame = {
          scope: new Scope(outer),
          index: frame.index ?? index,
          queryLanguage: frame.queryLanguage,
          mapItem: { Index: index, Value: item },
          signal,
        };
        const iterationEvent = { index, parentState: { name }, ...(frame.index !== undefined && { outerIndex: frame.index }) };
        this.emit(frame, { type: 'MapIterationStarted', ...iterationEvent });
        // Iterations that start together announce themselves before any of them runs a state.
        await Promise.resolve();
        try {
          results[index] = await this.runMachine(processor, input, iteration);
          this.emit(iteration, { type: 'MapIterationSucceeded', ...iterationEvent });
        } catch (error) {
          if (!(error instanceof Cancelled)) this.emit(iteration, { type: 'MapIterationFailed', ...iterationEvent });
          throw error;
        }
      }
    };
    this.emit(frame, { type: 'MapItems', state: { name }, index: frame.index, length: items.length });
    const limit = maxConcurrency && maxConcurrency > 0 ? maxConcurrency : DEFAULT_MAP_CONCURRENCY;
    try {
      await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    } catch (error) {
      signal.cancelled = true;
      throw error;
    }
    return results;
  }

  private async wait(state: Json, frame: Frame, read: (field: string) => Promise<unknown>): Promise<void> {
    let ms = 0;
    for (const field of ['Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath']) {
      if (!(field in state)) continue;
      const value = await read(field);
      if (field.startsWith('Seconds')) {
        if (typeof value !== 'number' || value < 0) throw runtimeError(`The ${field} of a Wait state must be a non-negative number, got '${JSON.stringify(value)}'`);
        ms = value * 1000;
      } else {
        const at = typeof value === 'string' ? Date.parse(value) : NaN;
        if (Number.isNaN(at)) throw runtimeError(`The ${field} of a Wait state must be an ISO-8601 timestamp, got '${JSON.stringify(value)}'`);
        ms = at - Date.now();
      }
    }
    await this.sleep(ms, frame);
  }

  /** Sleeps, waking early (and cancelling) when the run or the thread ends. */
  private sleep(ms: number, frame: Frame): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const tick = () => {
        if (isCancelled(frame.signal)) reject(new Cancelled());
        else if (Date.now() - started >= ms) resolve();
        else setTimeout(tick, Math.min(100, ms - (Date.now() - started)));
      };
      setTimeout(tick, Math.min(100, ms));
    });
  }
}

const retriable = (state: Json) => state['Type'] === 'Task' || state['Type'] === 'Parallel' || state['Type'] === 'Map';

/** An empty Assign assigns nothing and AWS records no assignedVariables for it. */
const nonEmpty = (assigned: Json): Json | undefined => (Object.keys(assigned).length > 0 ? assigned : undefined);

function matches(errorEquals: unknown, error: StatesError, state: Json): boolean {
  const names = Array.isArray(errorEquals) ? errorEquals : [];
  return names.some(
    (n) => n === error.name || n === 'States.ALL' || (n === 'States.TaskFailed' && state['Type'] === 'Task' && error.name !== 'States.Timeout'),
  );
}

/**
 * Anything thrown becomes a States error. Task handlers throw named errors (tasks.ts); theirs for an
 * unsupported resource is States.Runtime, which StatesError neither retries nor catches, as on AWS.
 */
function asStatesError(error: unknown): StatesError {
  if (error instanceof StatesError) return error;
  if (error instanceof Error) return new StatesError(error.name, error.message);
  return new StatesError('States.Runtime', String(error));
}
