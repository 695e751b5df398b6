import { type CompensationRule, compensationRule } from '../core/compensation';
import { parseDefinition, placementsOf, type MachineGraph } from '../core/definition';
import type { HistoryEvent } from '../core/events';
import { executionArnFor, isExecutionArn, type ExecutionRecord } from '../core/execution';
import { type GraphLayout, layoutGraph } from '../core/layout';
import { type PathTaken, pathTaken } from '../core/path';
import { computeStats, type SagaStats, type StatsSample } from '../core/stats';
import { summarize } from '../core/summary';
import { buildTimeline } from '../core/timeline';
import { buildExecutionView, type ExecutionView } from '../core/view';
import { InspectorError } from '../errors';
import { OrderApi, type OrderLookup } from '../adapters/order-api';
import { createSfnClient, type StateMachineInfo, StepFunctionsGateway } from '../adapters/step-functions';
import type { InspectorConfig } from './config';
import { type ExecutionPage, type ListFilter, listExecutions } from './list';

/**
 * The inspector's use cases, shared by the CLI and the web API: list, show, history, graph, stop,
 * redrive, stats. It speaks only the Step Functions API (and the order API, optionally).
 */
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

export interface StatsRequest {
  since: Date;
  until?: Date;
  /** Stop after this many executions (newest first), to bound API calls on a busy account. */
  maxExecutions?: number;
}

const STATS_HISTORY_CONCURRENCY = 6;

export class SagaInspector {
  readonly isCompensation: CompensationRule;
  private machine?: Promise<StateMachineInfo>;

  constructor(
    private readonly sfn: StepFunctionsGateway,
    private readonly stateMachineRef: string,
    private readonly orders?: OrderApi,
    compensationPatterns?: readonly string[],
  ) {
    this.isCompensation = compensationRule(compensationPatterns);
  }

  static fromConfig(config: InspectorConfig): SagaInspector {
    const gateway = new StepFunctionsGateway(createSfnClient(config.sfn), config.sfn.endpoint);
    const orders = config.orderApiUrl ? new OrderApi({ baseUrl: config.orderApiUrl }) : undefined;
    return new SagaInspector(gateway, config.stateMachine, orders, config.compensationPatterns);
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

  async history(id: string): Promise<HistoryEvent[]> {
    return this.sfn.history(await this.resolve(id));
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

  async stats(request: StatsRequest): Promise<SagaStats> {
    const until = request.until ?? new Date();
    const max = request.maxExecutions ?? 5000;
    const samples: StatsSample[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.list({ since: request.since, limit: 100, ...(cursor && { cursor }) });
      for (const record of page.items) {
        if (Date.parse(record.startDate) <= until.getTime() && samples.length < max) samples.push({ record });
      }
      cursor = samples.length < max ? page.nextCursor : undefined;
    } while (cursor);
    await this.addFailureReasons(samples);
    return computeStats(samples, { since: request.since.toISOString(), until: until.toISOString() });
  }

  /**
   * Why each unsuccessful execution ended. The saga ends every compensated run in the same Fail
   * state (error OrderFailed), which says nothing; the reason worth counting is the error that
   * triggered the compensation, which only the history holds.
   */
  private async addFailureReasons(samples: StatsSample[]): Promise<void> {
    const failed = samples.filter((s) => ['FAILED', 'TIMED_OUT', 'ABORTED'].includes(s.record.status));
    let next = 0;
    const worker = async () => {
      while (next < failed.length) {
        const sample = failed[next++]!;
        const record = sample.record as ExecutionRecord;
        const timeline = buildTimeline(await this.sfn.history(record.executionArn), { isCompensation: this.isCompensation });
        const summary = summarize(record, timeline);
        sample.reason = summary.trigger?.error ?? summary.error ?? record.status;
      }
    };
    await Promise.all(Array.from({ length: Math.min(STATS_HISTORY_CONCURRENCY, failed.length) }, worker));
  }

  private async standardMachine(action: string): Promise<StateMachineInfo> {
    const machine = await this.stateMachine();
    if (machine.type === 'EXPRESS') {
      throw new InspectorError(
        'UNSUPPORTED',
        `${machine.name} is an EXPRESS state machine: Step Functions cannot ${action} its executions through the API. ` +
          'Express executions are recorded only in CloudWatch Logs; see inspector/README.md ("Express workflows").',
      );
    }
    return machine;
  }
}

function stateMachineOf(record: ExecutionRecord): { arn: string; name: string } {
  return { arn: record.stateMachineArn, name: record.stateMachineArn.split(':')[6] ?? record.stateMachineArn };
}
