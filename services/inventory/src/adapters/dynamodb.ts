import { TransactionCanceledException, type CancellationReason } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, type BatchGetCommandInput, type BatchGetCommandOutput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TransientError } from '@order-platform/shared';

export interface InventoryTables {
  stock: string;
  reservations: string;
  /** The sparse index of RESERVED reservations: partition key `statusShard`, sort key createdAt. */
  reservedByShard: string;
}

/**
 * How many partition keys the RESERVED index spreads over. A reservation writes that index twice
 * (its entry at reserve, the entry's delete when it ships or is released), so at R orders/s each
 * shard takes 2R/N writes/s: 1/64 of them. At 5,000 orders/s that is 156 writes/s per key, 16 % of
 * a partition's 1,000, and the sweeper reads 64 keys per run. Raise it (any value; the sweeper
 * reads whatever it names) before a key nears 30 % of a partition.
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

/** Exponential backoff with full jitter for unprocessed batch keys (25 ms, 50 ms, ... at most). */
export const backoff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * 25 * 2 ** attempt));

const BATCH_GET_ATTEMPTS = 5;

/**
 * One BatchGetItem, asked again for its unprocessed keys (throttling) with backoff until every key
 * is answered; still unanswered after five attempts, it is a TransientError naming `what`.
 * The items come back per table.
 */
export async function batchGetAll(
  db: DynamoDBDocumentClient,
  requestItems: NonNullable<BatchGetCommandInput['RequestItems']>,
  what: string,
  wait: (attempt: number) => Promise<unknown> = backoff,
): Promise<Record<string, Record<string, unknown>[]>> {
  const found: Record<string, Record<string, unknown>[]> = {};
  let request: BatchGetCommandInput['RequestItems'] = requestItems;
  for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
    if (attempt >= BATCH_GET_ATTEMPTS) throw new TransientError(`${what} stayed throttled (unprocessed keys)`);
    if (attempt > 0) await wait(attempt);
    const result: BatchGetCommandOutput = await db.send(new BatchGetCommand({ RequestItems: request }));
    for (const [table, items] of Object.entries(result.Responses ?? {})) (found[table] ??= []).push(...items);
    request = result.UnprocessedKeys;
  }
  return found;
}

/** Table names from the environment (set in serverless.yml); the index name belongs to the table definition. */
export function inventoryTablesFromEnv(env: (name: string) => string): InventoryTables {
  return {
    stock: env('STOCK_TABLE_NAME'),
    reservations: env('RESERVATIONS_TABLE_NAME'),
    reservedByShard: 'reservedByShard',
  };
}
