import type { DynamoOperation } from './dynamodb';

/**
 * What each function invocation costs besides its Lambda time, read from the code (adapters and
 * domain) for one order of one line: the DynamoDB requests it makes, the stream records its
 * writes produce, and the events those records publish. `npm run cost` prints this table; the
 * local run checks the invocations and events against it.
 *
 * Tables and indexes (services/*\/resources/tables.yml): orders (stream; GSI byCustomer, KEYS_ONLY:
 * the insert writes the index, the later status changes touch no key and write the table alone),
 * stock, reservations (GSI reservedByShard, KEYS_ONLY: every reservation carries its key from
 * reserve on and no later step changes it, so reserve puts the one entry and nothing deletes it;
 * the sweeper reads each reservation once past its cut-off), payments (stream),
 * notifications (pk orderId, sk notificationId: no index).
 *
 * A write to an index is billed like a table write of the projected entry (keys + ~100 bytes);
 * a write that changes no projected attribute writes no index.
 */

/** A step's outcome: `<service>.<function>:<outcome>`. */
export type StepKey =
  | 'inventory.lookupSkus:checked'
  | 'order.createOrder:created'
  | 'order.publish:OrderPlaced'
  | 'order.publish:OrderConfirmed'
  | 'order.publish:OrderFailed'
  | 'inventory.reserve:reserved'
  | 'inventory.reserve:out-of-stock'
  | 'payment.charge:captured'
  | 'payment.charge:declined'
  | 'payment.charge:unavailable'
  | 'payment.publish:PaymentCaptured'
  | 'payment.publish:PaymentRefunded'
  | 'payment.publish:no-event'
  | 'inventory.ship:shipped'
  | 'inventory.ship:failed'
  | 'order.confirmOrder:confirmed'
  | 'order.markOrderFailed:failed'
  | 'inventory.release:released'
  | 'inventory.release:nothing-reserved'
  | 'payment.refund:refunded'
  | 'payment.refund:nothing-to-refund'
  | 'notification.consume:sent';

const w = (table: string, action: string, item: string, why: string, extra: Partial<DynamoOperation> = {}): DynamoOperation => ({ table, action, kind: 'write', item, why, ...extra });
const r = (table: string, action: string, item: string, why: string, consistency: DynamoOperation['consistency'] = 'strong'): DynamoOperation => ({ table, action, kind: 'read', item, consistency, why });

/** DynamoDB requests per invocation outcome. Item keys are sizes measured in the local run (or defaults). */
export const STEP_OPERATIONS: Record<StepKey, DynamoOperation[]> = {
  'inventory.lookupSkus:checked': [r('stock', 'BatchGetItem', 'stock', 'do the order\'s SKUs exist (keys only, but a read is billed on the whole item)', 'eventual')],
  'order.createOrder:created': [
    w('orders', 'PutItem', 'order.pending', 'conditional insert of the order (attribute_not_exists)'),
    w('orders', 'GSI byCustomer', 'order.key', 'index entry (KEYS_ONLY)'),
  ],
  'order.publish:OrderPlaced': [r('orders', 'GetItem', 'order.pending', 'eventually consistent read before making sure the saga runs (read again consistently only if it misses the new row)', 'eventual')],
  'order.publish:OrderConfirmed': [],
  'order.publish:OrderFailed': [],
  'inventory.reserve:reserved': [
    r('stock', 'BatchGetItem', 'stock.projection', 'catalogue price of each SKU, eventually consistent (no read of the reservation: a repeat is refused by the write, which returns the stored one)', 'eventual'),
    w('reservations', 'TransactWriteItems Put', 'reservation', 'the reservation, conditional', { transactional: true }),
    w('stock', 'TransactWriteItems Update', 'stock', 'available -> held per SKU, conditional', { transactional: true }),
    w('reservations', 'GSI reservedByShard', 'reservation.key', 'index entry under RESERVED#<shard> (KEYS_ONLY), written once'),
    r('reservations', 'BatchGetItem (sweeper)', 'reservation', 'releaseExpired reads the status once, past the cut-off, eventually consistent (its index query adds ~0.01 unit per order, not counted)', 'eventual'),
  ],
  'inventory.reserve:out-of-stock': [
    r('stock', 'BatchGetItem', 'stock.projection', 'catalogue price of each SKU', 'eventual'),
    w('reservations', 'TransactWriteItems Put (cancelled)', 'reservation', 'a cancelled transaction still consumes its write units', { transactional: true }),
    w('stock', 'TransactWriteItems Update (cancelled)', 'stock', 'the failed stock condition', { transactional: true }),
  ],
  'payment.charge:captured': [
    r('payments', 'GetItem', 'payment', 'eventually consistent: only spares the provider a call; the conditional write decides', 'eventual'),
    w('payments', 'PutItem', 'payment', 'the CAPTURED payment, conditional'),
  ],
  'payment.charge:declined': [
    r('payments', 'GetItem', 'payment', 'eventually consistent', 'eventual'),
    w('payments', 'PutItem', 'payment', 'the DECLINED payment, conditional'),
  ],
  'payment.charge:unavailable': [r('payments', 'GetItem', 'payment', 'eventually consistent; the provider then fails (nothing stored)', 'eventual')],
  'payment.publish:PaymentCaptured': [],
  'payment.publish:PaymentRefunded': [],
  'payment.publish:no-event': [],
  'inventory.ship:shipped': [
    w('reservations', 'UpdateItem', 'reservation', 'RESERVED -> SHIPPED, conditional, no read first; no stock move (the units stay held) and no key change (no index write)'),
  ],
  'inventory.ship:failed': [
    w('reservations', 'UpdateItem (refused)', 'reservation', 'the condition fails on a RELEASED reservation (a refused write still consumes its unit); ALL_OLD returns it: no read'),
  ],
  'order.confirmOrder:confirmed': [
    w('orders', 'UpdateItem', 'order.final', 'PENDING -> CONFIRMED, conditional (billed on the larger image); no key changes: no index write', { itemBefore: 'order.pending' }),
  ],
  'order.markOrderFailed:failed': [
    w('orders', 'UpdateItem', 'order.final', 'PENDING -> FAILED, conditional; no key changes: no index write', { itemBefore: 'order.pending' }),
  ],
  'inventory.release:released': [
    r('reservations', 'GetItem', 'reservation', 'consistent read of the reservation'),
    w('reservations', 'TransactWriteItems Update', 'reservation', 'RESERVED -> RELEASED, conditional; the index entry stays (no index write)', { transactional: true }),
    w('stock', 'TransactWriteItems Update', 'stock', 'held -> available per SKU', { transactional: true }),
  ],
  'inventory.release:nothing-reserved': [
    r('reservations', 'GetItem', 'reservation', 'consistent read (absent)'),
    w('reservations', 'PutItem', 'reservation', 'RELEASED tombstone, conditional: a late reserve cannot land (no statusShard: no index entry)'),
  ],
  'payment.refund:refunded': [
    r('payments', 'GetItem', 'payment', 'consistent read'),
    w('payments', 'UpdateItem', 'payment', 'CAPTURED -> REFUNDED, conditional'),
  ],
  'payment.refund:nothing-to-refund': [
    r('payments', 'GetItem', 'payment', 'consistent read (absent)'),
    w('payments', 'PutItem', 'payment', 'VOIDED tombstone, conditional: a late charge cannot capture'),
  ],
  'notification.consume:sent': [
    w('notifications', 'PutItem', 'notification', 'the claim (SENDING), conditional; the table is keyed by order: no index'),
    w('notifications', 'UpdateItem', 'notification.sent', 'SENDING -> SENT with the rendered message, conditional', { itemBefore: 'notification' }),
  ],
};

/** What an invocation's writes set off downstream (the outbox: table stream -> publish function -> SNS -> SQS). */
export interface StepEffects {
  /** Stream records its writes produce (each a `publish` invocation of that service at low traffic). */
  streamRecords: Array<'order.publish:OrderPlaced' | 'order.publish:OrderConfirmed' | 'order.publish:OrderFailed' | 'payment.publish:PaymentCaptured' | 'payment.publish:PaymentRefunded' | 'payment.publish:no-event'>;
  /** Events published to SNS by this invocation. */
  snsPublishes: number;
  /** Of those, the ones the notification queue subscribes to (OrderConfirmed, OrderFailed, PaymentRefunded). */
  notifications: number;
  /** Other AWS requests it makes (informational). */
  calls?: string[];
}

const none: StepEffects = { streamRecords: [], snsPublishes: 0, notifications: 0 };

export const STEP_EFFECTS: Record<StepKey, StepEffects> = {
  'inventory.lookupSkus:checked': { streamRecords: [], snsPublishes: 0, notifications: 0, calls: ['Lambda Invoke by order.createOrder, for SKUs its container has not cached'] },
  'order.createOrder:created': { streamRecords: ['order.publish:OrderPlaced'], snsPublishes: 0, notifications: 0, calls: ['StartExecution (STANDARD only)'] },
  'order.publish:OrderPlaced': { streamRecords: [], snsPublishes: 1, notifications: 0, calls: ['StartExecution (STANDARD: already started, a no-op; EXPRESS: the one start)'] },
  'order.publish:OrderConfirmed': { streamRecords: [], snsPublishes: 1, notifications: 1 },
  'order.publish:OrderFailed': { streamRecords: [], snsPublishes: 1, notifications: 1 },
  'inventory.reserve:reserved': none,
  'inventory.reserve:out-of-stock': none,
  'payment.charge:captured': { streamRecords: ['payment.publish:PaymentCaptured'], snsPublishes: 0, notifications: 0 },
  'payment.charge:declined': { streamRecords: ['payment.publish:no-event'], snsPublishes: 0, notifications: 0 },
  'payment.charge:unavailable': none,
  'payment.publish:PaymentCaptured': { streamRecords: [], snsPublishes: 1, notifications: 0 },
  'payment.publish:PaymentRefunded': { streamRecords: [], snsPublishes: 1, notifications: 1 },
  'payment.publish:no-event': none,
  'inventory.ship:shipped': none,
  'inventory.ship:failed': none,
  'order.confirmOrder:confirmed': { streamRecords: ['order.publish:OrderConfirmed'], snsPublishes: 0, notifications: 0 },
  'order.markOrderFailed:failed': { streamRecords: ['order.publish:OrderFailed'], snsPublishes: 0, notifications: 0 },
  'inventory.release:released': none,
  'inventory.release:nothing-reserved': none,
  'payment.refund:refunded': { streamRecords: ['payment.publish:PaymentRefunded'], snsPublishes: 0, notifications: 0 },
  'payment.refund:nothing-to-refund': { streamRecords: ['payment.publish:no-event'], snsPublishes: 0, notifications: 0 },
  'notification.consume:sent': { streamRecords: [], snsPublishes: 0, notifications: 0, calls: ['SES SendEmail (AWS stages)'] },
};

/** `inventory.reserve:reserved` -> `inventory.reserve`. */
export const functionOf = (step: StepKey) => step.slice(0, step.indexOf(':'));

/** Item sizes (bytes) when nothing was measured: one-line orders as the local run writes them. */
export const DEFAULT_ITEM_SIZES: Record<string, number> = {
  'order.pending': 420,
  'order.key': 180,
  'order.final': 900,
  reservation: 330,
  'reservation.key': 80,
  stock: 110,
  'stock.projection': 30,
  payment: 420,
  notification: 420,
  'notification.sent': 700,
};

/** Durations (ms) assumed when nothing was observed: warm invocations of 256 MB arm64 functions. */
export const ASSUMED_DURATIONS: Record<string, number> = {
  'inventory.lookupSkus': 15,
  'order.createOrder': 60,
  'order.publish': 40,
  'order.confirmOrder': 30,
  'order.markOrderFailed': 30,
  'inventory.reserve': 50,
  'inventory.ship': 40,
  'inventory.release': 40,
  'payment.charge': 30,
  'payment.refund': 30,
  'payment.publish': 20,
  'notification.consume': 120,
};
