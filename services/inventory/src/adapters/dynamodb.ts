import { DynamoDBClient, TransactionCanceledException, type CancellationReason } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TransientError } from '@order-platform/shared';

/** One document client per container; endpoints come from AWS_ENDPOINT_URL_DYNAMODB when set (local stack). */
export function createDocumentClient(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

export interface InventoryTables {
  stock: string;
  reservations: string;
  reservationsByStatus: string;
}

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

export const isConditionFailure = (reason: CancellationReason | undefined) => reason?.Code === 'ConditionalCheckFailed';

/** Exponential backoff with full jitter for unprocessed batch keys (25 ms, 50 ms, ... at most). */
export const backoff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * 25 * 2 ** attempt));

/** Table names from the environment (set in serverless.yml); the index name belongs to the table definition. */
export function inventoryTablesFromEnv(env: (name: string) => string): InventoryTables {
  return {
    stock: env('STOCK_TABLE_NAME'),
    reservations: env('RESERVATIONS_TABLE_NAME'),
    reservationsByStatus: 'byStatus',
  };
}
