import type { DeliveryChannel, NotificationRecord } from '../../src/domain/notification';
import type { ClaimResult, NotificationKey, NotificationRepository } from '../../src/domain/ports';
import type { RenderedMessage } from '../../src/domain/render';

/**
 * A NotificationRepository with DynamoDB's conditional-write semantics (each call is atomic), for
 * domain tests. Every method yields once first so that concurrent callers really interleave.
 */
export class InMemoryNotificationRepository implements NotificationRepository {
  readonly records = new Map<string, NotificationRecord>();

  async claim(record: NotificationRecord): Promise<ClaimResult> {
    await Promise.resolve();
    const existing = this.records.get(record.notificationId);
    if (existing) return { claimed: false, existing: { ...existing } };
    this.records.set(record.notificationId, { ...record });
    return { claimed: true };
  }

  async takeOver({ notificationId }: NotificationKey, previousClaimedAt: string, claimedAt: string, channel: DeliveryChannel): Promise<boolean> {
    await Promise.resolve();
    const record = this.owned(notificationId, previousClaimedAt);
    if (!record) return false;
    this.records.set(notificationId, { ...record, claimedAt, channel, attempts: record.attempts + 1 });
    return true;
  }

  async markSent(
    { notificationId }: NotificationKey,
    claimedAt: string,
    sent: { sentAt: string; message: RenderedMessage; providerMessageId?: string | undefined },
  ): Promise<boolean> {
    await Promise.resolve();
    const record = this.owned(notificationId, claimedAt);
    if (!record) return false;
    const providerMessageId = sent.providerMessageId === undefined ? {} : { providerMessageId: sent.providerMessageId };
    this.records.set(notificationId, { ...record, ...sent.message, status: 'SENT', sentAt: sent.sentAt, ...providerMessageId });
    return true;
  }

  async release({ notificationId }: NotificationKey, claimedAt: string): Promise<void> {
    await Promise.resolve();
    if (this.owned(notificationId, claimedAt)) this.records.delete(notificationId);
  }

  async listByOrder(orderId: string): Promise<NotificationRecord[]> {
    return [...this.records.values()].filter((r) => r.orderId === orderId).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  private owned(notificationId: string, claimedAt: string): NotificationRecord | undefined {
    const record = this.records.get(notificationId);
    return record && record.status === 'SENDING' && record.claimedAt === claimedAt ? record : undefined;
  }
}
