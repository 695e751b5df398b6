import { totalUnits, type ItemSizes } from './dynamodb';
import { functionOf, STEP_EFFECTS, STEP_OPERATIONS, type StepKey } from './operations';
import type { Prices } from './prices';
import { walkSaga, type Outcome, type SagaDefinition } from './saga';

/**
 * The cost model (pure): counts per order of one path -> USD per order, by AWS service, for a
 * Standard or an Express saga. `npm run cost` feeds it the counts of a local run.
 */

export type WorkflowType = 'STANDARD' | 'EXPRESS';

/** What one order of a path consumed. */
export interface PathCounts {
  path: string;
  description: string;
  /** observed: counted in a run of the local stack; derived: from the definition and the code only. */
  source: 'observed' | 'derived';
  stateTransitions: number;
  retries: number;
  statesEntered: string[];
  executionDurationMs: number;
  /** Bytes the execution's history would log at level ALL without execution data (EXPRESS with history). */
  historyLogBytes: number;
  invocations: InvocationCount[];
  snsPublishes: number;
  sqsRequests: number;
  dynamodb: { wru: number; rru: number };
  httpRequests: number;
  emails: number;
  steps: StepKey[];
  notes: string[];
}

export interface InvocationCount {
  /** `service.function` */
  fn: string;
  count: number;
  /** Mean duration per invocation, ms (billed per 1 ms, rounded up). */
  durationMs: number;
  memoryMb: number;
  architecture: 'arm64' | 'x86_64';
}

export const COST_SERVICES = ['API Gateway', 'Lambda requests', 'Lambda duration', 'Step Functions', 'DynamoDB', 'SNS', 'SQS', 'SES', 'CloudWatch Logs'] as const;
export type CostService = (typeof COST_SERVICES)[number];
export type Breakdown = Record<CostService, number>;

export interface CostOptions {
  workflow: WorkflowType;
  /** EXPRESS only: log every execution at level ALL (no execution data), the history ops need. */
  expressHistoryLogs?: boolean;
}

const zero = (): Breakdown => Object.fromEntries(COST_SERVICES.map((s) => [s, 0])) as Breakdown;

export function lambdaCost(invocations: InvocationCount[], prices: Prices): { requests: number; duration: number } {
  let requests = 0;
  let duration = 0;
  for (const inv of invocations) {
    requests += (inv.count * prices.lambda.requestsPerMillion) / 1e6;
    const granularity = prices.lambda.billingGranularityMs || 1;
    const billedMs = Math.ceil(inv.durationMs / granularity) * granularity;
    duration += inv.count * (billedMs / 1000) * (inv.memoryMb / 1024) * prices.lambda.gbSecond[inv.architecture];
  }
  return { requests, duration };
}

/** Express: one request per execution plus duration (rounded up to 100 ms) x billed memory (64 MB chunks). */
export function expressExecutionCost(durationMs: number, prices: Prices, memoryMb = prices.stepFunctions.express.baseMemoryMb): number {
  const e = prices.stepFunctions.express;
  const billedMs = Math.max(e.durationGranularityMs, Math.ceil(durationMs / e.durationGranularityMs) * e.durationGranularityMs);
  const billedMb = Math.ceil(memoryMb / e.memoryChunkMb) * e.memoryChunkMb;
  return e.requestsPerMillion / 1e6 + (billedMs / 1000) * (billedMb / 1024) * e.gbSecond;
}

export function standardExecutionCost(transitions: number, prices: Prices): number {
  return (transitions * prices.stepFunctions.standard.perThousandTransitions) / 1000;
}

/** USD per order of this path, by service. */
export function costPerOrder(counts: PathCounts, prices: Prices, options: CostOptions): Breakdown {
  const b = zero();
  b['API Gateway'] = (counts.httpRequests * prices.apiGateway.httpRequestsPerMillion) / 1e6;
  const lambda = lambdaCost(counts.invocations, prices);
  b['Lambda requests'] = lambda.requests;
  b['Lambda duration'] = lambda.duration;
  b['Step Functions'] =
    options.workflow === 'STANDARD' ? standardExecutionCost(counts.stateTransitions, prices) : expressExecutionCost(counts.executionDurationMs, prices);
  b.DynamoDB = (counts.dynamodb.wru * prices.dynamodb.writeRequestUnitsPerMillion + counts.dynamodb.rru * prices.dynamodb.readRequestUnitsPerMillion) / 1e6;
  b.SNS = (counts.snsPublishes * prices.sns.publishesPerMillion) / 1e6;
  b.SQS = (counts.sqsRequests * prices.sqs.requestsPerMillion) / 1e6;
  b.SES = (counts.emails * prices.ses.emailsPerThousand) / 1000;
  if (options.workflow === 'EXPRESS' && options.expressHistoryLogs) {
    b['CloudWatch Logs'] = (counts.historyLogBytes / 2 ** 30) * prices.cloudWatchLogs.ingestionPerGb;
  }
  return b;
}

export const total = (b: Breakdown) => COST_SERVICES.reduce((sum, s) => sum + b[s], 0);
export const perMillion = (b: Breakdown): Breakdown => Object.fromEntries(COST_SERVICES.map((s) => [s, b[s] * 1e6])) as Breakdown;

// ---- Paths ---------------------------------------------------------------------------------

export interface SagaPath {
  name: string;
  description: string;
  /** Task outcomes per state (attempts in order); absent = succeeds. */
  outcomes: Record<string, Outcome[]>;
  /** How the local run provokes it, if it can. */
  local?: { sku: 'in-stock' | 'sold-out'; paymentToken: string };
}

export const PATHS: SagaPath[] = [
  { name: 'happy', description: 'reserved, paid, shipped, confirmed', outcomes: {}, local: { sku: 'in-stock', paymentToken: 'tok_visa' } },
  { name: 'out-of-stock', description: 'nothing reserved; order failed', outcomes: { ReserveInventory: ['OutOfStock'] }, local: { sku: 'sold-out', paymentToken: 'tok_visa' } },
  {
    name: 'payment-declined',
    description: 'card declined; stock released',
    outcomes: { ProcessPayment: ['PaymentDeclined'] },
    local: { sku: 'in-stock', paymentToken: 'tok_decline' },
  },
  {
    name: 'payment-unavailable',
    description: 'provider down through every retry; refund (nothing), release',
    outcomes: { ProcessPayment: Array<Outcome>(9).fill('TransientError') }, // 1 + MaxAttempts 8
    local: { sku: 'in-stock', paymentToken: 'tok_error' },
  },
  {
    name: 'shipping-failed',
    description: 'shipment fails; refund, release',
    outcomes: { ShipOrder: ['ShippingFailed'] },
  },
];

/** Which code outcome a Task attempt is, given what the saga did before it. */
export function stepOfAttempt(state: string, outcome: Outcome, history: { reserved: boolean; captured: boolean }): StepKey {
  if (state === 'ReserveInventory') return outcome === 'ok' ? 'inventory.reserve:reserved' : 'inventory.reserve:out-of-stock';
  if (state === 'ProcessPayment') {
    if (outcome === 'ok') return 'payment.charge:captured';
    return outcome === 'PaymentDeclined' ? 'payment.charge:declined' : 'payment.charge:unavailable';
  }
  if (state === 'ShipOrder') return outcome === 'ok' ? 'inventory.ship:shipped' : 'inventory.ship:failed';
  if (state === 'ConfirmOrder') return 'order.confirmOrder:confirmed';
  if (state === 'MarkOrderFailed') return 'order.markOrderFailed:failed';
  if (state.startsWith('ReleaseInventory')) return history.reserved ? 'inventory.release:released' : 'inventory.release:nothing-reserved';
  if (state.startsWith('RefundPayment')) return history.captured ? 'payment.refund:refunded' : 'payment.refund:nothing-to-refund';
  throw new Error(`no step outcome for state ${state}`);
}

/**
 * Every invocation an order of `path` makes, in order: the catalogue lookup and the POST, the
 * saga's attempts, and the outbox fan-out. The lookup is counted once per order, as for a POST whose
 * container has not cached its SKUs (known SKUs are cached for knownSkuCacheSeconds): the upper bound.
 */
export function stepsOf(path: SagaPath, definition: SagaDefinition): { steps: StepKey[]; run: ReturnType<typeof walkSaga> } {
  const run = walkSaga(definition, path.outcomes);
  const steps: StepKey[] = ['inventory.lookupSkus:checked', 'order.createOrder:created'];
  const history = { reserved: false, captured: false };
  for (const task of run.tasks) {
    for (const outcome of task.outcomes) {
      const step = stepOfAttempt(task.state, outcome, history);
      steps.push(step);
      if (step === 'inventory.reserve:reserved') history.reserved = true;
      if (step === 'payment.charge:captured') history.captured = true;
    }
  }
  // The outbox: each write's stream record is a publish invocation; each notifiable event a consume.
  const fanOut: StepKey[] = [];
  for (const step of steps) {
    for (const record of STEP_EFFECTS[step].streamRecords) {
      fanOut.push(record);
      for (let i = 0; i < STEP_EFFECTS[record].notifications; i++) fanOut.push('notification.consume:sent');
    }
  }
  return { steps: [...steps, ...fanOut], run };
}

export interface DeriveOptions {
  sizes: ItemSizes;
  /** Mean duration per function, ms (observed, or assumed). */
  durations: Record<string, number>;
  memory: Record<string, { memoryMb: number; architecture: 'arm64' | 'x86_64' }>;
  executionDurationMs: number;
  historyLogBytesPerState: number;
  /** SQS messages per ReceiveMessage/DeleteMessageBatch (1 at low traffic, up to the batch size of 10 under load). */
  sqsMessagesPerBatch: number;
}

/** Counts of one order of `path` from the definition and the code's tables alone. */
export function derivePathCounts(path: SagaPath, definition: SagaDefinition, options: DeriveOptions): PathCounts {
  const { steps, run } = stepsOf(path, definition);
  const byFunction = new Map<string, number>();
  for (const step of steps) byFunction.set(functionOf(step), (byFunction.get(functionOf(step)) ?? 0) + 1);
  const invocations: InvocationCount[] = [...byFunction].map(([fn, count]) => {
    const duration = options.durations[fn];
    if (duration === undefined) throw new Error(`no duration for ${fn}`);
    const memory = options.memory[fn] ?? { memoryMb: 256, architecture: 'arm64' as const };
    return { fn, count, durationMs: duration, ...memory };
  });
  const snsPublishes = steps.reduce((sum, step) => sum + STEP_EFFECTS[step].snsPublishes, 0);
  const messages = steps.filter((step) => step === 'notification.consume:sent').length;
  const ops = steps.flatMap((step) => STEP_OPERATIONS[step]);
  return {
    path: path.name,
    description: path.description,
    source: 'derived',
    stateTransitions: run.billableTransitions,
    retries: run.retries,
    statesEntered: run.statesEntered,
    executionDurationMs: options.executionDurationMs,
    historyLogBytes: run.statesEntered.length * options.historyLogBytesPerState,
    invocations,
    snsPublishes,
    sqsRequests: sqsRequestsFor(messages, options.sqsMessagesPerBatch),
    dynamodb: totalUnits(ops, options.sizes),
    httpRequests: 1,
    emails: messages,
    steps,
    notes: [],
  };
}

/** Each message: the SendMessage of its SNS delivery, plus its share of a ReceiveMessage and a DeleteMessageBatch. */
export function sqsRequestsFor(messages: number, messagesPerBatch: number): number {
  return messages + (2 * messages) / Math.max(1, messagesPerBatch);
}

export { type Outcome };
