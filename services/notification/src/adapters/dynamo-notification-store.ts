import { ConditionalCheckFailedException, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DeliveryChannel, NotificationRecord } from '../domain/notification';
import type { ClaimResult, NotificationStore } from '../domain/ports';
import type { RenderedMessage } from '../domain/render';

export const BY_ORDER_INDEX = 'byOrder';

// status, to and text are DynamoDB reserved words.
const NAMES = { '#status': 'status', '#to': 'to', '#text': 'text' };
const OWNED_CLAIM = '#status = :sending AND claimedAt = :claimedAt';

function isConditionFailure(error: unknown): error is ConditionalCheckFailedException {
  return error instanceof ConditionalCheckFailedException || (error as Error | undefined)?.name === 'ConditionalCheckFailedException';
}

/** The notifications table: pk notificationId, GSI byOrder (orderId, createdAt). */
export class DynamoNotificationStore implements NotificationStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(record: NotificationRecord): Promise<ClaimResult> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: record,
          ConditionExpression: 'attribute_not_exists(notificationId)',
          // The existing claim comes back with the failure: no second read, no race between the two.
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { claimed: true };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      if (!error.Item) throw new Error(`Claim of ${record.notificationId} failed its condition but returned no item`, { cause: error });
      return { claimed: false, existing: unmarshall(error.Item as Record<string, AttributeValue>) as NotificationRecord };
    }
  }

  async takeOver(notificationId: string, previousClaimedAt: string, claimedAt: string, channel: DeliveryChannel): Promise<boolean> {
    return this.conditionally(() =>
      this.client.send(new UpdateCommand({
        TableName: this.tableName,
        Key: { notificationId },
        UpdateExpression: 'SET claimedAt = :newClaimedAt, channel = :channel, attempts = attempts + :one',
        ConditionExpression: OWNED_CLAIM,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':sending': 'SENDING',
          ':claimedAt': previousClaimedAt,
          ':newClaimedAt': claimedAt,
          ':channel': channel,
          ':one': 1,
        },
      })),
    );
  }

  async markSent(
    notificationId: string,
    claimedAt: string,
    sent: { sentAt: string; message: RenderedMessage; providerMessageId?: string | undefined },
  ): Promise<boolean> {
    const setProvider = sent.providerMessageId === undefined ? '' : ', providerMessageId = :providerMessageId';
    return this.conditionally(() =>
      this.client.send(new UpdateCommand({
        TableName: this.tableName,
        Key: { notificationId },
        UpdateExpression: `SET #status = :sent, sentAt = :sentAt, #to = :to, subject = :subject, #text = :text${setProvider}`,
        ConditionExpression: OWNED_CLAIM,
        ExpressionAttributeNames: NAMES,
        ExpressionAttributeValues: {
          ':sending': 'SENDING',
          ':sent': 'SENT',
          ':claimedAt': claimedAt,
          ':sentAt': sent.sentAt,
          ':to': sent.message.to,
          ':subject': sent.message.subject,
          ':text': sent.message.text,
          ...(sent.providerMessageId === undefined ? {} : { ':providerMessageId': sent.providerMessageId }),
        },
      })),
    );
  }

  async release(notificationId: string, claimedAt: string): Promise<void> {
    // A claim someone else owns now (or already SENT) is theirs: leave it alone.
    await this.conditionally(() =>
      this.client.send(new DeleteCommand({
        TableName: this.tableName,
        Key: { notificationId },
        ConditionExpression: OWNED_CLAIM,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sending': 'SENDING', ':claimedAt': claimedAt },
      })),
    );
  }

  async listByOrder(orderId: string): Promise<NotificationRecord[]> {
    const items: NotificationRecord[] = [];
    let exclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: BY_ORDER_INDEX,
          KeyConditionExpression: 'orderId = :orderId',
          ExpressionAttributeValues: { ':orderId': orderId },
          ScanIndexForward: true,
          ExclusiveStartKey: exclusiveStartKey,
        }),
      );
      items.push(...((page.Items ?? []) as NotificationRecord[]));
      exclusiveStartKey = page.LastEvaluatedKey;
    } while (exclusiveStartKey);
    return items;
  }

  /** Sends a conditional write; true if it applied, false if its condition did not hold. */
  private async conditionally(write: () => Promise<unknown>): Promise<boolean> {
    try {
      await write();
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
