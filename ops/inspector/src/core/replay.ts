import type { Json } from './events';
import { type ExecutionExport, MASKED_TOKEN, parseObject } from './execution-export';
import type { Timeline } from './timeline';

/**
 * What a replay runs with, decided from an export without I/O: its name and order id, its input,
 * and what it seeds on the local stack (the order record, stock for its SKUs).
 */

/**
 * The order service's ids are `ord_` and up to 60 letters or digits (services/order/src/schemas.ts):
 * a replay of such an order is `<original>replay<n>`, which the order API accepts; any other
 * name gets the more readable `<original>-replay-<n>`.
 */
const SERVICE_ORDER_ID = /^ord_[A-Za-z0-9]{1,60}$/u;
const MAX_SERVICE_ORDER_ID = 64;

/** `ord_1a2b` -> itself; `ord_1a2breplay3` -> `ord_1a2b`; `ord-1-replay-3` -> `ord-1` (replays of a replay count from the original). */
export function replayBaseName(name: string): string {
  return SERVICE_ORDER_ID.test(name) ? name.replace(/(replay\d+)+$/u, '') : name.replace(/(-replay-\d+)+$/u, '');
}

function replayName(base: string, n: number): string {
  if (!SERVICE_ORDER_ID.test(base)) return `${base}-replay-${n}`;
  const suffix = `replay${n}`;
  return `${base.slice(0, MAX_SERVICE_ORDER_ID - suffix.length)}${suffix}`;
}

/** The replay's name, one past the highest taken; it is also the replay's order id (the saga is named by its order). */
export function nextReplayName(originalName: string, takenNames: Iterable<string>): string {
  const base = replayBaseName(originalName);
  let highest = 0;
  for (const name of takenNames) {
    const n = /(\d+)$/u.exec(name)?.[1];
    if (n !== undefined && replayName(base, Number(n)) === name) highest = Math.max(highest, Number(n));
  }
  return replayName(base, highest + 1);
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
