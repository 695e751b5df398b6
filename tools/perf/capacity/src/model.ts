import { unitsOf, type DynamoOperation, type ItemSizes } from '../../cost/src/dynamodb';
import type { PathCounts, WorkflowType } from '../../cost/src/model';
import { STEP_OPERATIONS, type StepKey } from '../../cost/src/operations';
import { sagaStartPolicy } from '../../../../services/order/src/domain/saga-start';
import { busiestKeyLoad, describeSpread, KEY_DESIGN, type KeyDesign, type SpreadAssumptions } from './keys';
import { quotaValue, type Quotas } from './quotas';

/**
 * The capacity model (pure): what one order of a path asks of each AWS quota, as a load that
 * grows linearly with the order rate (load = fixed + perOrder x orders/s), against the quotas of
 * a Region. The per-order counts are the cost model's (tools/perf/cost).
 */

/** What orders ask of one quota. */
export interface Demand {
  service: string;
  resource: string;
  /** Key in quotas.json. */
  quotaId: string;
  fixed: number;
  perOrder: number;
  /**
   * `order`: an order waits on it (the POST or the saga); `deferred`: it sits behind a queue or a
   * stream (events, notifications), so a shortfall grows a backlog and delays, but loses nothing.
   */
  path: 'order' | 'deferred';
  /** A partition key of a table or index (the hot-key analysis). */
  hotKey?: { partitionKey: string; spread: string };
  note?: string;
}

export interface Row extends Demand {
  load: number;
  /** null: no published limit. */
  quota: number | null;
  headroom: number | null;
  /** load / quota. */
  used: number | null;
  /** The rate at which this quota is reached (Infinity: never). */
  maxOrdersPerSecond: number;
  adjustable: boolean;
  verified: boolean;
}

export interface ModelOptions {
  workflow: WorkflowType;
  sizes: ItemSizes;
  assumptions: SpreadAssumptions;
  /** Lines of the largest order the API accepts (one transaction writes a reservation and each line's stock). */
  maxOrderLines: number;
  keys?: KeyDesign[];
  /** The DynamoDB requests of each step (the cost model's table unless a test gives its own). */
  operations?: Record<StepKey, DynamoOperation[]>;
}

/** DynamoDB units one order puts on each table and index (`table` or `table.index`; an index write is an action named `GSI <index>`). */
export function unitsByTable(
  steps: StepKey[],
  sizes: ItemSizes,
  operations: Record<StepKey, DynamoOperation[]> = STEP_OPERATIONS,
): Map<string, { wru: number; rru: number }> {
  const byTable = new Map<string, { wru: number; rru: number }>();
  for (const step of steps) {
    for (const op of operations[step]) {
      const name = op.action.startsWith('GSI ') ? `${op.table}.${op.action.split(' ')[1]}` : op.table;
      const units = unitsOf(op, sizes);
      const sum = byTable.get(name) ?? { wru: 0, rru: 0 };
      byTable.set(name, { wru: sum.wru + units.wru, rru: sum.rru + units.rru });
    }
  }
  return byTable;
}

/** StartExecution calls per order: every path the start policy of the workflow type enables (a repeat spends a token too). */
export function startExecutionsPerOrder(workflow: WorkflowType): number {
  const policy = sagaStartPolicy(workflow);
  return (policy.onCreate ? 1 : 0) + (policy.onInsert ? 1 : 0);
}

/** Every demand one order of `counts` makes, at any rate. */
export function demandsOf(counts: PathCounts, options: ModelOptions): Demand[] {
  const { workflow } = options;
  const standard = workflow === 'STANDARD';
  const demands: Demand[] = [
    { service: 'API Gateway', resource: 'requests (POST /orders)', quotaId: 'apiGateway.requests', fixed: 0, perOrder: counts.httpRequests, path: 'order' },
    {
      service: 'Lambda',
      resource: 'concurrent executions (all functions)',
      quotaId: 'lambda.concurrency',
      fixed: 0,
      // Little's law: invocations per second x seconds each.
      perOrder: counts.invocations.reduce((sum, inv) => sum + (inv.count * inv.durationMs) / 1000, 0),
      path: 'order',
      note: 'durations of warm invocations; cold starts and slower dependencies raise it',
    },
  ];
  const busiest = [...counts.invocations].sort((a, b) => b.count - a.count)[0];
  if (busiest) {
    demands.push({ service: 'Lambda', resource: `invocations of ${busiest.fn} (busiest function)`, quotaId: 'lambda.invocationsPerFunction', fixed: 0, perOrder: busiest.count, path: 'order' });
  }
  demands.push({
    service: 'Step Functions',
    resource: `StartExecution (${workflow}: ${startExecutionsPerOrder(workflow)} per order)`,
    quotaId: standard ? 'stepFunctions.standard.startExecution' : 'stepFunctions.express.startExecution',
    fixed: 0,
    perOrder: startExecutionsPerOrder(workflow),
    path: 'order',
    note: standard ? 'POST /orders starts the saga and the orders stream makes sure it runs: two calls, one execution' : undefined,
  });
  if (standard) {
    demands.push(
      { service: 'Step Functions', resource: 'state transitions', quotaId: 'stepFunctions.standard.stateTransitions', fixed: 0, perOrder: counts.stateTransitions, path: 'order' },
      {
        service: 'Step Functions',
        resource: 'open executions',
        quotaId: 'stepFunctions.standard.openExecutions',
        fixed: 0,
        perOrder: counts.executionDurationMs / 1000,
        path: 'order',
      },
    );
  }
  demands.push(
    { service: 'SNS', resource: 'Publish', quotaId: 'sns.publish', fixed: 0, perOrder: counts.snsPublishes, path: 'deferred' },
    { service: 'SQS', resource: 'requests (standard queues)', quotaId: 'sqs.standard', fixed: 0, perOrder: counts.sqsRequests, path: 'deferred' },
    { service: 'SES', resource: 'emails', quotaId: 'ses.sendRate', fixed: 0, perOrder: counts.emails, path: 'deferred' },
  );

  const units = unitsByTable(counts.steps, options.sizes, options.operations);
  for (const [name, u] of units) {
    const notificationsOnly = name.startsWith('notifications');
    const path = notificationsOnly ? 'deferred' : 'order';
    if (u.wru > 0) demands.push({ service: 'DynamoDB', resource: `${name}: write units`, quotaId: 'dynamodb.onDemandTableWrite', fixed: 0, perOrder: u.wru, path });
    if (u.rru > 0) demands.push({ service: 'DynamoDB', resource: `${name}: read units`, quotaId: 'dynamodb.onDemandTableRead', fixed: 0, perOrder: u.rru, path });
  }
  for (const key of options.keys ?? KEY_DESIGN) {
    const u = units.get(key.name);
    if (!u) continue;
    const hotKey = { partitionKey: key.partitionKey, spread: describeSpread(key.spread) };
    const path = key.name.startsWith('notifications') ? 'deferred' : 'order';
    if (u.wru > 0) {
      const load = busiestKeyLoad(key.spread, u.wru, options.assumptions);
      demands.push({ service: 'DynamoDB', resource: `${key.name}: busiest ${key.partitionKey}, write units`, quotaId: 'dynamodb.partitionWrite', ...load, path, hotKey });
    }
    if (u.rru > 0) {
      const load = busiestKeyLoad(key.spread, u.rru, options.assumptions);
      demands.push({ service: 'DynamoDB', resource: `${key.name}: busiest ${key.partitionKey}, read units`, quotaId: 'dynamodb.partitionRead', ...load, path, hotKey });
    }
  }
  demands.push({
    service: 'DynamoDB',
    resource: `TransactWriteItems actions (an order of ${options.maxOrderLines} lines)`,
    quotaId: 'dynamodb.transactWriteItems',
    fixed: options.maxOrderLines + 1,
    perOrder: 0,
    path: 'order',
    note: 'per transaction, not per second: the reservation and one stock update per line',
  });
  return demands;
}

/** The rate at which a demand reaches `quota` (Infinity: never; 0: already over at any rate). */
export function ordersPerSecondAt(demand: Pick<Demand, 'fixed' | 'perOrder'>, quota: number | null): number {
  if (quota === null) return Infinity;
  if (demand.fixed > quota) return 0;
  if (demand.perOrder === 0) return Infinity;
  return (quota - demand.fixed) / demand.perOrder;
}

/** Each demand at `ordersPerSecond`, against the quotas of `region`. */
export function evaluate(demands: Demand[], quotas: Quotas, region: string, ordersPerSecond: number): Row[] {
  return demands.map((demand) => {
    const quota = quotaValue(quotas, demand.quotaId, region);
    const load = demand.fixed + demand.perOrder * ordersPerSecond;
    const info = quotas.quotas[demand.quotaId]!;
    return {
      ...demand,
      load,
      quota,
      headroom: quota === null ? null : quota - load,
      used: quota === null || quota === 0 ? null : load / quota,
      maxOrdersPerSecond: ordersPerSecondAt(demand, quota),
      adjustable: info.adjustable,
      verified: info.verified,
    };
  });
}

/** The quota reached first as the rate grows (the lowest ceiling), among `rows` that pass `filter`. */
export function firstLimit(rows: Row[], filter: (row: Row) => boolean = () => true): Row | undefined {
  return rows.filter(filter).reduce<Row | undefined>((first, row) => (first === undefined || row.maxOrdersPerSecond < first.maxOrdersPerSecond ? row : first), undefined);
}

/** The highest rate every quota (among `rows` that pass `filter`) sustains. */
export function maxSustainable(rows: Row[], filter: (row: Row) => boolean = () => true): number {
  return firstLimit(rows, filter)?.maxOrdersPerSecond ?? Infinity;
}

export interface Increase {
  row: Row;
  /** The quota `target` needs (rounded up); undefined when it cannot be raised. */
  needed?: number;
}

/** The quotas `target` orders/s exceeds, with the value each must be raised to (or a redesign when it cannot be). */
export function increasesFor(demands: Demand[], quotas: Quotas, region: string, target: number): Increase[] {
  return evaluate(demands, quotas, region, target)
    .filter((row) => row.quota !== null && row.load > row.quota)
    .sort((a, b) => a.maxOrdersPerSecond - b.maxOrdersPerSecond)
    .map((row) => (row.adjustable ? { row, needed: Math.ceil(row.load) } : { row }));
}
