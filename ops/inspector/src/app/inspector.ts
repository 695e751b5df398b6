import { type CompensationRule, compensationRule } from '../core/compensation';
import { parseDefinition, placementsOf, type MachineGraph } from '../core/definition';
import type { HistoryEvent } from '../core/events';
import { executionArnFor, isExecutionArn, type ExecutionRecord } from '../core/execution';
import { readHistoryExport, recordFromHistory } from '../core/history-export';
import { type GraphLayout, layoutGraph } from '../core/layout';
import { type PathTaken, pathTaken } from '../core/path';
import type { SagaStats } from '../core/stats';
import { buildTimeline } from '../core/timeline';
import { buildExecutionView, type ExecutionView } from '../core/view';
import { InspectorError } from '../errors';
import { OrderApi, type OrderLookup } from '../adapters/order-api';
import { bearerToken, devIssuerToken } from '../adapters/order-api-auth';
import { createSfnClient, type StateMachineInfo, StepFunctionsGateway } from '../adapters/step-functions';
import { LocalData } from '../adapters/local-data';
import type { Comparison } from '../core/compare';
import { buildExport, type ExecutionExport } from '../core/execution-export';
import { compareExecutions, type ReplayOptions, type StartedReplay, startReplay } from './replay';
import { readAwsExecution, readExecution } from './replay-source';
import type { InspectorConfig } from './config';
import { type ExecutionPage, type ListFilter, listExecutions } from './list';
import { collectStats, type StatsRequest } from './stats';

export type { StatsRequest };

/** `show`: the execution view plus what only the API call knows. */
export interface ExecutionDetails extends ExecutionView {
  stateMachine: { arn: string; name: string };
  /** The order's current record from the order API; absent when no order API is configured. */
  order?: OrderLookup;
  events?: HistoryEvent[];
}

export interface DefinitionGraph {
  stateMachine: { arn: string; name: string; type: string };
  graph: MachineGraph;
  layout: GraphLayout;
}

/** A state machine drawing: of an execution (with its path) or of the current definition. */
export interface GraphView {
  title: string;
  graph: MachineGraph;
  layout: GraphLayout;
  path?: PathTaken;
  finished: boolean;
}

/**
 * The inspector's use cases, shared by the CLI and the web API: list, show, history, graph, stop,
 * redrive, stats. It speaks only the Step Functions API (and the order API, optionally).
 */
export class SagaInspector {
  readonly isCompensation: CompensationRule;
  private machine?: Promise<StateMachineInfo>;

  constructor(
    private readonly sfn: StepFunctionsGateway,
    private readonly stateMachineRef: string,
    private readonly orders?: OrderApi,
    compensationPatterns?: readonly string[],
    /** What replays need of the local stack: its stage, and its data to seed. */
    private readonly local: { stage: string; data?: () => LocalData; readAws?: typeof readAwsExecution } = { stage: 'local' },
  ) {
    this.isCompensation = compensationRule(compensationPatterns);
  }

  static fromConfig(config: InspectorConfig): SagaInspector {
    const gateway = new StepFunctionsGateway(createSfnClient(config.sfn), config.sfn.endpoint);
    const auth = config.orderApiAuth;
    const headers = !auth ? undefined : 'token' in auth ? bearerToken(auth.token) : devIssuerToken(auth.devIssuerDir);
    const orders = config.orderApiUrl ? new OrderApi({ baseUrl: config.orderApiUrl, ...(headers && { headers }) }) : undefined;
    const stack = config.localStack;
    const data = stack
      ? () =>
          new LocalData({
            dynamodbEndpoint: stack.dynamodb,
            region: config.sfn.region,
            ordersTable: `order-${config.stage}-orders`,
            inventoryApi: stack.inventoryApi,
            headers: devIssuerToken(stack.devIssuerDir),
          })
      : undefined;
    return new SagaInspector(gateway, config.stateMachine, orders, config.compensationPatterns, { stage: config.stage, ...(data && { data }) });
  }

  /** The saga's state machine, looked up once. */
  async stateMachine(): Promise<StateMachineInfo> {
    this.machine ??= this.sfn.findStateMachine(this.stateMachineRef);
    try {
      return await this.machine;
    } catch (error) {
      this.machine = undefined;
      throw error;
    }
  }

  async list(filter: ListFilter): Promise<ExecutionPage> {
    const machine = await this.standardMachine('list');
    return listExecutions(this.sfn, machine.arn, (name) => executionArnFor(machine.arn, name), filter);
  }

  /** An order id (the execution name) or an execution ARN -> the execution ARN. */
  async resolve(id: string): Promise<string> {
    if (isExecutionArn(id)) return id;
    const machine = await this.standardMachine('show');
    return executionArnFor(machine.arn, id);
  }

  async describe(id: string): Promise<ExecutionRecord> {
    const arn = await this.resolve(id);
    const record = await this.sfn.describeExecution(arn);
    if (!record) throw new InspectorError('NOT_FOUND', `no execution ${isExecutionArn(id) ? id : `named ${id} (${arn})`}`);
    return record;
  }

  async show(id: string, options: { events?: boolean; order?: boolean } = {}): Promise<ExecutionDetails> {
    const record = await this.describe(id);
    const [history, definition, order] = await Promise.all([
      this.sfn.history(record.executionArn),
      this.sfn.definitionForExecution(record.executionArn),
      options.order === false || !this.orders ? undefined : this.orders.getOrder(record.name),
    ]);
    const view = buildExecutionView({ record, history, definition, isCompensation: this.isCompensation });
    const details: ExecutionDetails = { ...view, stateMachine: stateMachineOf(record) };
    if (order) details.order = order;
    if (options.events) details.events = history;
    return details;
  }

  /**
   * `show` from an exported history instead of the API: an Express execution's CloudWatch Logs
   * records, or a Standard history saved with `history --json`. The definition comes from the
   * file given, else from DescribeStateMachine (which Express state machines do support).
   */
  async showExport(id: string | undefined, exportText: string, definitionText?: string): Promise<ExecutionDetails> {
    const exported = readHistoryExport(exportText, id);
    const machine = definitionText === undefined ? await this.stateMachine() : undefined;
    const executionArn =
      exported.executionArn ?? (id && isExecutionArn(id) ? id : machine && id ? executionArnFor(machine.arn, id) : (id ?? 'exported-execution'));
    const record = recordFromHistory(executionArn, machine?.arn ?? '', exported.events);
    const definition = definitionText ?? machine!.definition;
    const view = buildExecutionView({ record, history: exported.events, definition, isCompensation: this.isCompensation });
    const order = this.orders ? await this.orders.getOrder(record.name) : undefined;
    return { ...view, stateMachine: stateMachineOf(record), ...(order && { order }), events: exported.events };
  }

  async history(id: string): Promise<HistoryEvent[]> {
    return this.sfn.history(await this.resolve(id));
  }

  /**
   * The execution export (`history --json`, the page's "Export history"): record, definition,
   * order record and events; the e-mail address and payment token masked unless `mask` is false.
   */
  async exportExecution(id: string, options: { mask?: boolean } = {}): Promise<ExecutionExport> {
    const record = await this.describe(id);
    const [events, definition, order] = await Promise.all([
      this.sfn.history(record.executionArn),
      this.sfn.definitionForExecution(record.executionArn),
      this.orders ? this.orders.getOrder(record.name) : undefined,
    ]);
    return buildExport({ record, events, definition, order: order?.state === 'found' ? order.record : null, mask: options.mask !== false });
  }

  /** An execution to replay: of this stack (name or ARN), of AWS (an ARN elsewhere), or read from an export. */
  async replaySource(source: { id: string } | { awsArn: string } | { export: ExecutionExport }): Promise<ExecutionExport> {
    if ('export' in source) return source.export;
    if ('awsArn' in source) return (this.local.readAws ?? readAwsExecution)(source.awsArn);
    return readExecution(this.sfn, (await this.describe(source.id)).executionArn);
  }

  /** Starts the replay of `original` on this stack's state machine (see app/replay.ts). */
  async replay(original: ExecutionExport, options: ReplayOptions = {}): Promise<StartedReplay> {
    // Read afresh: a long-lived page must not restore a definition a redeploy has replaced since.
    const machine = await this.sfn.findStateMachine((await this.standardMachine('replay')).arn);
    const localData = this.local.data?.();
    try {
      return await startReplay({ sfn: this.sfn, machine, stage: this.local.stage, isCompensation: this.isCompensation, ...(localData && { localData }) }, original, options);
    } finally {
      localData?.close();
    }
  }

  /** The original and its replay side by side; the original may be an export (a file, AWS). */
  async compare(original: ExecutionExport | string, replayId: string): Promise<Comparison> {
    const machine = await this.stateMachine();
    const source = typeof original === 'string' ? await this.replaySource({ id: original }) : original;
    const replay = await readExecution(this.sfn, (await this.describe(replayId)).executionArn);
    return compareExecutions(
      { record: source.execution, events: source.events, definition: source.definition ?? machine.definition },
      { record: replay.execution, events: replay.events, definition: replay.definition ?? machine.definition },
      this.isCompensation,
    );
  }

  /** The state machine's current definition as a graph (no execution, no colours). */
  async definitionGraph(): Promise<DefinitionGraph> {
    const machine = await this.stateMachine();
    const graph = parseDefinition(machine.definition);
    return { stateMachine: { arn: machine.arn, name: machine.name, type: machine.type }, graph, layout: layoutGraph(graph, this.isCompensation) };
  }

  /** The graph of an execution's definition with the path it took; without an id, the current definition. */
  async graph(id?: string): Promise<GraphView> {
    if (!id) {
      const { stateMachine, graph, layout } = await this.definitionGraph();
      return { title: stateMachine.name, graph, layout, finished: false };
    }
    const record = await this.describe(id);
    const [history, definition] = await Promise.all([this.sfn.history(record.executionArn), this.sfn.definitionForExecution(record.executionArn)]);
    const graph = parseDefinition(definition);
    const timeline = buildTimeline(history, { isCompensation: this.isCompensation, placements: placementsOf(graph) });
    return {
      title: `${record.name} (${record.status})`,
      graph,
      layout: layoutGraph(graph, this.isCompensation),
      path: pathTaken(timeline, graph),
      finished: record.status !== 'RUNNING',
    };
  }

  async stop(id: string, reason?: { error?: string; cause?: string }): Promise<ExecutionRecord> {
    const record = await this.describe(id);
    if (record.status !== 'RUNNING') {
      throw new InspectorError('CONFLICT', `${record.name} is ${record.status}: only a RUNNING execution can be stopped`);
    }
    await this.sfn.stop(record.executionArn, reason?.error ?? 'Inspector.Stopped', reason?.cause ?? 'Stopped by an operator with the saga inspector');
    return (await this.sfn.describeExecution(record.executionArn)) ?? record;
  }

  async redrive(id: string): Promise<ExecutionRecord> {
    const record = await this.describe(id);
    await this.sfn.redrive(record.executionArn);
    return (await this.sfn.describeExecution(record.executionArn)) ?? record;
  }

  /** Polls until the execution is no longer RUNNING (after a redrive, say) or the time is up. */
  async waitWhileRunning(executionArn: string, timeoutMs = 60_000, intervalMs = 250): Promise<ExecutionRecord> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const record = await this.describe(executionArn);
      if (record.status !== 'RUNNING' || Date.now() >= deadline) return record;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }

  /** Counts, failure reasons and durations of the executions started in a window (see stats.ts). */
  async stats(request: StatsRequest): Promise<SagaStats> {
    return collectStats(
      { list: (filter) => this.list(filter), history: (arn) => this.sfn.history(arn), isCompensation: this.isCompensation },
      request,
    );
  }

  private async standardMachine(action: string): Promise<StateMachineInfo> {
    const machine = await this.stateMachine();
    if (machine.type === 'EXPRESS') {
      throw new InspectorError(
        'UNSUPPORTED',
        `${machine.name} is an EXPRESS state machine: Step Functions cannot ${action} its executions through the API. ` +
          'Express executions are recorded only in CloudWatch Logs; see ops/inspector/README.md ("Express workflows").',
      );
    }
    return machine;
  }
}

function stateMachineOf(record: ExecutionRecord): { arn: string; name: string } {
  return { arn: record.stateMachineArn, name: record.stateMachineArn.split(':')[6] ?? record.stateMachineArn };
}
