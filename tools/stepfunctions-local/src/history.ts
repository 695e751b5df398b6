import type { CompiledDefinition, StateInfo } from './definition';
import type { TaskSpec } from './tasks';

/**
 * Execution history: the engine's event log (and the task events this server adds around each
 * Lambda call) recorded as compact events, rendered into AWS `HistoryEvent` shapes only when
 * GetExecutionHistory asks. Ids are positions (1-based); `p` is AWS's previousEventId.
 */
export interface HEvent {
  /** AWS event type, e.g. TaskStateEntered. */
  t: string;
  /** Epoch milliseconds. */
  ts: number;
  /** previousEventId. */
  p: number;
  /** State name, map name, Lambda ARN, or `<resourceType>:<resource>` for service tasks. */
  n: string | undefined;
  /** JSON text: input, output or parameters. */
  d: string | undefined;
  e: string | undefined;
  c: string | undefined;
  /** Map index or length, redrive count, or a task's timeoutInSeconds. */
  i: number | undefined;
  /** StateExited: the variables the state assigned, as JSON text of `{name: JSON text}`. */
  v: string | undefined;
}

// One factory keeps every event on the same hidden class (compact and fast to walk).
export const hevent = (
  t: string,
  ts: number,
  p: number,
  n?: string,
  d?: string,
  e?: string,
  c?: string,
  i?: number,
  v?: string,
): HEvent => ({ t, ts, p, n, d, e, c, i, v });

export interface Terminal {
  status: 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';
  output?: string;
  error?: string;
  cause?: string;
}

/** A Task attempt announced by the engine (StateEntered / StateRetried) awaiting its handler call. */
export interface TaskSlot {
  state: string;
  thread: string;
  parent: string | undefined;
  claimed: boolean;
  done: boolean;
}

interface Compound {
  startedId: number;
  lastChild: number;
  /** The last child event that is not a MapIteration* event (AWS links iteration starts and a failure to it). */
  lastState: number;
  /** The number of items, when the interpreter reported it (AWS's MapStateStarted length). */
  length?: number;
  iterations: number;
  started: HEvent;
}

/** The engine's event log entries this recorder reads (a structural subset of its EventLog). */
export interface EngineEvent {
  type: string;
  timestamp: number;
  state?: { name: string; input?: unknown; output?: unknown };
  parentState?: { name: string };
  index?: number;
  output?: unknown;
  Error?: string;
  Cause?: unknown;
  /** StateExited of a state with Assign (interpreter only): the values assigned. */
  assigned?: Record<string, unknown>;
  /** MapItems (interpreter only): the number of items a Map state iterates over. */
  length?: number;
  /** MapIteration* of a Map nested in another Map (interpreter only): the outermost iteration's index. */
  outerIndex?: number;
  /** EvaluationFailed (interpreter only): the field whose JSONata evaluation failed. */
  location?: string;
}

const NO_VALUE = Symbol('none');
const FAIL_STATE_ERROR = 'FailStateError';
const FAIL_STATE_CAUSE = 'Execution failed because of a Fail state';
const QUERY_EVALUATION_ERROR = 'States.QueryEvaluationError';

/**
 * Translates one run of the engine (a start or a redrive) into history events.
 *
 * Events are linked per "thread": the top level, each Parallel branch and each Map iteration;
 * an event's previousEventId is the last event of its thread, as in AWS histories. Task events
 * are written by the task handler itself (see tasks.ts), which first yields so that the engine's
 * StateEntered for that attempt has been consumed; slots pair each attempt with its state.
 */
export class HistoryRecorder {
  private readonly threads = new Map<string, number>();
  private readonly compounds = new Map<string, Compound>();
  private readonly pending = new Map<string, TaskSlot[]>();
  private readonly slots = new Map<string, TaskSlot>();
  private lastFailState: StateInfo | undefined;
  /** StateEntered per `thread|state`: its id and previousEventId (EvaluationFailed links like it). */
  private readonly entered = new Map<string, { id: number; p: number }>();
  /** The cause of the last EvaluationFailed, as AWS words it for ExecutionFailed too. */
  private evaluationCause: string | undefined;
  private cachedValue: unknown = NO_VALUE;
  private cachedText = '';
  /** Set once the terminal event is written; late task results are then dropped. */
  closed = false;
  /** Error and cause given to StopExecution, written into ExecutionAborted. */
  abortInfo: { error?: string; cause?: string } = {};

  constructor(
    readonly events: HEvent[],
    private readonly definition: CompiledDefinition,
    private readonly onChange: () => void,
    /** previousEventId for the first state: 0 on a start, the ExecutionRedriven id on a redrive. */
    firstPrevious = 0,
  ) {
    this.threads.set('', firstPrevious);
  }

  /** Consumes one engine event; returns the outcome when it is the execution's last. */
  onEngineEvent(event: EngineEvent): Terminal | undefined {
    switch (event.type) {
      case 'StateEntered':
        this.stateEntered(event);
        return undefined;
      case 'StateExited':
        this.stateExited(event);
        return undefined;
      case 'StateFailed':
        this.stateFailed(event);
        return undefined;
      case 'StateRetried':
        this.stateRetried(event);
        return undefined;
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed':
        this.mapIteration(event);
        return undefined;
      case 'EvaluationFailed':
        this.evaluationFailed(event);
        return undefined;
      case 'MapItems': {
        // The interpreter knows the item count before the iterations start; the engine does not.
        const info = this.info(event);
        const compound = this.compounds.get(`${this.threadOf(info.ancestors, event.index)}|${info.name}`);
        if (compound && event.length !== undefined) {
          compound.length = event.length;
          compound.started.i = event.length;
        }
        return undefined;
      }
      case 'ExecutionSucceeded': {
        const output = this.json(event.output);
        this.add('', undefined, hevent('ExecutionSucceeded', event.timestamp, this.last(''), undefined, output));
        return this.finish({ status: 'SUCCEEDED', output });
      }
      case 'ExecutionFailed': {
        const { error, cause } = this.failure(event);
        this.add('', undefined, hevent('ExecutionFailed', event.timestamp, this.last(''), undefined, undefined, error, cause));
        return this.finish({ status: 'FAILED', error, cause });
      }
      case 'ExecutionAborted': {
        // AWS links an abort to nothing: it is caused from outside the execution.
        const { error, cause } = this.abortInfo;
        this.add('', undefined, hevent('ExecutionAborted', event.timestamp, 0, undefined, undefined, error, cause));
        return this.finish({ status: 'ABORTED', error, cause });
      }
      case 'ExecutionTimeout': {
        const error = 'States.Timeout';
        this.add('', undefined, hevent('ExecutionTimedOut', event.timestamp, this.last(''), undefined, undefined, error));
        return this.finish({ status: 'TIMED_OUT', error });
      }
      default:
        // ExecutionStarted is written by the service; Parallel branch and StateCaught events have no AWS counterpart.
        return undefined;
    }
  }

  /** Called by a task handler once the engine's events up to its call are consumed. */
  claimTask(state: string): TaskSlot | undefined {
    const slot = this.pending.get(state)?.shift();
    if (slot) slot.claimed = true;
    return slot;
  }

  taskScheduled(slot: TaskSlot, spec: TaskSpec, input: unknown): void {
    if (!this.writable(slot)) return;
    const now = Date.now();
    const text = this.json(input);
    const timeout = spec.timeoutSeconds;
    if (spec.kind === 'lambda') {
      this.addTo(slot, hevent('LambdaFunctionScheduled', now, this.last(slot.thread), spec.resource, text, undefined, undefined, timeout));
      this.addTo(slot, hevent('LambdaFunctionStarted', now, this.last(slot.thread)));
    } else {
      const resource = `${spec.resourceType}:${spec.action}`;
      this.addTo(slot, hevent('TaskScheduled', now, this.last(slot.thread), resource, text, undefined, undefined, timeout));
      if (spec.kind === 'service') this.addTo(slot, hevent('TaskStarted', now, this.last(slot.thread), resource));
    }
  }

  taskSucceeded(slot: TaskSlot, spec: TaskSpec, output: unknown): void {
    if (!this.writable(slot)) return;
    slot.done = true;
    const type = spec.kind === 'lambda' ? 'LambdaFunctionSucceeded' : 'TaskSucceeded';
    this.addTo(slot, hevent(type, Date.now(), this.last(slot.thread), resourceOf(spec), this.json(output)));
  }

  taskFailed(slot: TaskSlot, spec: TaskSpec, error: string, cause: string): void {
    if (!this.writable(slot)) return;
    slot.done = true;
    const type = spec.kind === 'lambda' ? 'LambdaFunctionFailed' : spec.kind === 'service' ? 'TaskFailed' : 'TaskStartFailed';
    this.addTo(slot, hevent(type, Date.now(), this.last(slot.thread), resourceOf(spec), undefined, error, cause));
  }

  private writable(slot: TaskSlot): boolean {
    return !this.closed && !slot.done;
  }

  private stateEntered(event: EngineEvent): void {
    const info = this.info(event);
    const thread = this.threadOf(info.ancestors, event.index);
    const parent = this.parentKey(info, event.index);
    const entered = hevent(`${info.type}StateEntered`, event.timestamp, this.last(thread), info.name, this.json(event.state?.input));
    const id = this.add(thread, parent, entered);
    this.entered.set(`${thread}|${info.name}`, { id, p: entered.p });
    if (info.type === 'Task') this.expectTask(info, thread, parent);
    else if (info.type === 'Parallel' || info.type === 'Map') this.startCompound(info, thread, parent, event.index, event.timestamp, id);
  }

  private stateExited(event: EngineEvent): void {
    const info = this.info(event);
    const thread = this.threadOf(info.ancestors, event.index);
    const parent = this.parentKey(info, event.index);
    if (info.type === 'Task') this.slots.delete(`${thread}|${info.name}`);
    if (info.type === 'Parallel' || info.type === 'Map') {
      const key = `${thread}|${info.name}`;
      const compound = this.compounds.get(key);
      if (compound && info.type === 'Map') compound.started.i = compound.length ?? compound.iterations;
      const succeeded = hevent(`${info.type}StateSucceeded`, event.timestamp, compound?.lastChild ?? this.last(thread));
      this.add(thread, parent, succeeded);
      this.compounds.delete(key);
      // AWS links the Exited event like the Succeeded one, to the last event inside (recorded histories).
      this.threads.set(thread, succeeded.p);
    }
    const output = this.json(event.state?.output);
    const assigned = event.assigned && JSON.stringify(Object.fromEntries(Object.entries(event.assigned).map(([k, v]) => [k, JSON.stringify(v) ?? 'null'])));
    const exited = hevent(`${info.type}StateExited`, event.timestamp, this.last(thread), info.name, output, undefined, undefined, undefined, assigned);
    this.add(thread, parent, exited);
  }

  /**
   * A JSONata evaluation that failed its state: AWS links it like the state's Entered event and
   * names the state and the event id in the cause.
   */
  private evaluationFailed(event: EngineEvent): void {
    const info = this.info(event);
    const thread = this.threadOf(info.ancestors, event.index);
    const parent = this.parentKey(info, event.index);
    const entered = this.entered.get(`${thread}|${info.name}`);
    const { error, cause } = errorOf(event);
    const decorated = `An error occurred while executing the state '${info.name}' (entered at the event id #${entered?.id ?? 0}). ${cause ?? ''}`;
    this.evaluationCause = decorated;
    this.add(thread, parent, hevent('EvaluationFailed', event.timestamp, entered?.p ?? this.last(thread), info.name, event.location, error, decorated));
  }

  private stateFailed(event: EngineEvent): void {
    const info = this.info(event);
    const thread = this.threadOf(info.ancestors, event.index);
    const parent = this.parentKey(info, event.index);
    if (info.type === 'Fail') this.lastFailState = info;
    if (info.type === 'Task') {
      const key = `${thread}|${info.name}`;
      const slot = this.slots.get(key);
      this.slots.delete(key);
      if (slot && !slot.claimed) {
        // Failed before the handler ran (e.g. a bad InputPath): no task events for this attempt.
        const queue = this.pending.get(info.name);
        queue?.splice(queue.indexOf(slot), 1);
      } else if (slot && !slot.done) {
        // The engine gave up waiting (TimeoutSeconds) while the call is still in flight.
        slot.done = true;
        const spec = this.definition.tasks.get(info.name);
        const type = spec?.kind === 'lambda' ? 'LambdaFunctionTimedOut' : 'TaskTimedOut';
        const { error, cause } = errorOf(event);
        this.add(thread, parent, hevent(type, event.timestamp, this.last(thread), spec && resourceOf(spec), undefined, error, cause));
      }
    }
    if (info.type === 'Parallel' || info.type === 'Map') {
      const key = `${thread}|${info.name}`;
      const compound = this.compounds.get(key);
      if (compound && info.type === 'Map') compound.started.i = compound.length ?? compound.iterations;
      this.add(thread, parent, hevent(`${info.type}StateFailed`, event.timestamp, compound?.lastState ?? this.last(thread)));
      this.compounds.delete(key);
    }
  }

  private stateRetried(event: EngineEvent): void {
    const info = this.info(event);
    const thread = this.threadOf(info.ancestors, event.index);
    const parent = this.parentKey(info, event.index);
    if (info.type === 'Task') this.expectTask(info, thread, parent);
    else if (info.type === 'Parallel' || info.type === 'Map') {
      this.startCompound(info, thread, parent, event.index, event.timestamp, this.last(thread));
    }
  }

  private mapIteration(event: EngineEvent): void {
    const mapName = event.parentState?.name ?? '';
    const info = this.definition.states.get(mapName);
    if (!info) return;
    const index = event.index ?? 0;
    // The interpreter names the enclosing iteration of a nested Map; the engine does not (approximate links).
    const outer = event.outerIndex ?? index;
    const thread = this.threadOf(info.ancestors, outer);
    const key = `${thread}|${mapName}`;
    const compound = this.compounds.get(key);
    const iteration = this.threadOf([...info.ancestors, { name: mapName, kind: 'map', branch: 0 }], outer);
    if (event.type === 'MapIterationStarted') {
      if (compound) compound.iterations += 1;
      // Linked to the last state event inside the Map so far (MapStateStarted for the first ones).
      const previous = compound ? compound.lastState : this.last(thread);
      this.add(iteration, key, hevent('MapIterationStarted', event.timestamp, previous, mapName, undefined, undefined, undefined, index));
    } else {
      this.add(iteration, key, hevent(event.type, event.timestamp, this.last(iteration), mapName, undefined, undefined, undefined, index));
    }
  }

  private startCompound(
    info: StateInfo,
    thread: string,
    parent: string | undefined,
    index: number | undefined,
    timestamp: number,
    previous: number,
  ): void {
    const isMap = info.type === 'Map';
    const started = hevent(isMap ? 'MapStateStarted' : 'ParallelStateStarted', timestamp, previous, undefined, undefined, undefined, undefined, isMap ? 0 : undefined);
    const startedId = this.add(thread, parent, started);
    this.compounds.set(`${thread}|${info.name}`, { startedId, lastChild: startedId, lastState: startedId, iterations: 0, started });
    for (let branch = 0; branch < info.branches; branch += 1) {
      this.threads.set(this.threadOf([...info.ancestors, { name: info.name, kind: 'parallel', branch }], index), startedId);
    }
  }

  private expectTask(info: StateInfo, thread: string, parent: string | undefined): void {
    const slot: TaskSlot = { state: info.name, thread, parent, claimed: false, done: false };
    const queue = this.pending.get(info.name);
    if (queue) queue.push(slot);
    else this.pending.set(info.name, [slot]);
    this.slots.set(`${thread}|${info.name}`, slot);
  }

  private failure(event: EngineEvent): { error: string | undefined; cause: string | undefined } {
    let { error, cause } = errorOf(event);
    // A Fail state without Error/Cause fails with neither on AWS; the engine fills in defaults.
    const fail = this.lastFailState?.def;
    if (fail && error === FAIL_STATE_ERROR && !('Error' in fail) && !('ErrorPath' in fail)) error = undefined;
    if (fail && cause === FAIL_STATE_CAUSE && !('Cause' in fail) && !('CausePath' in fail)) cause = undefined;
    if (error === QUERY_EVALUATION_ERROR && this.evaluationCause !== undefined) cause = this.evaluationCause;
    return { error, cause };
  }

  private finish(terminal: Terminal): Terminal {
    this.closed = true;
    return terminal;
  }

  private info(event: EngineEvent): StateInfo {
    const name = event.state?.name ?? '';
    const info = this.definition.states.get(name);
    if (info) return info;
    // Unknown names cannot come from a validated definition; keep them on the top-level thread.
    return { name, type: 'Pass', def: {}, ancestors: [], branches: 0 };
  }

  /**
   * The thread of a state: '' at the top level, else one segment per enclosing branch or
   * iteration. The engine reports only the outermost Map index, so inner Map iterations share a
   * thread (their events still appear, their previousEventId links are approximate).
   */
  private threadOf(ancestors: StateInfo['ancestors'], index: number | undefined): string {
    if (ancestors.length === 0) return '';
    let key = '';
    let mapSeen = false;
    for (const ancestor of ancestors) {
      let segment: string;
      if (ancestor.kind === 'parallel') segment = `${ancestor.name}.${ancestor.branch}`;
      else {
        segment = `${ancestor.name}#${mapSeen || index === undefined ? '?' : index}`;
        mapSeen = true;
      }
      key = key === '' ? segment : `${key}/${segment}`;
    }
    return key;
  }

  private parentKey(info: StateInfo, index: number | undefined): string | undefined {
    const parent = info.ancestors[info.ancestors.length - 1];
    if (!parent) return undefined;
    const parentInfo = this.definition.states.get(parent.name);
    return `${this.threadOf(parentInfo?.ancestors ?? [], index)}|${parent.name}`;
  }

  private last(thread: string): number {
    return this.threads.get(thread) ?? 0;
  }

  private addTo(slot: TaskSlot, event: HEvent): void {
    this.add(slot.thread, slot.parent, event);
  }

  private add(thread: string, parent: string | undefined, event: HEvent): number {
    this.events.push(event);
    const id = this.events.length;
    this.threads.set(thread, id);
    if (parent !== undefined) {
      const compound = this.compounds.get(parent);
      if (compound) {
        compound.lastChild = id;
        if (!event.t.startsWith('MapIteration')) compound.lastState = id;
      }
    }
    this.onChange();
    return id;
  }

  /** JSON text of a value; consecutive events usually carry the same object, so the last text is reused. */
  private json(value: unknown): string {
    if (value === this.cachedValue) return this.cachedText;
    const text = JSON.stringify(value) ?? 'null';
    this.cachedValue = value;
    this.cachedText = text;
    return text;
  }
}

function errorOf(event: EngineEvent): { error: string | undefined; cause: string | undefined } {
  const cause = event.Cause;
  return {
    error: event.Error,
    cause: cause === undefined || cause === null ? undefined : typeof cause === 'string' ? cause : JSON.stringify(cause),
  };
}

function resourceOf(spec: TaskSpec): string {
  return spec.kind === 'lambda' ? spec.resource : `${spec.resourceType}:${spec.action}`;
}

/**
 * Where a redrive resumes: the last top-level state entered and its input. A state that already
 * exited is followed to its Next (a Choice or an End state is re-run from its own entry).
 */
export function resumePoint(events: readonly HEvent[], definition: CompiledDefinition): { state: string; input: string } | undefined {
  let exited: StateInfo | undefined;
  for (let i = events.length - 1; i >= 0; i -= 1) {
    const event = events[i];
    if (!event?.n) continue;
    const info = definition.states.get(event.n);
    if (!info || info.ancestors.length > 0) continue;
    if (event.t.endsWith('StateExited') && exited === undefined) {
      const next = info.def['Next'];
      if (typeof next === 'string' && info.type !== 'Choice') return { state: next, input: event.d ?? '{}' };
      exited = info;
    } else if (event.t.endsWith('StateEntered') && (exited === undefined || exited.name === info.name)) {
      return { state: info.name, input: event.d ?? '{}' };
    }
  }
  return undefined;
}

/** The workflow variables the top-level states assigned in the history so far, latest value last. */
export function assignedBefore(events: readonly HEvent[], definition: CompiledDefinition): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  for (const event of events) {
    if (event.v === undefined || !event.n || (definition.states.get(event.n)?.ancestors.length ?? 1) > 0) continue;
    for (const [name, text] of Object.entries(JSON.parse(event.v) as Record<string, string>)) variables[name] = JSON.parse(text);
  }
  return variables;
}

/** Persistence form: positional arrays, trailing empties dropped. */
export type EncodedEvent = (string | number | null)[];

export function encodeEvent(event: HEvent): EncodedEvent {
  const row: EncodedEvent = [event.t, event.ts, event.p, event.n ?? null, event.d ?? null, event.e ?? null, event.c ?? null, event.i ?? null, event.v ?? null];
  while (row.length > 3 && row[row.length - 1] === null) row.pop();
  return row;
}

export function decodeEvent(row: EncodedEvent): HEvent {
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
  return hevent(String(row[0]), Number(row[1]), Number(row[2]), str(row[3]), str(row[4]), str(row[5]), str(row[6]), num(row[7]), str(row[8]));
}
