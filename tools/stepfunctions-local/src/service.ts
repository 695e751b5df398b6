import { randomUUID } from 'node:crypto';
import { executionArn, expressExecutionArn, stateMachineArn, type ArnScope } from './arn';
import { compileDefinition, definitionHash, validateDefinition, type CompiledDefinition } from './definition';
import { errors } from './errors';
import { decodeExecution, encodeExecution, type PersistedExecution, type PersistedMeta } from './codec';
import { assignedBefore, hevent, HistoryRecorder, resumePoint, type HEvent, type Terminal } from './history';
import type { LambdaInvoker } from './invoker';
import { startRun, type RunHandle } from './runner';
import { FileStore } from './store';

export type MachineType = 'STANDARD' | 'EXPRESS';
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface Machine {
  /** Internal identity: a machine deleted and created again under the same name is another machine. */
  id: string;
  arn: string;
  name: string;
  type: MachineType;
  definitionHash: string;
  roleArn: string;
  creationDate: number;
  updateDate: number | undefined;
  revisionId: string | undefined;
  loggingConfiguration: unknown;
  tracingConfiguration: unknown;
  /** Standard executions by name, in start order. */
  executions: Map<string, Execution>;
  closedCount: number;
  nextSeq: number;
}

export interface Execution {
  arn: string;
  name: string;
  machine: Machine;
  seq: number;
  /** The definition it started with: redrives keep using it, as on AWS. */
  definitionHash: string;
  roleArn: string;
  input: string;
  status: ExecutionStatus;
  startDate: number;
  stopDate: number | undefined;
  output: string | undefined;
  error: string | undefined;
  cause: string | undefined;
  redriveCount: number;
  redriveDate: number | undefined;
  redriveToken: string | undefined;
  events: HEvent[];
  run: RunHandle | undefined;
  recorder: HistoryRecorder | undefined;
}

export interface ExpressOutcome {
  arn: string;
  name: string;
  machine: Machine;
  input: string;
  startDate: number;
  done: Promise<{ terminal: Terminal; stopDate: number }>;
}

export interface ServiceOptions extends ArnScope {
  invoker: LambdaInvoker;
  /** Closed executions kept per state machine; the oldest closed ones are dropped beyond it. */
  retainExecutions: number;
  /** Folder for persistence; in memory only when absent. */
  dataDir?: string;
  /** Redrive executions that were running when the server stopped, instead of leaving them ABORTED. */
  resumeOnRestart: boolean;
  flushDelayMs?: number;
  log: (line: string) => void;
}

export const RESTART_ERROR = 'States.Runtime';
export const RESTART_CAUSE = 'stepfunctions-local stopped while this execution was running';

/** State machines, executions and their lifecycle; the API actions are a thin layer over this. */
export class StepFunctionsService {
  readonly scope: ArnScope;
  private readonly machines = new Map<string, Machine>();
  private readonly definitions = new Map<string, CompiledDefinition>();
  private readonly expressRuns = new Set<RunHandle>();
  private readonly store: FileStore<Execution> | undefined;

  constructor(private readonly options: ServiceOptions) {
    this.scope = { region: options.region, accountId: options.accountId };
    if (options.dataDir) {
      this.store = new FileStore(
        options.dataDir,
        { meta: () => this.persistedMeta(), encode: (e) => encodeExecution(e), live: () => this.allExecutions() },
        options.flushDelayMs,
        (error) => options.log(`stepfunctions-local: persistence failed: ${(error as Error).message}`),
      );
      this.restore();
    }
  }

  // ---- state machines ----

  createStateMachine(input: {
    name: string;
    definition: string;
    roleArn: string;
    type: MachineType;
    loggingConfiguration?: unknown;
    tracingConfiguration?: unknown;
  }): Machine {
    const arn = stateMachineArn(this.scope, input.name);
    const existing = this.machines.get(input.name);
    if (existing) {
      // Creating the exact same machine again is idempotent on AWS.
      const same =
        this.definitionText(existing.definitionHash) === input.definition && existing.roleArn === input.roleArn && existing.type === input.type;
      if (same) return existing;
      throw errors.stateMachineAlreadyExists(arn);
    }
    const compiled = this.register(input.definition);
    const machine: Machine = {
      id: randomUUID(),
      arn,
      name: input.name,
      type: input.type,
      definitionHash: compiled.hash,
      roleArn: input.roleArn,
      creationDate: Date.now(),
      updateDate: undefined,
      revisionId: undefined,
      loggingConfiguration: input.loggingConfiguration,
      tracingConfiguration: input.tracingConfiguration,
      executions: new Map(),
      closedCount: 0,
      nextSeq: 1,
    };
    this.machines.set(machine.name, machine);
    this.store?.markMetaDirty();
    return machine;
  }

  updateStateMachine(
    machine: Machine,
    changes: { definition?: string; roleArn?: string; loggingConfiguration?: unknown; tracingConfiguration?: unknown },
  ): Machine {
    const hash = changes.definition === undefined ? machine.definitionHash : this.register(changes.definition).hash;
    const roleArn = changes.roleArn ?? machine.roleArn;
    // A new revision only when what runs changes; repeating an update keeps the revision id.
    if (hash !== machine.definitionHash || roleArn !== machine.roleArn || machine.revisionId === undefined) {
      machine.revisionId = randomUUID();
    }
    machine.definitionHash = hash;
    machine.roleArn = roleArn;
    if (changes.loggingConfiguration !== undefined) machine.loggingConfiguration = changes.loggingConfiguration;
    if (changes.tracingConfiguration !== undefined) machine.tracingConfiguration = changes.tracingConfiguration;
    machine.updateDate = Date.now();
    this.store?.markMetaDirty();
    return machine;
  }

  /** Removes the machine and its executions; running ones are stopped. */
  deleteStateMachine(name: string): void {
    const machine = this.machines.get(name);
    if (!machine) return;
    for (const execution of machine.executions.values()) execution.run?.detach();
    this.machines.delete(name);
    this.store?.markMetaDirty();
  }

  findMachine(name: string): Machine | undefined {
    return this.machines.get(name);
  }

  listMachines(): Machine[] {
    return [...this.machines.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The variables each state reads, for DescribeStateMachine(ForExecution). */
  variableReferences(hash: string): Record<string, string[]> | undefined {
    return this.compiled(hash).variableReferences;
  }

  definitionText(hash: string): string {
    return this.compiled(hash).text;
  }

  // ---- executions ----

  findExecution(machineName: string, name: string): Execution | undefined {
    return this.machines.get(machineName)?.executions.get(name);
  }

  /** StartExecution on a Standard machine: names are unique per machine, with AWS's idempotency rule. */
  startExecution(machine: Machine, name: string, inputText: string, input: unknown): Execution {
    const existing = machine.executions.get(name);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === inputText) return existing;
      throw errors.executionAlreadyExists(existing.arn);
    }
    const now = Date.now();
    const execution: Execution = {
      arn: executionArn(this.scope, machine.name, name),
      name,
      machine,
      seq: machine.nextSeq++,
      definitionHash: machine.definitionHash,
      roleArn: machine.roleArn,
      input: inputText,
      status: 'RUNNING',
      startDate: now,
      stopDate: undefined,
      output: undefined,
      error: undefined,
      cause: undefined,
      redriveCount: 0,
      redriveDate: undefined,
      redriveToken: undefined,
      events: [hevent('ExecutionStarted', now, 0, undefined, inputText)],
      run: undefined,
      recorder: undefined,
    };
    machine.executions.set(name, execution);
    this.run(execution, undefined, input, 0);
    return execution;
  }

  /** Express executions run without history and are not retained, as on AWS (which logs them only). */
  startExpress(machine: Machine, name: string, inputText: string, input: unknown): ExpressOutcome {
    const arn = expressExecutionArn(this.scope, machine.name, name, randomUUID());
    const startDate = Date.now();
    const handle = startRun({
      definition: this.compiled(machine.definitionHash),
      input,
      context: contextObject(arn, name, machine, machine.roleArn, 0),
      invoker: this.options.invoker,
    });
    this.expressRuns.add(handle);
    const done = handle.outcome.then((terminal) => {
      this.expressRuns.delete(handle);
      return { terminal: terminal ?? { status: 'ABORTED' as const }, stopDate: Date.now() };
    });
    return { arn, name, machine, input: inputText, startDate, done };
  }

  stopExecution(execution: Execution, error: string | undefined, cause: string | undefined): number {
    if (execution.status !== 'RUNNING' || !execution.run) return execution.stopDate ?? Date.now();
    if (execution.recorder) execution.recorder.abortInfo = { error, cause };
    execution.status = 'ABORTED';
    execution.stopDate = Date.now();
    execution.error = error;
    execution.cause = cause;
    execution.run.abort();
    return execution.stopDate;
  }

  /** Resumes a closed, unsuccessful execution from the top-level state it stopped in. */
  redriveExecution(execution: Execution, clientToken: string | undefined): number {
    if (clientToken !== undefined && clientToken === execution.redriveToken && execution.redriveDate !== undefined) {
      return execution.redriveDate;
    }
    const reason = notRedrivableReason(execution);
    if (reason) throw errors.executionNotRedrivable(reason);
    const point = resumePoint(execution.events, this.compiled(execution.definitionHash));
    if (!point) throw errors.executionNotRedrivable('Execution has no state to redrive from');
    return this.resume(execution, point, clientToken);
  }

  listExecutions(machine: Machine): Execution[] {
    return [...machine.executions.values()];
  }

  compiledFor(execution: Execution): CompiledDefinition {
    return this.compiled(execution.definitionHash);
  }

  /** Stops the engines, writes what is pending. Running executions are saved as RUNNING; see restore(). */
  async close(): Promise<void> {
    for (const machine of this.machines.values()) {
      for (const execution of machine.executions.values()) {
        if (execution.run) {
          execution.run.detach();
          execution.run = undefined;
          this.store?.markDirty(execution);
        }
      }
    }
    for (const handle of this.expressRuns) handle.detach();
    this.expressRuns.clear();
    await this.store?.close();
  }

  // ---- internals ----

  private register(text: string): CompiledDefinition {
    validateDefinition(text);
    const hash = definitionHash(text);
    let compiled = this.definitions.get(hash);
    if (!compiled) {
      compiled = compileDefinition(text);
      this.definitions.set(hash, compiled);
    }
    return compiled;
  }

  private compiled(hash: string): CompiledDefinition {
    const compiled = this.definitions.get(hash);
    if (!compiled) throw new Error(`stepfunctions-local: unknown definition ${hash}`);
    return compiled;
  }

  private run(execution: Execution, startAt: string | undefined, input: unknown, firstPrevious: number): void {
    const store = this.store;
    const definition = this.compiled(execution.definitionHash);
    const recorder = new HistoryRecorder(execution.events, definition, store ? () => store.markDirty(execution) : noop, firstPrevious);
    const handle = startRun({
      definition,
      startAt,
      input,
      context: {
        ...contextObject(execution.arn, execution.name, execution.machine, execution.roleArn, execution.redriveCount),
        // The execution's own input and start: the interpreter keeps them on a redrive (the engine sets its own).
        ...(definition.interpreted && { Origin: { Input: JSON.parse(execution.input) as unknown, StartTime: new Date(execution.startDate).toISOString() } }),
      },
      invoker: this.options.invoker,
      recorder,
      // A redrive resumes with the variables the top-level states had assigned before it.
      ...(startAt !== undefined && definition.interpreted && { variables: assignedBefore(execution.events, definition) }),
    });
    execution.run = handle;
    execution.recorder = recorder;
    store?.markDirty(execution);
    handle.outcome.then(
      (terminal) => {
        if (terminal && execution.run === handle) this.finish(execution, terminal);
      },
      (error: unknown) => this.options.log(`stepfunctions-local: execution ${execution.arn} crashed: ${String(error)}`),
    );
  }

  private finish(execution: Execution, terminal: Terminal): void {
    execution.run = undefined;
    execution.recorder = undefined;
    execution.status = terminal.status;
    // StopExecution already set the stop date it returned.
    execution.stopDate = terminal.status === 'ABORTED' && execution.stopDate !== undefined ? execution.stopDate : Date.now();
    execution.output = terminal.output;
    execution.error = terminal.error;
    execution.cause = terminal.cause;
    const machine = execution.machine;
    machine.closedCount += 1;
    this.store?.markDirty(execution);
    this.evict(machine);
  }

  private resume(execution: Execution, point: { state: string; input: string }, clientToken: string | undefined): number {
    const now = Date.now();
    execution.redriveCount += 1;
    execution.redriveDate = now;
    execution.redriveToken = clientToken;
    execution.status = 'RUNNING';
    execution.stopDate = undefined;
    execution.output = undefined;
    execution.error = undefined;
    execution.cause = undefined;
    execution.machine.closedCount -= 1;
    const events = execution.events;
    events.push(hevent('ExecutionRedriven', now, events.length, undefined, undefined, undefined, undefined, execution.redriveCount));
    this.run(execution, point.state, JSON.parse(point.input), events.length);
    return now;
  }

  /** Keeps at most `retainExecutions` closed executions per machine, dropping the oldest. */
  private evict(machine: Machine): void {
    if (machine.closedCount <= this.options.retainExecutions) return;
    for (const [name, execution] of machine.executions) {
      if (machine.closedCount <= this.options.retainExecutions) break;
      if (execution.status !== 'RUNNING') {
        machine.executions.delete(name);
        machine.closedCount -= 1;
      }
    }
  }

  private *allExecutions(): Iterable<Execution> {
    for (const machine of this.machines.values()) yield* machine.executions.values();
  }

  private persistedMeta(): PersistedMeta {
    const used = new Set<string>();
    for (const machine of this.machines.values()) used.add(machine.definitionHash);
    for (const execution of this.allExecutions()) used.add(execution.definitionHash);
    const definitions: Record<string, string> = {};
    for (const hash of used) definitions[hash] = this.compiled(hash).text;
    const machines = [...this.machines.values()].map(({ executions: _e, closedCount: _c, nextSeq: _n, ...rest }) => rest);
    return { version: 1, machines, definitions };
  }

  /** Loads the data folder. Executions that were running are ABORTED (States.Runtime), or redriven with resumeOnRestart. */
  private restore(): void {
    const store = this.store;
    if (!store) return;
    const loaded = store.load((e) => String((e as PersistedExecution).arn));
    const meta = loaded.meta as PersistedMeta | undefined;
    if (!meta) return;
    for (const [hash, text] of Object.entries(meta.definitions)) this.definitions.set(hash, compileDefinition(text));
    const byId = new Map<string, Machine>();
    for (const saved of meta.machines) {
      const machine: Machine = { ...saved, executions: new Map(), closedCount: 0, nextSeq: 1 };
      this.machines.set(machine.name, machine);
      byId.set(machine.id, machine);
    }
    const interrupted: Execution[] = [];
    const saved = (loaded.executions as PersistedExecution[]).sort((a, b) => a.seq - b.seq);
    for (const row of saved) {
      const machine = byId.get(row.machineId);
      if (!machine || !this.definitions.has(row.definitionHash)) continue;
      const execution = decodeExecution(row, machine);
      machine.executions.set(execution.name, execution);
      machine.nextSeq = Math.max(machine.nextSeq, execution.seq + 1);
      if (execution.status === 'RUNNING') interrupted.push(execution);
      else machine.closedCount += 1;
    }
    const now = Date.now();
    for (const execution of interrupted) {
      execution.status = 'ABORTED';
      execution.stopDate = now;
      execution.error = RESTART_ERROR;
      execution.cause = RESTART_CAUSE;
      execution.events.push(hevent('ExecutionAborted', now, 0, undefined, undefined, RESTART_ERROR, RESTART_CAUSE));
      execution.machine.closedCount += 1;
    }
    for (const machine of this.machines.values()) this.evict(machine);
    if (this.options.resumeOnRestart) {
      for (const execution of interrupted) {
        const point = resumePoint(execution.events, this.compiled(execution.definitionHash));
        if (point && execution.machine.executions.get(execution.name) === execution) this.resume(execution, point, undefined);
      }
    }
    if (interrupted.length > 0) {
      const what = this.options.resumeOnRestart ? 'redriven' : 'marked ABORTED (redrivable)';
      this.options.log(`stepfunctions-local: ${interrupted.length} execution(s) interrupted by the last shutdown ${what}`);
    }
    store.requestCompaction();
    store.markMetaDirty();
  }
}

const noop = () => undefined;

function notRedrivableReason(execution: Execution): string | undefined {
  if (execution.status === 'RUNNING') return 'Execution is RUNNING and cannot be redriven';
  if (execution.status === 'SUCCEEDED') return 'Execution is SUCCEEDED and cannot be redriven';
  return undefined;
}

export function redriveStatus(execution: Execution): { redriveStatus: string; redriveStatusReason?: string } {
  const reason = notRedrivableReason(execution);
  return reason ? { redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: reason } : { redriveStatus: 'REDRIVABLE' };
}

/** $$ for the engine; it sets Execution.Input and StartTime itself. */
function contextObject(arn: string, name: string, machine: Machine, roleArn: string, redriveCount: number): Record<string, unknown> {
  return {
    Execution: { Id: arn, Name: name, RoleArn: roleArn, RedriveCount: redriveCount },
    StateMachine: { Id: machine.arn, Name: machine.name },
  };
}
