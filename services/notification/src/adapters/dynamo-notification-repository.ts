import { DeleteCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { requireEnv } from '@order-platform/shared';
import { createDocumentClient, putIfAbsent, whenConditionHolds } from '@order-platform/shared/aws/dynamodb';
import type { DeliveryChannel, NotificationRecord } from '../domain/notification';
import type { ClaimResult, NotificationRepository } from '../domain/ports';
import type { RenderedMessage } from '../domain/render';

export const BY_ORDER_INDEX = 'byOrder';

// status, to and text are DynamoDB reserved words.
const NAMES = { '#status': 'status', '#to': 'to', '#text': 'text' };
const OWNED_CLAIM = '#status = :sending AND claimedAt = :claimedAt';

/** The notifications table: pk notificationId, GSI byOrder (orderId, createdAt). */
export class DynamoNotificationRepository implements NotificationRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(record: NotificationRecord): Promise<ClaimResult> {
    // The existing claim comes back with the refusal: no second read, no race between the two.
    const result = await putIfAbsent(this.client, this.tableName, 'notificationId', record);
    if (result.stored) return { claimed: true };
    if (!result.existing) throw new Error(`Claim of ${record.notificationId} failed its condition but returned no item`);
    return { claimed: false, existing: result.existing };
  }

  async takeOver(notificationId: string, previousClaimedAt: string, claimedAt: string, channel: DeliveryChannel): Promise<boolean> {
    return whenConditionHolds(() =>
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
    return whenConditionHolds(() =>
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
    await whenConditionHolds(() =>
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
}

/** The repository the handlers use: one client per container, table from NOTIFICATIONS_TABLE. */
export function notificationRepositoryFromEnv(): DynamoNotificationRepository {
  return new DynamoNotificationRepository(createDocumentClient(), requireEnv('NOTIFICATIONS_TABLE'));
}
