import { randomUUID } from 'node:crypto';
import { existsSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import path from 'node:path';
import { DynamoDBClient, GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient, SubscribeCommand, UnsubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageBatchCommand, DeleteQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { mintToken } from '../../../devauth/src';
import { executionHistory } from '../../../local-stack/src/client/saga-path';
import type { StackEndpoints } from '../../../local-stack/src/endpoints';
import { itemSize, totalUnits, type ItemSizes } from './dynamodb';
import { countHistory, historyLogBytes } from './history';
import { DEFAULT_ITEM_SIZES, functionOf, STEP_OPERATIONS } from './operations';
import { PATHS, sqsRequestsFor, stepsOf, type InvocationCount, type PathCounts, type SagaPath } from './model';
import { functionOfResource, type SagaDefinition } from './saga';

/**
 * The local run behind the cost model: one order per path through the running local stack, one at
 * a time, and what it consumed, counted from the stack itself:
 * - state transitions, retries and execution time from GetExecutionHistory;
 * - invocations and durations of every function from serverless-offline's `Duration:` lines in
 *   .local/logs/<service>.log written while that order ran (GET requests excluded);
 * - SNS publishes from a tap queue subscribed, without filter, to both event topics;
 * - notifications (SQS messages, e-mails on AWS stages) from the notifications table;
 * - DynamoDB units from the code's per-step requests (operations.ts) and the sizes of the items
 *   this order actually wrote.
 * The stack must not serve other traffic meanwhile: invocations are attributed by time window.
 */

const REGION = 'eu-west-1';
const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const STAGE = 'local';
const IN_STOCK_SKU = 'COST-MODEL-MUG';
const SOLD_OUT_SKU = 'COST-MODEL-SOLD-OUT';
/** The functions an order runs (GET handlers and the sweeper are not part of an order's cost). */
const ORDER_FUNCTIONS = new Set([
  'inventory.lookupSkus',
  'order.createOrder',
  'order.publish',
  'order.confirmOrder',
  'order.markOrderFailed',
  'inventory.reserve',
  'inventory.ship',
  'inventory.release',
  'payment.charge',
  'payment.refund',
  'payment.publish',
  'notification.consume',
]);

export interface ObserveOptions {
  endpoints: StackEndpoints;
  logsDir: string;
  definition: SagaDefinition;
  memory: Record<string, { memoryMb: number; architecture: 'arm64' | 'x86_64' }>;
  paths?: SagaPath[];
  log: (line: string) => void;
}

export interface ObservedRun {
  paths: PathCounts[];
  sizes: ItemSizes;
  /** Mean duration per function over every observed invocation (for the paths the run cannot provoke). */
  durations: Record<string, number>;
  executionDurationMs: number;
  historyLogBytesPerState: number;
}

interface LogMark {
  file: string;
  service: string;
  offset: number;
}

function mark(logsDir: string): LogMark[] {
  return ['order', 'inventory', 'payment', 'notification'].map((service) => {
    const file = path.join(logsDir, `${service}.log`);
    return { file, service, offset: existsSync(file) ? statSync(file).size : 0 };
  });
}

function readSince(m: LogMark): string {
  if (!existsSync(m.file)) return '';
  const size = statSync(m.file).size;
  if (size <= m.offset) return '';
  const fd = openSync(m.file, 'r');
  try {
    const buffer = Buffer.alloc(size - m.offset);
    readSync(fd, buffer, 0, buffer.length, m.offset);
    return buffer.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * Invocations in a serverless-offline log: `(λ: publish) RequestId: …  Duration: 63.27 ms` for one
 * that returned, `× Unhandled Lambda Error during invoke of 'inventory-local-reserve': …` for one
 * that threw (no duration printed: NaN, filled in from the execution history).
 */
export function invocationsInLog(service: string, text: string): Array<{ fn: string; durationMs: number }> {
  const found: Array<{ fn: string; durationMs: number }> = [];
  const pattern = new RegExp(`\\(λ: ([A-Za-z0-9_-]+)\\) RequestId: \\S+\\s+Duration: ([\\d.]+) ms|Unhandled Lambda Error during invoke of '${service}-[A-Za-z0-9]+-([A-Za-z0-9_]+)'`, 'g');
  for (const match of text.matchAll(pattern)) {
    if (match[1]) found.push({ fn: `${service}.${match[1]}`, durationMs: Number(match[2]) });
    else found.push({ fn: `${service}.${match[3]}`, durationMs: Number.NaN });
  }
  return found;
}

const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Invocation = { fn: string; durationMs: number };
type Item = Record<string, unknown>;

/** The stack's clients and the reads the run makes of its tables. */
interface Stack {
  ddb: DynamoDBClient;
  sfn: SFNClient;
  sns: SNSClient;
  sqs: SQSClient;
  getItem(table: string, key: Record<string, string>): Promise<Item | undefined>;
  notificationsOf(orderId: string): Promise<Item[]>;
  close(): void;
}

function openStack(endpoints: StackEndpoints): Stack {
  const config = (endpoint: string) => ({ endpoint, region: REGION, credentials: CREDENTIALS });
  const ddb = new DynamoDBClient(config(endpoints.dynamodb));
  const sfn = new SFNClient(config(endpoints.stepFunctions));
  const sns = new SNSClient(config(endpoints.sns));
  const sqs = new SQSClient(config(endpoints.sqs));
  return {
    ddb,
    sfn,
    sns,
    sqs,
    getItem: async (table, key) => {
      const { Item } = await ddb.send(
        new GetItemCommand({ TableName: table, Key: Object.fromEntries(Object.entries(key).map(([k, v]) => [k, { S: v }])), ConsistentRead: true }),
      );
      return Item ? (unmarshall(Item) as Item) : undefined;
    },
    notificationsOf: async (orderId) => {
      const { Items } = await ddb.send(
        new QueryCommand({
          TableName: `notification-${STAGE}-notifications`,
          KeyConditionExpression: 'orderId = :o',
          ExpressionAttributeValues: { ':o': { S: orderId } },
        }),
      );
      return (Items ?? []).map((item) => unmarshall(item) as Item);
    },
    close: () => {
      for (const client of [ddb, sfn, sns, sqs]) client.destroy();
    },
  };
}

async function http(method: string, url: string, auth: string, body?: unknown, headers: Record<string, string> = {}): Promise<Item> {
  const response = await fetch(url, {
    method,
    headers: { authorization: auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${text.slice(0, 300)}`);
  return text ? (JSON.parse(text) as Item) : {};
}

/** The tap: a queue subscribed, unfiltered, to both event topics; `drain` adds what arrived to `events`. */
interface Tap {
  events: Array<{ eventType: string; orderId: string }>;
  drain(): Promise<void>;
  close(): Promise<void>;
}

async function openTap(stack: Stack, accountId: string): Promise<Tap> {
  const { sqs, sns } = stack;
  const queueName = `cost-tap-${process.pid}-${Date.now()}`;
  const { QueueUrl: tapUrl } = await sqs.send(new CreateQueueCommand({ QueueName: queueName }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: tapUrl, AttributeNames: ['QueueArn'] }));
  const subscriptions: string[] = [];
  const events: Tap['events'] = [];
  const close = async () => {
    for (const arn of subscriptions) await sns.send(new UnsubscribeCommand({ SubscriptionArn: arn })).catch(() => undefined);
    await sqs.send(new DeleteQueueCommand({ QueueUrl: tapUrl })).catch(() => undefined);
  };
  try {
    for (const topic of ['order', 'payment']) {
      const { SubscriptionArn } = await sns.send(
        new SubscribeCommand({
          TopicArn: `arn:aws:sns:${REGION}:${accountId}:${topic}-${STAGE}-events`,
          Protocol: 'sqs',
          Endpoint: Attributes!.QueueArn,
          Attributes: { RawMessageDelivery: 'true' },
        }),
      );
      if (SubscriptionArn) subscriptions.push(SubscriptionArn);
    }
  } catch (error) {
    await close();
    throw error;
  }
  const drain = async () => {
    for (;;) {
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: tapUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
      if (!Messages || Messages.length === 0) return;
      for (const message of Messages) events.push(tappedEvent(message.Body));
      await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: tapUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
    }
  };
  return { events, drain, close };
}

function tappedEvent(text: string | undefined): { eventType: string; orderId: string } {
  try {
    const body = JSON.parse(text ?? '{}') as { eventType?: string; data?: { orderId?: string }; Message?: string };
    const event = body.eventType ? body : (JSON.parse(body.Message ?? '{}') as typeof body);
    return { eventType: event.eventType ?? '?', orderId: event.data?.orderId ?? '?' };
  } catch {
    return { eventType: '?', orderId: '?' };
  }
}

/** Polls DescribeExecution until the saga ended (90 s at most). */
async function waitForSaga(sfn: SFNClient, executionArn: string, what: string): Promise<void> {
  const deadline = Date.now() + 90_000;
  let status = 'RUNNING';
  while (Date.now() < deadline) {
    try {
      status = (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status ?? 'RUNNING';
    } catch {
      status = 'RUNNING'; // not started yet
    }
    if (status !== 'RUNNING') break;
    await sleep(200);
  }
  if (status === 'RUNNING') throw new Error(`the saga of ${what} did not finish within 90 s`);
}

/** Quiet: the expected notifications exist and no function has logged for 2 s (60 s at most). */
async function waitUntilQuiet(marks: LogMark[], stack: Stack, orderId: string, expectedNotifications: number): Promise<void> {
  let lastLength = -1;
  let quietSince = Date.now();
  const settleDeadline = Date.now() + 60_000;
  while (Date.now() < settleDeadline) {
    const length = marks.reduce((sum, m) => sum + readSince(m).length, 0);
    if (length !== lastLength) {
      lastLength = length;
      quietSince = Date.now();
    }
    const sent = (await stack.notificationsOf(orderId)).filter((n) => n.status === 'SENT').length;
    if (sent >= expectedNotifications && Date.now() - quietSince > 2000) break;
    await sleep(300);
  }
}

/** A failed invocation prints no duration: take its attempt's time from the history. */
function fillFailedDurations(invocations: Invocation[], history: ReturnType<typeof countHistory>, definition: SagaDefinition): void {
  const failedAttempts = new Map<string, number[]>();
  for (const attempt of history.attempts) {
    const resource = definition.States[attempt.state]?.Resource;
    if (!resource) continue;
    const fn = functionOfResource(resource);
    // Retries come before the attempt that ends the state: the failed ones are the first.
    failedAttempts.set(fn, [...(failedAttempts.get(fn) ?? []), ...attempt.durationsMs.slice(0, attempt.failed)]);
  }
  for (const inv of invocations) {
    if (!Number.isNaN(inv.durationMs)) continue;
    inv.durationMs = failedAttempts.get(inv.fn)?.shift() ?? Number.NaN;
  }
}

/** Item sizes from what the happy path's order wrote. */
async function measureItemSizes(stack: Stack, orderId: string, final: Item | undefined, notifications: Item[], sizes: ItemSizes): Promise<void> {
  const reservation = await stack.getItem(`inventory-${STAGE}-reservations`, { orderId });
  const payment = await stack.getItem(`payment-${STAGE}-payments`, { orderId });
  if (final) {
    sizes['order.final'] = itemSize(final);
    sizes['order.key'] = itemSize({ orderId: final.orderId, customerId: final.customerId, createdAt: final.createdAt }) + 100;
  }
  if (reservation) {
    sizes.reservation = itemSize(reservation);
    // The sweep index's entry (written at reserve): the table key, statusShard and createdAt, plus ~100 bytes.
    sizes['reservation.key'] = itemSize({ orderId: reservation.orderId, statusShard: 'RESERVED#63', createdAt: reservation.createdAt }) + 100;
  }
  const stock = await stack.getItem(`inventory-${STAGE}-stock`, { sku: IN_STOCK_SKU });
  if (stock) {
    sizes.stock = itemSize(stock);
    sizes['stock.projection'] = itemSize({ sku: stock.sku, price: stock.price, currency: stock.currency });
  }
  if (payment) sizes.payment = itemSize(payment);
  const sent = notifications.find((n) => n.status === 'SENT');
  if (sent) {
    sizes['notification.sent'] = itemSize(sent);
    const { sentAt: _s, providerMessageId: _p, ...claim } = sent;
    sizes.notification = itemSize({ ...claim, status: 'SENDING' });
  }
}

const groupDurations = (invocations: Invocation[]) => {
  const byFunction = new Map<string, number[]>();
  for (const inv of invocations) byFunction.set(inv.fn, [...(byFunction.get(inv.fn) ?? []), inv.durationMs]);
  return byFunction;
};

const PUBLISHED_EVENTS = [':OrderPlaced', ':OrderConfirmed', ':OrderFailed', ':PaymentCaptured', ':PaymentRefunded'];

/** Checks against what the definition and the code say this path does. */
function differences(
  expected: ReturnType<typeof stepsOf>,
  byFunction: Map<string, number[]>,
  published: Array<{ eventType: string }>,
  history: ReturnType<typeof countHistory>,
  lookupCached: boolean,
): string[] {
  const notes: string[] = [];
  if (lookupCached) notes.push('inventory.lookupSkus: the SKU was in the order API\'s cache; counted once, with the last lookup\'s duration (the upper bound)');
  const expectedByFunction = new Map<string, number>();
  for (const step of expected.steps) expectedByFunction.set(functionOf(step), (expectedByFunction.get(functionOf(step)) ?? 0) + 1);
  for (const fn of new Set([...expectedByFunction.keys(), ...byFunction.keys()])) {
    const want = expectedByFunction.get(fn) ?? 0;
    const got = byFunction.get(fn)?.length ?? 0;
    if (want !== got) notes.push(`${fn}: ${got} invocation(s) seen, ${want} expected from the definition and the code`);
  }
  const expectedPublishes = expected.steps.reduce((sum, s) => sum + (PUBLISHED_EVENTS.some((event) => s.endsWith(event)) ? 1 : 0), 0);
  if (published.length !== expectedPublishes) notes.push(`SNS: ${published.length} publish(es) seen (${published.map((p) => p.eventType).join(', ')}), ${expectedPublishes} expected`);
  if (history.billableTransitions !== expected.run.billableTransitions) {
    notes.push(`transitions: ${history.billableTransitions} seen, ${expected.run.billableTransitions} from the definition`);
  }
  return notes;
}

/** What the run keeps across paths. */
interface RunState {
  sizes: ItemSizes;
  allInvocations: Invocation[];
  historyBytes: number;
  historyStates: number;
  happyExecutionMs: number;
}

interface PathContext {
  options: ObserveOptions;
  stack: Stack;
  tap: Tap;
  customer: { id: string; auth: string };
  run: RunState;
}

/** One order down one path, and what it consumed. */
async function observePath(sagaPath: SagaPath, ctx: PathContext): Promise<PathCounts> {
  const { options, stack, tap, customer, run } = ctx;
  const { endpoints, log } = options;
  const local = sagaPath.local!;
  const expected = stepsOf(sagaPath, options.definition);
  const expectedNotifications = expected.steps.filter((s) => s === 'notification.consume:sent').length;
  log(`  ${sagaPath.name}: placing one order (${local.paymentToken}, ${local.sku})…`);
  await sleep(1500); // let the previous order's stragglers land before the window opens
  const marks = mark(options.logsDir);
  tap.events.length = 0;
  const placed = await http(
    'POST',
    `${endpoints.orderApi}/orders`,
    customer.auth,
    {
      customerId: customer.id,
      email: `${customer.id}@example.com`,
      items: [{ sku: local.sku === 'in-stock' ? IN_STOCK_SKU : SOLD_OUT_SKU, quantity: 1 }],
      paymentToken: local.paymentToken,
    },
    { 'idempotency-key': randomUUID() },
  );
  const orderId = String(placed.orderId);
  const ordersTable = `order-${STAGE}-orders`;
  const pending = await stack.getItem(ordersTable, { orderId });
  if (pending?.status === 'PENDING' && sagaPath.name === 'happy') run.sizes['order.pending'] = itemSize(pending);

  const executionArn = `arn:aws:states:${REGION}:${endpoints.accountId}:execution:order-${STAGE}-saga:${orderId}`;
  await waitForSaga(stack.sfn, executionArn, `${orderId} (${sagaPath.name})`);
  await waitUntilQuiet(marks, stack, orderId, expectedNotifications);

  const invocations = marks.flatMap((m) => invocationsInLog(m.service, readSince(m))).filter((i) => ORDER_FUNCTIONS.has(i.fn));
  const events = await executionHistory(stack.sfn, executionArn);
  const history = countHistory(events as never);
  fillFailedDurations(invocations, history, options.definition);
  run.allInvocations.push(...invocations.filter((i) => !Number.isNaN(i.durationMs)));
  const logBytes = historyLogBytes(events as never, executionArn);
  run.historyBytes += logBytes;
  run.historyStates += history.statesEntered.length;
  await tap.drain();
  const published = tap.events.filter((t) => t.orderId === orderId);
  const notifications = await stack.notificationsOf(orderId);

  const final = await stack.getItem(ordersTable, { orderId });
  if (sagaPath.name === 'happy') {
    run.happyExecutionMs = history.executionDurationMs;
    await measureItemSizes(stack, orderId, final, notifications, run.sizes);
  }

  // The order API caches known SKUs per container, so an order after the first may not invoke the
  // lookup; it is counted once per order all the same (the upper bound, as stepsOf counts it).
  const lookupCached = !invocations.some((i) => i.fn === 'inventory.lookupSkus');
  if (lookupCached) {
    const seen = run.allInvocations.filter((i) => i.fn === 'inventory.lookupSkus');
    invocations.push({ fn: 'inventory.lookupSkus', durationMs: seen.at(-1)?.durationMs ?? Number.NaN });
  }
  const byFunction = groupDurations(invocations);
  const invocationCounts: InvocationCount[] = [...byFunction].map(([fn, all]) => ({
    fn,
    count: all.length,
    durationMs: mean(all.filter((d) => !Number.isNaN(d))) ?? 0,
    ...(options.memory[fn] ?? { memoryMb: 256, architecture: 'arm64' as const }),
  }));

  const notes = differences(expected, byFunction, published, history, lookupCached);
  const messages = notifications.length;
  log(
    `    ${orderId} ${final?.status ?? '?'}: ${history.billableTransitions} transitions, ${invocations.length} invocations, ${published.length} SNS publishes, ${messages} notification(s)` +
      (notes.length ? `; differs: ${notes.join('; ')}` : ''),
  );
  return {
    path: sagaPath.name,
    description: sagaPath.description,
    source: 'observed',
    stateTransitions: history.billableTransitions,
    retries: history.retries,
    statesEntered: history.statesEntered,
    executionDurationMs: history.executionDurationMs,
    historyLogBytes: logBytes,
    invocations: invocationCounts,
    snsPublishes: published.length,
    sqsRequests: sqsRequestsFor(messages, 1),
    dynamodb: { wru: 0, rru: 0 }, // set by observePaths, once every size is known
    httpRequests: 1,
    emails: notifications.filter((n) => n.status === 'SENT').length,
    steps: expected.steps,
    notes,
  };
}

export async function observePaths(options: ObserveOptions): Promise<ObservedRun> {
  const { endpoints } = options;
  const paths = (options.paths ?? PATHS).filter((p) => p.local);
  const stack = openStack(endpoints);
  const customerId = `cost-${randomUUID().slice(0, 8)}`;
  const customer = { id: customerId, auth: `Bearer ${await mintToken({ customerId })}` };
  const admin = `Bearer ${await mintToken({ customerId: 'cost-admin', admin: true })}`;
  await http('PUT', `${endpoints.inventoryApi}/inventory/${IN_STOCK_SKU}`, admin, { price: 1250, currency: 'EUR', available: 1_000_000 });
  await http('PUT', `${endpoints.inventoryApi}/inventory/${SOLD_OUT_SKU}`, admin, { price: 990, currency: 'EUR', available: 0 });

  const run: RunState = { sizes: { ...DEFAULT_ITEM_SIZES }, allInvocations: [], historyBytes: 0, historyStates: 0, happyExecutionMs: 0 };
  const results: PathCounts[] = [];
  let tap: Tap | undefined;
  try {
    tap = await openTap(stack, endpoints.accountId);
    await tap.drain();
    for (const sagaPath of paths) results.push(await observePath(sagaPath, { options, stack, tap, customer, run }));
  } finally {
    await tap?.close();
    stack.close();
  }
  for (const counts of results) counts.dynamodb = totalUnits(counts.steps.flatMap((s) => STEP_OPERATIONS[s]), run.sizes);

  const durations: Record<string, number> = {};
  for (const [fn, list] of groupDurations(run.allInvocations)) durations[fn] = list.reduce((a, b) => a + b, 0) / list.length;
  return {
    paths: results,
    sizes: run.sizes,
    durations,
    executionDurationMs: run.happyExecutionMs,
    historyLogBytesPerState: run.historyStates > 0 ? Math.round(run.historyBytes / run.historyStates) : 0,
  };
}
