import { DeleteCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { requireEnv } from '@order-platform/shared';
import { createDocumentClient, expiresAtFor, putIfAbsent, TTL_ATTRIBUTE, whenConditionHolds } from '@order-platform/shared/aws/dynamodb';
import type { DeliveryChannel, NotificationRecord } from '../domain/notification';
import type { ClaimResult, NotificationKey, NotificationRepository } from '../domain/ports';
import type { RenderedMessage } from '../domain/render';

// status, to and text are DynamoDB reserved words.
const NAMES = { '#status': 'status', '#to': 'to', '#text': 'text' };
const OWNED_CLAIM = '#status = :sending AND claimedAt = :claimedAt';

/**
 * The notifications table: pk orderId, sk notificationId. An order's notifications are one
 * partition, so listing them is a query of the table itself: no index to write on every claim and
 * every SENT. Every record expires FINISHED_RECORD_RETENTION_DAYS after its last write (TTL
 * expiresAt): past the last copy of its event the queue (14 days) or a redrive can deliver.
 */
export class DynamoNotificationRepository implements NotificationRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(record: NotificationRecord): Promise<ClaimResult> {
    // The existing claim comes back with the refusal: no second read, no race between the two.
    const stored = { ...record, [TTL_ATTRIBUTE]: expiresAtFor(record.claimedAt) };
    const result = await putIfAbsent(this.client, this.tableName, 'notificationId', stored);
    if (result.stored) return { claimed: true };
    if (!result.existing) throw new Error(`Claim of ${record.notificationId} failed its condition but returned no item`);
    return { claimed: false, existing: withoutTtl(result.existing) };
  }

  async takeOver(key: NotificationKey, previousClaimedAt: string, claimedAt: string, channel: DeliveryChannel): Promise<boolean> {
    return whenConditionHolds(() =>
      this.client.send(new UpdateCommand({
        TableName: this.tableName,
        Key: keyOf(key),
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
    key: NotificationKey,
    claimedAt: string,
    sent: { sentAt: string; message: RenderedMessage; providerMessageId?: string | undefined },
  ): Promise<boolean> {
    const setProvider = sent.providerMessageId === undefined ? '' : ', providerMessageId = :providerMessageId';
    return whenConditionHolds(() =>
      this.client.send(new UpdateCommand({
        TableName: this.tableName,
        Key: keyOf(key),
        UpdateExpression: `SET #status = :sent, sentAt = :sentAt, #to = :to, subject = :subject, #text = :text, ${TTL_ATTRIBUTE} = :expiresAt${setProvider}`,
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
          ':expiresAt': expiresAtFor(sent.sentAt),
          ...(sent.providerMessageId === undefined ? {} : { ':providerMessageId': sent.providerMessageId }),
        },
      })),
    );
  }

  async release(key: NotificationKey, claimedAt: string): Promise<void> {
    // A claim someone else owns now (or already SENT) is theirs: leave it alone.
    await whenConditionHolds(() =>
      this.client.send(new DeleteCommand({
        TableName: this.tableName,
        Key: keyOf(key),
        ConditionExpression: OWNED_CLAIM,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sending': 'SENDING', ':claimedAt': claimedAt },
      })),
    );
  }

  /** The order's partition, every page; oldest first by createdAt (the sort key orders by event id). */
  async listByOrder(orderId: string): Promise<NotificationRecord[]> {
    const items: NotificationRecord[] = [];
    let exclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'orderId = :orderId',
          ExpressionAttributeValues: { ':orderId': orderId },
          ExclusiveStartKey: exclusiveStartKey,
        }),
      );
      items.push(...((page.Items ?? []) as NotificationRecord[]).map(withoutTtl));
      exclusiveStartKey = page.LastEvaluatedKey;
    } while (exclusiveStartKey);
    return items.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  }
}

const keyOf = ({ orderId, notificationId }: NotificationKey) => ({ orderId, notificationId });

/** The record as the domain knows it: the TTL attribute is the table's business. */
function withoutTtl(item: NotificationRecord & { [TTL_ATTRIBUTE]?: number }): NotificationRecord {
  const { [TTL_ATTRIBUTE]: _expiresAt, ...record } = item;
  return record;
}

/** The repository the handlers use: one client per container, table from NOTIFICATIONS_TABLE. */
export function notificationRepositoryFromEnv(): DynamoNotificationRepository {
  return new DynamoNotificationRepository(createDocumentClient(), requireEnv('NOTIFICATIONS_TABLE'));
}
