import { DynamoDBClient, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

/**
 * The DocumentClient every table adapter uses, one per container. The endpoint comes from
 * AWS_ENDPOINT_URL_DYNAMODB when set (the local stack). Undefined attributes are left out of an
 * item rather than refused: records carry optional fields.
 */
export function createDocumentClient(client: DynamoDBClient = new DynamoDBClient({})): DynamoDBDocumentClient {
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
