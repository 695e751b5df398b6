import { RESERVED_SHARDS } from '../../../../services/inventory/src/adapters/dynamodb';

/**
 * The partition-key design of every DynamoDB table and index, in one place: which attribute is
 * the partition key and how an order's writes spread over its values. The capacity model reads
 * it for the hot-key analysis; change a row here when a key design changes.
 *
 * - `per-order`: a new key value per order (orderId): an order's writes land on their own key, so
 *   the busiest key takes one order's units whatever the rate.
 * - `per-customer`: one key per customer: the busiest key takes what the most active customer
 *   orders (an assumption: `customerOrdersPerSecond`).
 * - `per-sku`: one key per SKU: the busiest key takes the hottest SKU's share of orders (an
 *   assumption: `hottestSkuShare`; a flash sale of one SKU is share 1).
 * - `shards`: N key values, writes spread evenly: the busiest takes 1/N.
 * - `single`: one key value takes every write.
 */
export type Spread =
  | { kind: 'per-order' }
  | { kind: 'per-customer' }
  | { kind: 'per-sku' }
  | { kind: 'shards'; shards: number }
  | { kind: 'single' };

export interface KeyDesign {
  /** `table` or `table.index`, as the cost model's operations name them (`GSI <index>` actions). */
  name: string;
  partitionKey: string;
  spread: Spread;
}

export const KEY_DESIGN: KeyDesign[] = [
  { name: 'orders', partitionKey: 'orderId', spread: { kind: 'per-order' } },
  { name: 'orders.byCustomer', partitionKey: 'customerId', spread: { kind: 'per-customer' } },
  { name: 'stock', partitionKey: 'sku', spread: { kind: 'per-sku' } },
  { name: 'reservations', partitionKey: 'orderId', spread: { kind: 'per-order' } },
  // The sweeper's index: every reservation carries statusShard = RESERVED#<hash mod N>, written once at reserve.
  { name: 'reservations.reservedByShard', partitionKey: 'statusShard', spread: { kind: 'shards', shards: RESERVED_SHARDS } },
  { name: 'payments', partitionKey: 'orderId', spread: { kind: 'per-order' } },
  // Keyed by order (sort key: the notification id); no index.
  { name: 'notifications', partitionKey: 'orderId', spread: { kind: 'per-order' } },
];

export interface SpreadAssumptions {
  /** Share (0..1] of all orders that buy the most popular SKU. */
  hottestSkuShare: number;
  /** Orders per second the most active customer places. */
  customerOrdersPerSecond: number;
}

/** The busiest key's load at `ordersPerSecond`, as fixed + perOrder x rate, from the units an order puts on the table or index. */
export function busiestKeyLoad(spread: Spread, unitsPerOrder: number, assumptions: SpreadAssumptions): { fixed: number; perOrder: number } {
  switch (spread.kind) {
    // An order's units on its own key: at most all of them within one second (an upper bound).
    case 'per-order':
      return { fixed: unitsPerOrder, perOrder: 0 };
    case 'per-customer':
      return { fixed: unitsPerOrder * assumptions.customerOrdersPerSecond, perOrder: 0 };
    case 'per-sku':
      return { fixed: 0, perOrder: unitsPerOrder * assumptions.hottestSkuShare };
    case 'shards':
      return { fixed: 0, perOrder: unitsPerOrder / spread.shards };
    case 'single':
      return { fixed: 0, perOrder: unitsPerOrder };
  }
}

export function describeSpread(spread: Spread): string {
  switch (spread.kind) {
    case 'per-order':
      return 'one key per order or event';
    case 'per-customer':
      return 'one key per customer';
    case 'per-sku':
      return 'one key per SKU';
    case 'shards':
      return `${spread.shards} shards`;
    case 'single':
      return 'a single key';
  }
}
