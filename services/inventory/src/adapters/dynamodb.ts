import { TransactionCanceledException, type CancellationReason } from '@aws-sdk/client-dynamodb';
import { TransientError } from '@order-platform/shared';

export interface InventoryTables {
  stock: string;
  reservations: string;
  /** The index of every reservation by shard: partition key `statusShard`, sort key createdAt (written once, at reserve). */
  reservedByShard: string;
}

/**
 * How many partition keys the sweep index spreads over. A reservation writes that index once (its
 * entry at reserve), so at R orders/s each shard takes R/N writes/s. At 5,000 orders/s that is 78
 * writes/s per key, 8 % of a partition's 1,000, and the sweeper reads 64 keys per round. Raise it
 * before a key nears 30 % of a partition: the sweeper reads whatever shards it names (a new shard
 * starts with no checkpoint; an entry under a dropped one is no longer examined).
 */
export const RESERVED_SHARDS = 64;

/** The index key of a RESERVED reservation: `RESERVED#<shard>`, the shard from the order id (FNV-1a). */
export function reservedShardOf(orderId: string, shards: number = RESERVED_SHARDS): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < orderId.length; i++) {
    hash ^= orderId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `RESERVED#${hash % shards}`;
}

/** Every key of the RESERVED index. */
export const reservedShards = (shards: number = RESERVED_SHARDS) => Array.from({ length: shards }, (_, shard) => `RESERVED#${shard}`);

/** Cancellation codes that mean "the same transaction would succeed later". */
const TRANSIENT_CANCELLATION_CODES = new Set([
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
  'RequestLimitExceeded',
]);

/**
 * The per-item reasons of a cancelled transaction (in request order), or undefined for any other
 * error. A transaction cancelled by contention or throttling is thrown as a TransientError instead.
 */
export function cancellationReasonsOrTransient(error: unknown): CancellationReason[] | undefined {
  const cancelled =
    error instanceof TransactionCanceledException || (error instanceof Error && error.name === 'TransactionCanceledException');
  if (!cancelled) return undefined;
  const reasons = (error as TransactionCanceledException).CancellationReasons ?? [];
  if (reasons.some((reason) => TRANSIENT_CANCELLATION_CODES.has(reason.Code ?? ''))) {
    throw new TransientError(`DynamoDB transaction cancelled: ${reasons.map((r) => r.Code ?? 'None').join(', ')}`, { cause: error });
  }
  return reasons;
}

/** The item of a cancelled transaction whose own condition failed (the others say None). */
export const cancelledByCondition = (reason: CancellationReason | undefined) => reason?.Code === 'ConditionalCheckFailed';


/** Table names from the environment (set in serverless.yml); the index name belongs to the table definition. */
export function inventoryTablesFromEnv(env: (name: string) => string): InventoryTables {
  return {
    stock: env('STOCK_TABLE_NAME'),
    reservations: env('RESERVATIONS_TABLE_NAME'),
    reservedByShard: 'reservedByShard',
  };
}
