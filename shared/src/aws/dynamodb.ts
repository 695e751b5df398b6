import { DynamoDBClient, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
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
