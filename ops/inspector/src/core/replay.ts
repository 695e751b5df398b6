import { createHash } from 'node:crypto';
import type { Json } from './events';
import { type ExecutionExport, MASKED_TOKEN, parseObject } from './execution-export';
import type { Timeline } from './timeline';

/**
 * What a replay runs with, decided from an export without I/O: its name and order id, its input,
 * and what it seeds on the local stack (the order record, stock for its SKUs).
 */

/** `ord-1` -> `ord-1`; `ord-1-replay-3` -> `ord-1` (a replay of a replay counts from the original). */
export function replayBaseName(name: string): string {
  return name.replace(/(-replay-\d+)+$/u, '');
}

/** Longest order id the saga's steps accept. */
const MAX_ORDER_ID = 64;

/** `<original>-replay-<n>`, n one past the highest taken. The name is also the replay's order id. */
export function nextReplayName(originalName: string, takenNames: Iterable<string>): string {
  const base = replayBaseName(originalName);
  let highest = 0;
  const pattern = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')}-replay-(\\d+)$`, 'u');
  for (const name of takenNames) {
    const match = pattern.exec(name);
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  const name = `${base}-replay-${highest + 1}`;
  if (name.length > MAX_ORDER_ID) {
    // Ids past the limit keep a recognisable prefix and a digest of the original.
    const digest = createHash('sha256').update(base).digest('hex').slice(0, 8);
    return `${base.slice(0, MAX_ORDER_ID - 20)}-${digest}-replay-${highest + 1}`;
  }
  return name;
}

/** The payment test token that makes the simulated provider answer as the recorded run's did. */
export function tokenForOutcome(timeline: Timeline): { token: string; why: string } {
  const payment = [...timeline.entries].reverse().find((e) => e.name === 'ProcessPayment');
  if (!payment) return { token: 'tok_visa', why: 'ProcessPayment did not run in the original' };
  if (payment.status === 'succeeded') return { token: 'tok_visa', why: 'the original payment was captured' };
  if (payment.error === 'PaymentDeclined') return { token: 'tok_decline', why: 'the original payment was declined' };
  return { token: 'tok_error', why: `the original payment failed (${payment.error ?? payment.status})` };
}

export interface ReplayInput {
  input: Json;
  /** Human-readable notes on what was changed (printed with the replay). */
  notes: string[];
}

/**
 * The original input under the replay's order id, in the key order the order service uses
 * (services/order/src/domain/order.ts sagaInputOf): the order stream starts the same execution
 * from the seeded row, and a second StartExecution of one name is a no-op only with identical input.
 */
export function replayInput(exported: ExecutionExport, orderId: string, originalTimeline: Timeline): ReplayInput {
  const original = parseObject(exported.execution.input);
  if (!original) throw new Error(`the execution ${exported.execution.name} has no JSON object input to replay`);
  const notes: string[] = [`order id ${String(original['orderId'] ?? '?')} -> ${orderId}`];
  let paymentToken = original['paymentToken'];
  if (paymentToken === MASKED_TOKEN) {
    const { token, why } = tokenForOutcome(originalTimeline);
    paymentToken = token;
    notes.push(`payment token masked in the export: ${token} (${why})`);
  }
  const items = Array.isArray(original['items'])
    ? (original['items'] as Json[]).map((item) => ({ sku: item['sku'], quantity: item['quantity'] }))
    : original['items'];
  const { orderId: _id, customerId, email, items: _items, paymentToken: _token, ...rest } = original;
  return { input: { orderId, customerId, email, items, paymentToken, ...rest }, notes };
}

export interface StockSeed {
  sku: string;
  price: number;
  currency: string;
  available: number;
  /** Where the numbers come from. */
  source: string;
}

export interface SeedPlan {
  /** The order row the saga's ConfirmOrder / MarkOrderFailed update (status PENDING). */
  order: Json;
  stock: StockSeed[];
}

/** Price when neither the recorded reservation nor the order record priced a SKU. */
export const DEFAULT_PRICE = { price: 1000, currency: 'EUR' } as const;

/**
 * What the local stack needs for the replay: the order row (from the input) and stock for each
 * SKU, priced as the original reservation or order record priced it; enough for the order, or
 * none when the original ran out of stock (the replay meets the same shortage).
 */
export function seedPlan(exported: ExecutionExport, input: Json, originalTimeline: Timeline, now = new Date()): SeedPlan {
  const at = now.toISOString();
  const order: Json = {
    orderId: input['orderId'],
    customerId: input['customerId'],
    email: input['email'],
    items: input['items'],
    paymentToken: input['paymentToken'],
    status: 'PENDING',
    createdAt: at,
    updatedAt: at,
    requestHash: `replay-of-${exported.execution.name}`,
  };
  const prices = recordedPrices(exported, originalTimeline);
  const outOfStock = originalTimeline.entries.some((e) => e.name === 'ReserveInventory' && e.error === 'OutOfStock');
  const quantities = new Map<string, number>();
  for (const item of (Array.isArray(input['items']) ? input['items'] : []) as Json[]) {
    const sku = String(item['sku']);
    quantities.set(sku, (quantities.get(sku) ?? 0) + Number(item['quantity'] ?? 1));
  }
  const stock = [...quantities].map(([sku, quantity]): StockSeed => {
    const price = prices.get(sku);
    return {
      sku,
      price: price?.price ?? DEFAULT_PRICE.price,
      currency: price?.currency ?? DEFAULT_PRICE.currency,
      available: outOfStock ? 0 : quantity,
      source: `${price ? `price from ${price.source}` : `price assumed (${DEFAULT_PRICE.price} ${DEFAULT_PRICE.currency})`}, ${outOfStock ? 'none available: the original ran out of stock' : `${quantity} available: what the order needs`}`,
    };
  });
  return { order, stock };
}

function recordedPrices(exported: ExecutionExport, timeline: Timeline): Map<string, { price: number; currency: string; source: string }> {
  const prices = new Map<string, { price: number; currency: string; source: string }>();
  const add = (lines: unknown, source: string) => {
    if (!Array.isArray(lines)) return;
    for (const line of lines as Json[]) {
      const sku = line['sku'];
      const unitPrice = line['unitPrice'] ?? line['price'];
      if (typeof sku === 'string' && typeof unitPrice === 'number' && !prices.has(sku)) {
        prices.set(sku, { price: unitPrice, currency: String(line['currency'] ?? 'EUR'), source });
      }
    }
  };
  const reserve = timeline.entries.find((e) => e.name === 'ReserveInventory' && e.output !== undefined);
  const reservation = parseObject(reserve?.output)?.['reservation'] as Json | undefined;
  add(reservation?.['lines'], 'the recorded reservation');
  add(exported.order?.['lines'], 'the order record');
  return prices;
}

/**
 * The recorded definition made runnable here: Lambda ARNs of another account, region or stage
 * (`arn:aws:lambda:<region>:<account>:function:<service>-<stage>-<name>`) point at the local
 * functions of the same service and name.
 */
export function localizeDefinition(recorded: string, today: string, stage: string): string {
  const local = /arn:aws:lambda:([^:"\s]+):(\d+):function:/u.exec(today);
  if (!local) return recorded;
  return recorded.replace(
    /arn:aws:lambda:[^:"\s]+:\d+:function:([a-z][a-z0-9]*)-[a-z0-9]+-([A-Za-z0-9_]+)/gu,
    (_match, service: string, name: string) => `arn:aws:lambda:${local[1]}:${local[2]}:function:${service}-${stage}-${name}`,
  );
}
