import { DynamoDBClient, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, PutCommand, type BatchGetCommandInput, type BatchGetCommandOutput } from '@aws-sdk/lib-dynamodb';
import { TransientError } from '../errors';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { withInjectedThrottling } from '../lambda/fault-injection';

/**
 * The DocumentClient every table adapter uses, one per container. The endpoint comes from
 * AWS_ENDPOINT_URL_DYNAMODB when set (the local stack). Undefined attributes are left out of an
 * item rather than refused: records carry optional fields. On the local stage the faults file can
 * throttle its requests (`"aws:PutItem": {"throttle": p}`) as a hot partition does.
 */
export function createDocumentClient(
  client: DynamoDBClient = withInjectedThrottling(new DynamoDBClient({}), 'ProvisionedThroughputExceededException'),
): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

/** A write refused because its ConditionExpression did not hold, with the item it saw if asked for. */
export interface ConditionFailure extends Error {
  name: 'ConditionalCheckFailedException';
  /** Set when the write asked for ReturnValuesOnConditionCheckFailure: 'ALL_OLD' and the item existed. */
  Item?: Record<string, AttributeValue>;
}

/** By name: an instanceof check fails when two copies of the SDK end up in one bundle. */
export function isConditionFailure(error: unknown): error is ConditionFailure {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** The item the refused condition saw (ReturnValuesOnConditionCheckFailure: 'ALL_OLD'), if any. */
export function refusedItem<T>(failure: ConditionFailure): T | undefined {
  return failure.Item ? (unmarshall(failure.Item) as T) : undefined;
}

/** Sends a conditional write: true if it applied, false if its condition did not hold; other errors are thrown. */
export async function whenConditionHolds(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

export type PutIfAbsentResult<T> = { stored: true } | { stored: false; existing: T | undefined };

/**
 * Stores `item` unless an item with its key exists: the first write wins and a retry never
 * overwrites it. A refused put brings the stored item back with the refusal (ALL_OLD): no second
 * read, no race between the two. `existing` is undefined only where DynamoDB left it out.
 */
export async function putIfAbsent<T extends object>(
  db: DynamoDBDocumentClient,
  tableName: string,
  keyAttribute: keyof T & string,
  item: T,
): Promise<PutIfAbsentResult<T>> {
  try {
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: item as Record<string, unknown>,
        ConditionExpression: `attribute_not_exists(${keyAttribute})`,
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { stored: true };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    return { stored: false, existing: refusedItem<T>(error) };
  }
}

/**
 * How long a finished record (a shipped or released reservation, a tombstone, a payment that
 * moved no money, a sent notification) outlives the last write that finished it, before the
 * table's TimeToLiveSpecification deletes it. It is the idempotency record of its step, so it
 * must outlive every retry and redrive that could repeat that step: a Standard execution runs up
 * to a year and may be redriven up to 14 days after it ends, an SQS message lives at most 14 days,
 * a stream record 24 hours. 400 days covers the longest of these with a margin (docs/guarantees.md).
 */
export const FINISHED_RECORD_RETENTION_DAYS = 400;

/** The TTL attribute every table with a TimeToLiveSpecification uses. */
export const TTL_ATTRIBUTE = 'expiresAt';

/** Epoch seconds (DynamoDB TTL's unit) at which a record finished at `finishedAt` (ISO 8601) expires. */
export function expiresAtFor(finishedAt: string, retentionDays: number = FINISHED_RECORD_RETENTION_DAYS): number {
  const finished = Date.parse(finishedAt);
  if (Number.isNaN(finished)) throw new Error(`Not a timestamp: ${finishedAt}`);
  return Math.floor(finished / 1000) + retentionDays * 86_400;
}

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
