import type { DeliveryChannel, NotificationRecord } from './notification';
import type { RenderedMessage } from './render';

export type ClaimResult = { claimed: true } | { claimed: false; existing: NotificationRecord };

/** A notification's key: the order it belongs to and the event (notificationId = the eventId). */
export type NotificationKey = Pick<NotificationRecord, 'orderId' | 'notificationId'>;

/** Persistence of notification records; every write is conditional so that concurrent consumers cannot both win. */
export interface NotificationRepository {
  /** Creates the record (status SENDING) unless one exists for this notificationId; then returns that one. */
  claim(record: NotificationRecord): Promise<ClaimResult>;
  /** Moves a SENDING claim still held at `previousClaimedAt` to a new owner; false if it changed meanwhile. */
  takeOver(key: NotificationKey, previousClaimedAt: string, claimedAt: string, channel: DeliveryChannel): Promise<boolean>;
  /** SENDING -> SENT for the owner of `claimedAt`; false if the claim was taken over meanwhile. */
  markSent(
    key: NotificationKey,
    claimedAt: string,
    sent: { sentAt: string; message: RenderedMessage; providerMessageId?: string | undefined },
  ): Promise<boolean>;
  /** Deletes the owner's SENDING claim after a failed delivery, so the retry can claim it at once. */
  release(key: NotificationKey, claimedAt: string): Promise<void>;
  /** Every notification of an order, oldest first. */
  listByOrder(orderId: string): Promise<NotificationRecord[]>;
}

export interface DeliveryReceipt {
  providerMessageId?: string | undefined;
}

/** The port every channel implements. */
export interface NotificationDelivery {
  readonly channel: DeliveryChannel;
  deliver(message: RenderedMessage, notificationId: string): Promise<DeliveryReceipt>;
}
