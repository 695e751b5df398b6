import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { GetQueueAttributesCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { FaultsConfig } from '../../../shared/src/lambda/fault-injection';
import { checkInvariants, type CheckOptions, type Report, type Snapshot } from '../../../ops/src/invariant-checks';
import { readSnapshot } from '../../../ops/src/snapshot';
import { sleep, type E2eContext } from './context';

export { mapLimit } from '../../../tools/local-stack/src/client/map-limit';

/**
 * What the guarantee tests (concurrency, chaos, DLQ redrive, bad input) share beyond the context:
 * the stack's faults file, an HTTP client that retries like a careful client, and the invariant
 * checker of `npm run check:invariants` (ops/), reading the stack's tables directly.
 */

/** Turns fault injection on for the whole stack (every function reads the file at each invocation). */
export function setFaults(s: E2eContext, config: FaultsConfig): void {
  mkdirSync(s.dataDir, { recursive: true });
  const temp = `${s.faultsFile}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(config, null, 2));
  // Atomic: a function never reads half a file.
  renameSync(temp, s.faultsFile);
}

export function clearFaults(s: E2eContext): void {
  rmSync(s.faultsFile, { force: true });
}

export interface HttpAnswer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export async function http<T = Record<string, unknown>>(
  method: string,
  url: string,
  options: { headers?: Record<string, string>; body?: string | undefined } = {},
): Promise<HttpAnswer<T>> {
  const response = await fetch(url, { method, headers: options.headers ?? {}, ...(options.body !== undefined ? { body: options.body } : {}) });
  const text = await response.text();
  let body: unknown = {};
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    body = { raw: text };
  }
  return { status: response.status, headers: response.headers, body: body as T, text };
}

export interface OrderInput {
  customerId: string;
  email: string;
  items: Array<{ sku: string; quantity: number }>;
  paymentToken: string;
}

export interface PlaceOutcome {
  orderId: string;
  /** POSTs it took (1 = first try); every retry carried the same Idempotency-Key. */
  attempts: number;
  replayed: boolean;
  /** Answered 202: stored, its saga started later by the orders stream (StartExecution throttled). */
  accepted?: boolean;
}

/**
 * POST /orders as a careful client does: with an Idempotency-Key, retried on 5xx and network
 * errors until it gets its 201 (or 202: stored, processing deferred), so that a lost reply never
 * loses (or duplicates) the order.
 */
export async function placeOrder(s: E2eContext, order: OrderInput, idempotencyKey: string, maxAttempts = 20): Promise<PlaceOutcome> {
  const headers = { ...(await s.credentials.customer(order.customerId)), 'content-type': 'application/json', 'idempotency-key': idempotencyKey };
  let last = '';
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    try {
      const answer = await http<{ orderId: string }>('POST', `${s.endpoints.orderApi}/orders`, { headers, body: JSON.stringify(order) });
      if (answer.status === 201 || answer.status === 202) {
        const replayed = answer.headers.get('idempotent-replayed') === 'true';
        return { orderId: answer.body.orderId, attempts: attempt, replayed, ...(answer.status === 202 ? { accepted: true } : {}) };
      }
      // serverless-offline answers a function that ran out of time with 200 and Lambda's error
      // body (AWS: a 5xx): the reply was lost, not refused; retry like any 5xx.
      const lostReply = answer.status === 200 && typeof (answer.body as { errorMessage?: unknown }).errorMessage === 'string';
      if (answer.status < 500 && !lostReply) throw new Error(`POST /orders answered ${answer.status}: ${answer.text.slice(0, 300)}`);
      last = `${answer.status} ${answer.text.slice(0, 200)}`;
    } catch (error) {
      if ((error as Error).message.startsWith('POST /orders answered')) throw error;
      last = (error as Error).message;
    }
    await sleep(Math.min(2_000, 100 * 2 ** attempt) * Math.random());
  }
  throw new Error(`POST /orders did not succeed in ${maxAttempts} attempts: ${last}`);
}


export async function putStock(s: E2eContext, sku: string, stock: { price: number; currency: string; available: number }): Promise<void> {
  const answer = await http('PUT', `${s.endpoints.inventoryApi}/inventory/${encodeURIComponent(sku)}`, {
    headers: { ...(await s.credentials.admin()), 'content-type': 'application/json' },
    body: JSON.stringify(stock),
  });
  if (answer.status !== 200 && answer.status !== 201) throw new Error(`PUT /inventory/${sku} answered ${answer.status}: ${answer.text}`);
}

export async function snapshot(s: E2eContext): Promise<Snapshot> {
  return readSnapshot(s.target);
}

export async function invariants(s: E2eContext, options: CheckOptions): Promise<Report> {
  return checkInvariants(await snapshot(s), options);
}

/** Sets a queue attribute for the test and gives back a function that restores it. */
export async function withQueueAttribute(s: E2eContext, queueName: string, name: 'VisibilityTimeout', value: string): Promise<() => Promise<void>> {
  const queueUrl = `${s.endpoints.sqs}/${s.endpoints.accountId}/${queueName}`;
  const { Attributes } = await s.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: [name] }));
  const original = Attributes?.[name];
  await s.sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { [name]: value } }));
  return async () => {
    if (original !== undefined) await s.sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { [name]: original } }));
  };
}

export async function queueDepth(s: E2eContext, queueName: string): Promise<{ visible: number; inFlight: number }> {
  const queueUrl = `${s.endpoints.sqs}/${s.endpoints.accountId}/${queueName}`;
  const { Attributes = {} } = await s.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  return { visible: Number(Attributes.ApproximateNumberOfMessages ?? 0), inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) };
}
